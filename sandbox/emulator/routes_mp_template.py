"""Official Account template messages, message/template/send (wecom-platform.md §4.4).

Unlike a customer-service message a template message needs no open window: only that the user
follows the account (43004), a template the account has added (40037, from the emulator's
`mp_templates`) and data that fills exactly that template's keywords (47003, "argument invalid!
data.<keyword>.value invalid" as the platform answers). An openid that cannot be one is 40003.
The message lands in the follower's inbox like custom/send, with msgtype "template".
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request

from sandbox.emulator import api
from sandbox.emulator.errors import ApiError
from sandbox.emulator.inbox import OPENID, target

router = APIRouter()

_OPENID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
# New-style keywords are typed (thing ≤ 20 characters, phrase ≤ 5, …); the emulator applies the
# strictest common bound to every keyword so a long value fails here as it would there.
VALUE_LIMIT = 20


def _check_data(data: object, keywords: list[str]) -> None:
    if not isinstance(data, dict):
        raise ApiError(47003, "argument invalid! data invalid")
    for name in data:
        if name not in keywords:
            raise ApiError(47003, f"argument invalid! data.{name} invalid")
    for name in keywords:
        entry = data.get(name)
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value.strip() or len(value) > VALUE_LIMIT:
            raise ApiError(47003, f"argument invalid! data.{name}.value invalid")
        color = entry.get("color") if isinstance(entry, dict) else None
        if color is not None and not (isinstance(color, str) and _COLOR.match(color)):
            raise ApiError(47003, f"argument invalid! data.{name}.color invalid")


def _check_links(body: dict) -> None:
    url = body.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        raise ApiError(47003, "argument invalid! url invalid")
    mini = body.get("miniprogram")
    if mini is not None and not (isinstance(mini, dict) and isinstance(mini.get("appid"), str)):
        raise ApiError(47003, "argument invalid! miniprogram invalid")


def _template_send(call: api.Call) -> dict:
    state, body = call.state, call.body
    openid = body.get("touser")
    if not isinstance(openid, str) or not _OPENID.match(openid):
        raise ApiError(40003)
    if not state.directory.followers.get(openid):
        raise ApiError(43004)
    keywords = state.config.mp_templates.get(str(body.get("template_id")))
    if keywords is None:
        raise ApiError(40037)
    _check_data(body.get("data"), keywords)
    _check_links(body)
    entry = state.inbox.deliver(
        to=target(OPENID, openid), api="mp/message/template/send", msgtype="template",
        message=body, now=call.now, openid=openid,
    )
    return {"msgid": 200_000_000 + int(entry["seq"])}


@router.post("/mp/cgi-bin/message/template/send")
async def template_send(request: Request):
    return await api.run(request, "mp/message/template/send", _template_send, auth=api.MP, family=api.MP)
