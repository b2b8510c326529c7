"""message/update_template_card (§2.3): redeem a response code once and record the new card state."""

from __future__ import annotations

from fastapi import APIRouter, Request

from sandbox.emulator import api, content
from sandbox.emulator.cards import INTERACTIVE, Card, ResponseCode
from sandbox.emulator.errors import ApiError

router = APIRouter()


def _change(body: dict, card: Card) -> dict:
    """The update asked for: a button replace_name, or a whole new template_card."""
    if isinstance(body.get("template_card"), dict):
        content.check_card(
            {**body["template_card"], "task_id": card.task_id}
            if body["template_card"].get("card_type") in INTERACTIVE
            else body["template_card"]
        )
        return {"template_card": body["template_card"]}
    button = body.get("button")
    if isinstance(button, dict) and isinstance(button.get("replace_name"), str) and button["replace_name"]:
        if card.card_type not in INTERACTIVE:
            raise ApiError(content.BAD_PARAM, "button.replace_name needs an interactive card")
        return {"replace_name": button["replace_name"]}
    raise ApiError(content.BAD_PARAM, "button.replace_name or template_card required")


def _targets(call: api.Call, code: ResponseCode, card: Card) -> tuple[list[str], list[str]]:
    """(userids to update, invalid userids); a click code with no targets means the clicker."""
    body = call.body
    if body.get("atall") in (1, "1", True):
        return [e["userid"] for e in card.recipients.values()], []
    userids = api.split_ids(body.get("userids"))
    parties = [str(p) for p in body.get("partyids") or []]
    tags = [str(t) for t in body.get("tagids") or []]
    if not (userids or parties or tags):
        if code.userid is None:
            raise ApiError(content.BAD_PARAM, "userids/partyids/tagids/atall all empty")
        userids = [code.userid]
    found, invalid = call.state.directory.resolve(users=userids, parties=parties, tags=tags)
    targets = [u for u in found if u.lower() in card.recipients]
    invalid_users = invalid["user"] + [u.lower() for u in found if u.lower() not in card.recipients]
    return targets, invalid_users


def _update(call: api.Call) -> dict:
    body = call.body
    api.check_agent(call.state, body)
    code_value = body.get("response_code")
    if not isinstance(code_value, str) or not code_value:
        raise ApiError(content.BAD_PARAM, "response_code required")
    store = call.state.cards
    record, card = store.check_code(code_value, now=call.now)
    change = _change(body, card)
    targets, invalid = _targets(call, record, card)
    if not targets:
        raise ApiError(81013, invaliduser=invalid)
    store.update(card, targets, change=change, code=code_value, now=call.now)
    # Unlike message/send, invaliduser is an array here (§2.3).
    return {"invaliduser": invalid}


@router.post("/cgi-bin/message/update_template_card")
async def update_template_card(request: Request):
    return await api.run(request, "message/update_template_card", _update, auth=api.WECOM)
