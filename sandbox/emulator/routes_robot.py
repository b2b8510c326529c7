"""Group-robot webhook (§2.5) and the AI bot's response_url (§5.3): keys, not access tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request

from sandbox.emulator import api, content
from sandbox.emulator.errors import ApiError
from sandbox.emulator.inbox import AIBOT, ROBOT, target

router = APIRouter()
ROBOT_LIMITS = {"text": 2048, "markdown": 4096}  # bytes (§2.5)
AIBOT_TYPES = frozenset({"markdown", "template_card", "stream"})


def _robot_send(call: api.Call) -> dict:
    state, body = call.state, call.body
    key = call.query.get("key") or ""
    if key not in state.directory.robots:
        raise ApiError(93000)
    if state.robot_groups.get(key) in state.customer_groups.groups:
        # §2.5: robots cannot sit in external groups; a group that became external lost its robot.
        raise ApiError(93008, "robot is not in the group: external groups cannot have robots")
    msgtype = content.check_msgtype(body, content.ROBOT_TYPES)
    if msgtype in ROBOT_LIMITS:
        # No truncation is documented for the robot: over-long content is refused.
        content.check_content(body, msgtype, limit=ROBOT_LIMITS[msgtype], overflow="error")
    else:
        content.message_part(body, msgtype)
    mentions = body.get(msgtype, {}).get("mentioned_list") if msgtype == "text" else None
    if mentions is not None and not (
        isinstance(mentions, list) and all(isinstance(m, str) for m in mentions)
    ):
        raise ApiError(content.BAD_PARAM, "mentioned_list must be an array of userids")
    # §2.5: 20 messages per minute per robot, then 45009.
    if not state.robot_minute.allow(key, call.now):
        raise ApiError(45009)
    state.inbox.deliver(
        to=target(ROBOT, key),
        api="webhook/send",
        msgtype=msgtype,
        message=body,
        now=call.now,
        robot=state.directory.robots[key],
        mentioned_list=mentions or [],
        mentioned_mobile_list=body.get(msgtype, {}).get("mentioned_mobile_list") or [],
    )
    return {}


def _aibot_response(call: api.Call) -> dict:
    """§5.3: the response_url takes one markdown/template_card answer, once, within 1 hour."""
    state = call.state
    code = call.query.get("response_code") or ""
    record = state.aibot_codes.get(code)
    if record is None or record["used"] or call.now >= record["expires_at"]:
        raise ApiError(content.BAD_PARAM, "invalid or used response_code")
    msgtype = content.check_msgtype(call.body, AIBOT_TYPES)
    content.message_part(call.body, msgtype)
    record["used"] = True
    to = target(AIBOT, record["chatid"] or record["userid"])
    state.inbox.deliver(
        to=to,
        api="aibot/response",
        msgtype=msgtype,
        message=call.body,
        now=call.now,
        userid=record["userid"],
        chatid=record["chatid"],
        content=call.body[msgtype].get("content"),
    )
    return {}


@router.post("/cgi-bin/webhook/send")
async def webhook_send(request: Request):
    return await api.run(request, "webhook/send", _robot_send, auth=None)


@router.post("/cgi-bin/aibot/response")
async def aibot_response(request: Request):
    return await api.run(request, "aibot/response", _aibot_response, auth=None)
