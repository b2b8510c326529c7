"""externalcontact/add_msg_template and the group-send result APIs (§2.7; facts in group_msgs.py).

Only chat_type "group" is emulated: the relay never bulk-sends to single customers.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from sandbox.emulator import api
from sandbox.emulator.content import utf8_len
from sandbox.emulator.errors import ApiError
from sandbox.emulator.group_msgs import MAX_CHATS, TEXT_LIMIT, GroupMsg, page
from sandbox.emulator.inbox import target
from sandbox.emulator.state import EmulatorState

router = APIRouter()
CUSTOMER_GROUP = "customer_group"
MAX_LIST_SPAN = 31 * 24 * 3600  # get_groupmsg_list_v2: a range of at most one month  # inbox target kind: what a customer group's members saw


def _owner_of(call: api.Call, chat_id: str) -> str | None:
    group = call.state.customer_groups.groups.get(chat_id)
    return None if group is None else group.owner


def _add(call: api.Call) -> dict:
    body = call.body
    if body.get("chat_type") != "group":
        raise ApiError(40058, "the emulator takes chat_type 'group' only")
    sender = call.state.directory.user(str(body.get("sender") or ""))
    if not body.get("sender"):
        raise ApiError(40063, "sender is required for chat_type group")
    if sender is None:
        raise ApiError(40003, f"invalid sender {body.get('sender')}")
    chat_ids = body.get("chat_id_list")
    if not isinstance(chat_ids, list) or not chat_ids or len(chat_ids) > MAX_CHATS:
        raise ApiError(40058, f"chat_id_list needs 1-{MAX_CHATS} customer group ids")
    text = (body.get("text") or {}).get("content", "") if isinstance(body.get("text"), dict) else ""
    if not text and not body.get("attachments"):
        raise ApiError(40063, "text and attachments are both empty")
    if utf8_len(str(text)) > TEXT_LIMIT:
        raise ApiError(40058, f"text.content exceeds {TEXT_LIMIT} bytes")
    msgs = call.state.group_msgs
    # A group the sender does not own, an unknown id or a group whose quota is spent cannot receive.
    fail = [str(c) for c in chat_ids
            if _owner_of(call, str(c)) != sender or not msgs.has_room(str(c), call.now)]
    ok = [str(c) for c in chat_ids if str(c) not in fail]
    if not ok:
        raise ApiError(41048, "no customer group of the request can receive a group send now")
    task = msgs.create(sender=sender, chat_ids=ok, text=str(text), now=call.now)
    return {"fail_list": fail, "msgid": task.msgid}


def _task(call: api.Call) -> GroupMsg:
    msgid = call.body.get("msgid")
    if not msgid:
        raise ApiError(41046, "msgid missing")
    task = call.state.group_msgs.tasks.get(str(msgid))
    if task is None:
        raise ApiError(41047, f"invalid msgid {msgid}")
    return task


def _get_task(call: api.Call) -> dict:
    items, cursor = page([_task(call).task()], limit=call.body.get("limit"), cursor=call.body.get("cursor"))
    return {"next_cursor": cursor, "task_list": items}


def _get_send_result(call: api.Call) -> dict:
    task = _task(call)
    userid = str(call.body.get("userid") or "")
    if not userid:
        raise ApiError(41009, "userid missing")
    sends = task.send_list() if userid.lower() == task.sender.lower() else []
    items, cursor = page(sends, limit=call.body.get("limit"), cursor=call.body.get("cursor"))
    return {"next_cursor": cursor, "send_list": items}


def _list_v2(call: api.Call) -> dict:
    """Group-send records created in [start_time, end_time] (≤ 1 month); ours are all create_type 0
    (企业发表: created through the API), newest last."""
    body = call.body
    if body.get("chat_type") not in ("single", "group"):
        raise ApiError(40058, "chat_type must be single or group")
    start, end = body.get("start_time"), body.get("end_time")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= end - start <= MAX_LIST_SPAN:
        raise ApiError(40058, "start_time and end_time span at most one month")
    if body.get("filter_type", 2) not in (0, 1, 2):
        raise ApiError(40058, "filter_type is 0, 1 or 2")
    creator = str(body.get("creator") or "").lower()
    limit = body.get("limit", 50)
    if not isinstance(limit, int) or not 0 < limit <= 100:
        raise ApiError(40058, "limit is 1-100")
    records = [
        {"msgid": t.msgid, "creator": t.sender, "create_time": str(t.create_time), "create_type": 0,
         "text": {"content": t.text}}
        for t in call.state.group_msgs.tasks.values()
        if body["chat_type"] == "group" and start <= t.create_time <= end and body.get("filter_type", 2) != 1
        and (not creator or t.sender.lower() == creator)
    ]
    items, cursor = page(records, limit=limit, cursor=body.get("cursor"))
    return {"next_cursor": cursor, "group_msg_list": items}


@router.post("/cgi-bin/externalcontact/get_groupmsg_list_v2")
async def get_groupmsg_list_v2(request: Request):
    return await api.run(request, "externalcontact/get_groupmsg_list_v2", _list_v2, auth=api.WECOM)


@router.post("/cgi-bin/externalcontact/add_msg_template")
async def add_msg_template(request: Request):
    return await api.run(request, "externalcontact/add_msg_template", _add, auth=api.WECOM)


@router.post("/cgi-bin/externalcontact/get_groupmsg_task")
async def get_groupmsg_task(request: Request):
    return await api.run(request, "externalcontact/get_groupmsg_task", _get_task, auth=api.WECOM)


@router.post("/cgi-bin/externalcontact/get_groupmsg_send_result")
async def get_groupmsg_send_result(request: Request):
    return await api.run(request, "externalcontact/get_groupmsg_send_result", _get_send_result, auth=api.WECOM)


# -- the owner's phone: 群发助手 lists the waiting tasks; tapping 发送 confirms one ----------------


def pending_tasks(state: EmulatorState, userid: str) -> list[dict]:
    with state.lock:
        return [{"msgid": t.msgid, "text": t.text, "create_time": t.create_time,
                 "chat_ids": [s.chat_id for s in t.sends]} for t in state.group_msgs.pending_for(userid)]


def confirm_task(state: EmulatorState, userid: str, msgid: str) -> dict:
    """The sender confirms: each group with room gets the text in its timeline, the rest nothing."""
    with state.lock:
        task = state.group_msgs.tasks.get(msgid)
        if task is None or task.sender.lower() != userid.lower():
            raise LookupError(f"{userid} has no group-send task {msgid}")
        if task.confirmed_at:
            raise LookupError(f"task {msgid} was already sent")
        now = state.now()
        for send in state.group_msgs.confirm(task, now):
            state.inbox.deliver(to=target(CUSTOMER_GROUP, send.chat_id), api="add_msg_template",
                                msgtype="text", message={"msgtype": "text", "text": {"content": task.text}},
                                now=now, msgid=msgid, sender=task.sender)
        return {"msgid": msgid, "send_list": task.send_list()}


@router.get("/_emulator/group_msgs/pending")
async def phone_pending(request: Request, userid: str) -> dict:
    return {"userid": userid, "tasks": pending_tasks(request.app.state.emulator, userid)}


@router.post("/_emulator/group_msgs/confirm")
async def phone_confirm(request: Request) -> dict:
    body = await request.json()
    try:
        return confirm_task(request.app.state.emulator, str(body["userid"]), str(body["msgid"]))
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
