"""appchat/create|update|get|send: app-created internal group chats (§2.4)."""

from __future__ import annotations

import re
import secrets

from fastapi import APIRouter, Request

from sandbox.emulator import api, content
from sandbox.emulator.errors import ApiError
from sandbox.emulator.inbox import APPCHAT, target
from sandbox.emulator.state import Chat

router = APIRouter()
CHATID = re.compile(r"^[0-9A-Za-z]{1,32}$")
MIN_MEMBERS, MAX_MEMBERS = 2, 500
TEXT_LIMIT = 2048  # text and markdown bytes, as for message/send (§3.1)


def _members(call: api.Call, userids: object) -> list[str]:
    """Registered spellings of `userids`; 86216 for an unknown member (§3.3)."""
    if not isinstance(userids, list):
        raise ApiError(86006, "userlist must be an array")
    members: list[str] = []
    for userid in userids:
        known = call.state.directory.user(str(userid))
        if known is None:
            # Only corp members: an external contact (wm…) or an openid is refused like any stranger.
            raise ApiError(86216, f"invalid member {userid}")
        if known not in members:
            members.append(known)
    return members


def _check_size(members: list[str]) -> None:
    if not MIN_MEMBERS <= len(members) <= MAX_MEMBERS:
        raise ApiError(86006, f"a chat needs {MIN_MEMBERS}-{MAX_MEMBERS} members")


def _owner(call: api.Call, owner: object, members: list[str]) -> str:
    known = call.state.directory.user(str(owner)) if owner else None
    if owner and known not in members:
        raise ApiError(86007, "owner must be a member")
    # §2.4: WeCom picks a random member when owner is omitted.
    return known or secrets.choice(members)


def _chat(call: api.Call, chatid: object) -> Chat:
    if not chatid:
        raise ApiError(86001, "chatid required")
    chat = call.state.chats.get(str(chatid))
    if chat is None and str(chatid) in call.state.customer_groups.groups:
        # A customer group is not an app-created chat: appchat can neither read nor post into it.
        raise ApiError(86008, "a customer group is not a chat created by this app")
    if chat is None:
        raise ApiError(86003)
    if not chat.ours:
        raise ApiError(86008)
    return chat


def _create(call: api.Call) -> dict:
    body = call.body
    name = body.get("name") or ""
    if not isinstance(name, str) or len(name) > 50:
        raise ApiError(86004, "name is at most 50 characters")
    members = _members(call, body.get("userlist"))
    _check_size(members)
    chatid = body.get("chatid") or "".join(secrets.choice("0123456789") for _ in range(19))
    if not isinstance(chatid, str) or not CHATID.match(chatid):
        raise ApiError(86001, "chatid is 1-32 characters of [0-9a-zA-Z]")
    if chatid in call.state.chats or chatid in call.state.customer_groups.groups:
        raise ApiError(86215)
    owner = _owner(call, body.get("owner"), members)
    call.state.chats[chatid] = Chat(chatid, name, owner, members)
    return {"chatid": chatid}


def _update(call: api.Call) -> dict:
    body = call.body
    chat = _chat(call, body.get("chatid"))
    name = body.get("name", chat.name)
    if not isinstance(name, str) or len(name) > 50:
        raise ApiError(86004, "name is at most 50 characters")
    added = _members(call, body.get("add_user_list") or [])
    removed = {u.lower() for u in api.split_ids(body.get("del_user_list"))}
    members = [u for u in chat.userlist if u.lower() not in removed]
    members += [u for u in added if u not in members]
    _check_size(members)
    owner = _owner(call, body.get("owner") or (chat.owner if chat.owner in members else None), members)
    chat.name, chat.userlist, chat.owner = name, members, owner
    return {}


def _get(call: api.Call) -> dict:
    return {"chat_info": _chat(call, call.query.get("chatid")).info()}


def _send(call: api.Call) -> dict:
    body = call.body
    chat = _chat(call, body.get("chatid"))
    # template_card is not an appchat message type (§2.4).
    msgtype = content.check_msgtype(body, content.APPCHAT_TYPES)
    truncated = False
    if msgtype in ("text", "markdown"):
        truncated = content.check_content(
            body, msgtype, limit=TEXT_LIMIT, overflow=call.state.config.text_overflow
        )
    else:
        content.message_part(body, msgtype)
    # §2.4: each member gets ≤200 app messages/min in groups; the excess vanishes without error.
    if not call.state.appchat_minute.allow(chat.chatid, call.now):
        call.state.counters.note("dropped_appchat_rate")
        return {}
    call.state.inbox.deliver(
        to=target(APPCHAT, chat.chatid),
        api="appchat/send",
        msgtype=msgtype,
        message=body,
        now=call.now,
        truncated=truncated,
        chatid=chat.chatid,
    )
    return {}


@router.post("/cgi-bin/appchat/create")
async def appchat_create(request: Request):
    return await api.run(request, "appchat/create", _create, auth=api.WECOM)


@router.post("/cgi-bin/appchat/update")
async def appchat_update(request: Request):
    return await api.run(request, "appchat/update", _update, auth=api.WECOM)


@router.get("/cgi-bin/appchat/get")
async def appchat_get(request: Request):
    return await api.run(request, "appchat/get", _get, auth=api.WECOM, has_body=False)


@router.post("/cgi-bin/appchat/send")
async def appchat_send(request: Request):
    return await api.run(request, "appchat/send", _send, auth=api.WECOM)
