"""message/send to members (§2.2, limits §3.1-3.2)."""

from __future__ import annotations

import copy
import hashlib
import json

from fastapi import APIRouter, Request

from sandbox.emulator import api, content
from sandbox.emulator.cards import INTERACTIVE, Card
from sandbox.emulator.errors import ApiError
from sandbox.emulator.inbox import USER, target
from sandbox.emulator.state import EmulatorState

router = APIRouter()
TEXT_LIMIT = 2048  # text and markdown, bytes (§2.2)
MAX_DUP_INTERVAL = 4 * 3600


def _recipients(call: api.Call) -> tuple[list[str], dict]:
    body = call.body
    users, parties, tags = (api.split_ids(body.get(k)) for k in ("touser", "toparty", "totag"))
    if not (users or parties or tags):
        raise ApiError(82001)
    if len(users) > 1000:
        raise ApiError(40032)
    if len(parties) > 100:
        raise ApiError(82002)
    if len(tags) > 100:
        raise ApiError(82003)
    found, invalid = call.state.directory.resolve(users=users, parties=parties, tags=tags)
    answer = {
        "invaliduser": "|".join(invalid["user"]),
        "invalidparty": "|".join(invalid["party"]),
        "invalidtag": "|".join(invalid["tag"]),
        "unlicenseduser": "",
    }
    if not found:
        raise ApiError(81013, **answer)
    return found, answer


def _check_body(call: api.Call) -> tuple[str, bool]:
    body = call.body
    api.check_agent(call.state, body)
    msgtype = content.check_msgtype(body, content.APP_TYPES)
    truncated = False
    if msgtype in ("text", "markdown"):
        truncated = content.check_content(
            body, msgtype, limit=TEXT_LIMIT, overflow=call.state.config.text_overflow
        )
    elif msgtype == "template_card":
        content.check_card(body.get("template_card"))
    else:
        content.message_part(body, msgtype)
    return msgtype, truncated


def _duplicate_key(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _send(call: api.Call) -> dict:
    state, body = call.state, call.body
    original = copy.deepcopy(body)  # the duplicate check compares the request as sent
    msgtype, truncated = _check_body(call)
    users, answer = _recipients(call)
    dup_key = _duplicate_key(original) if body.get("enable_duplicate_check") in (1, "1", True) else None
    if dup_key:
        seen = state.duplicates.get(dup_key)
        if seen and call.now < seen[0]:
            state.counters.note("duplicate_suppressed")
            return dict(seen[1])
    card = body.get("template_card") if msgtype == "template_card" else None
    if card and card.get("task_id") and state.cards.has_task(card["task_id"]):
        raise ApiError(content.BAD_PARAM, "task_id already exists (it must be unique per app)")
    answer["msgid"] = state.next_msgid()
    if card and card["card_type"] in INTERACTIVE:
        answer["response_code"] = state.cards.issue_code(
            task_id=card["task_id"], userid=None, now=call.now, ttl=state.config.response_code_ttl
        )
    _deliver(state, body, users, msgtype, answer, truncated, call.now)
    if dup_key:
        interval = int(body.get("duplicate_check_interval") or 1800)
        state.duplicates[dup_key] = (call.now + min(max(interval, 0), MAX_DUP_INTERVAL), dict(answer))
    return answer


def _deliver(
    state: EmulatorState,
    body: dict,
    users: list[str],
    msgtype: str,
    answer: dict,
    truncated: bool,
    now: float,
) -> None:
    card_record = None
    if msgtype == "template_card" and body["template_card"].get("task_id"):
        tc = body["template_card"]
        card_record = Card(tc["task_id"], tc["card_type"], copy.deepcopy(tc), answer["msgid"])
        state.cards.add(card_record)
    for userid in users:
        key = userid.lower()
        # §3.2: beyond 30/min or 1000/h per member the message is dropped without an error.
        if not (state.member_minute.allow(key, now) and state.member_hour.allow(key, now)):
            state.counters.note("dropped_member_rate")
            continue
        extra: dict = {"msgid": answer["msgid"], "truncated": truncated, "userid": userid}
        if msgtype == "template_card":
            tc = body["template_card"]
            extra.update(
                card=copy.deepcopy(tc),
                task_id=tc.get("task_id"),
                updates=[],
                card_state={"disabled": False, "replace_name": None},
            )
        entry = state.inbox.deliver(
            to=target(USER, userid), api="message/send", msgtype=msgtype, message=body, now=now, **extra
        )
        if card_record is not None:
            card_record.recipients[key] = entry


@router.post("/cgi-bin/message/send")
async def message_send(request: Request):
    return await api.run(request, "message/send", _send, auth=api.WECOM)
