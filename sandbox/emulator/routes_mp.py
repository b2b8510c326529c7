"""Official Account customer-service messages (§4.3): followers only, inside a user-opened window."""

from __future__ import annotations

from fastapi import APIRouter, Request

from sandbox.emulator import api, content
from sandbox.emulator.errors import ApiError
from sandbox.emulator.inbox import OPENID, target

router = APIRouter()


def _custom_send(call: api.Call) -> dict:
    state, body = call.state, call.body
    openid = body.get("touser")
    if not isinstance(openid, str) or not state.directory.followers.get(openid):
        raise ApiError(43004)
    msgtype = content.check_msgtype(body, content.MP_TYPES)
    if msgtype == "text":
        part = content.message_part(body, "text")
        if not isinstance(part.get("content"), str) or not part["content"]:
            raise ApiError(44004)
    elif msgtype == "image":
        part = content.message_part(body, "image")
        # 40007 for a media_id never uploaded, expired (3 days) or not an image
        state.mp_assets.live_media(part.get("media_id"), now=call.now, media_type="image")
    else:
        content.message_part(body, msgtype)
    state.use_mp_window(openid, call.now)
    state.inbox.deliver(
        to=target(OPENID, openid),
        api="mp/message/custom/send",
        msgtype=msgtype,
        message=body,
        now=call.now,
        openid=openid,
    )
    return {}


@router.post("/mp/cgi-bin/message/custom/send")
async def custom_send(request: Request):
    return await api.run(request, "mp/message/custom/send", _custom_send, auth=api.MP, family=api.MP)
