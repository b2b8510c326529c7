"""The demo's live page: the three tiers' group chats side by side, and a way to talk as anyone.

Reads what each group and person received from the emulator's inspection side, and speaks
through the emulator's phone, so every message on the page went through the real webhook.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from app.org.models import ChatGroup, Contact, Node, Staff
from sandbox.emulator.routes_msg_template import confirm_task, pending_tasks

router = APIRouter(prefix="/demo")
PAGE = Path(__file__).parent / "static" / "demo.html"


def _env(request: Request):
    env = getattr(request.app.state, "demo", None)
    if env is None:
        raise HTTPException(404, "the demo page exists only under `jobmatrix demo`")
    return env


@router.get("", response_class=HTMLResponse)
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


@router.get("/api/org")
def org(request: Request) -> dict:
    """Townships with their villages, and who can speak, for the page's pickers."""
    env = _env(request)
    with env.session_factory() as session:
        nodes = session.scalars(select(Node)).all()
        staff = session.scalars(select(Staff)).all()
        contacts = session.scalars(select(Contact)).all()
        groups = session.scalars(select(ChatGroup)).all()
        return {
            "nodes": [{"id": n.id, "code": n.code, "kind": n.kind, "name": n.name, "parent_id": n.parent_id} for n in nodes],
            "staff": [{"userid": s.userid, "name": s.name, "role": s.role, "node_id": s.node_id} for s in staff],
            "contacts": [
                {"kind": c.kind, "openid": c.openid, "userid": c.wecom_userid, "node_id": c.node_id, "label": (c.name or "")[:12]}
                for c in contacts
            ],
            "groups": [{"node_id": g.node_id, "purpose": g.purpose, "name": g.name, "kind": g.kind,
                        "owner": g.owner_userid, "target": _target(g)} for g in groups],
        }


def _target(group: ChatGroup) -> str | None:
    """Where the emulator shows what the group really received. A manual group is an ordinary WeChat
    group no API sees: the page shows nothing for it, only its relayer's card and 已转发."""
    if group.kind == "manual":
        return None
    return f"{group.channel}:{group.address}"


@router.get("/api/received")
def received(request: Request, target: str) -> list[dict]:
    """What one group ("appchat:chatid", "robot:key") or person ("user:userid") received, in order."""
    return _env(request).emulator.state.received(target)


class Say(BaseModel):
    channel: str  # "app" (a WeCom member), "mp" (an Official Account follower)
    sender: str
    text: str


@router.post("/api/say")
async def say(request: Request, body: Say) -> dict:
    env = _env(request)
    phone = env.phone
    if not body.text.strip():
        raise HTTPException(400, "消息不能为空")
    # "scan": a new resident scans the village QR code (the text is the village code).
    send = {"app": phone.app_text, "mp": phone.oa_text, "scan": phone.oa_subscribe}.get(body.channel)
    if send is None:
        raise HTTPException(400, f"unknown channel {body.channel!r}")
    said_at = env.emulator.state.now()
    result = await run_in_threadpool(send, body.sender, body.text)
    reply = _reply_text(result.reply)
    scan = body.channel == "scan"  # an event: the person scanned the village's code, typed nothing
    _transcript(request).append({"who": f"{'mp' if scan else body.channel}:{body.sender}",
                                 "text": f"（扫描{body.text}的二维码，关注公众号）" if scan else body.text,
                                 "time": said_at, "reply": reply, "reply_time": env.emulator.state.now()})
    return {"status": result.status, "attempts": result.attempts, "reply": reply}


def _transcript(request: Request) -> list[dict]:
    """What people typed on the page and the bot's passive reply to each (the emulator only sees
    what the bot sends through the API, so the page keeps the other half of each conversation)."""
    app = request.app
    if not hasattr(app.state, "demo_transcript"):
        app.state.demo_transcript = []
    return app.state.demo_transcript


@router.get("/api/conversation")
def conversation(request: Request, who: str) -> list[dict]:
    """One person's private conversation, in order: "mp:<openid>" with the Official Account,
    "app:<userid>" with the WeCom app. What they typed, the bot's replies, and what it sent them."""
    channel, _, ident = who.partition(":")
    target = {"mp": f"openid:{ident}", "app": f"user:{ident}"}.get(channel)
    if target is None or not ident:
        raise HTTPException(400, "who 应为 mp:<openid> 或 app:<userid>")
    lines: list[dict] = []
    for said in _transcript(request):
        if said["who"] == who:
            lines.append({"from": "person", "time": said["time"], "text": said["text"]})
            if said["reply"]:
                lines.append({"from": "bot", "kind": "reply", "time": said["reply_time"], "text": said["reply"]})
    for entry in _env(request).emulator.state.received(target):
        lines.append({"from": "bot", "kind": "push", "time": entry["time"], "api": entry["api"], "entry": entry})
    return sorted(lines, key=lambda line: line["time"])


class Click(BaseModel):
    userid: str
    task_id: str
    key: str


@router.post("/api/click")
async def click(request: Request, body: Click) -> dict:
    result = await run_in_threadpool(_env(request).phone.card_click, body.userid, body.task_id, body.key)
    return {"status": result.status, "reply": _reply_text(result.reply)}


def _reply_text(reply: str | None) -> str:
    if not reply:
        return ""
    from bots.wire.envelope import parse_xml

    try:
        return parse_xml(reply).get("Content", "")
    except Exception:  # a reply that is not XML (the AI bot's JSON) is shown as it is
        return reply


@router.get("/api/group_tasks")
def group_tasks(request: Request, userid: str) -> list[dict]:
    """The owner's phone: group sends waiting in 群发助手 for this member to confirm."""
    return pending_tasks(_env(request).emulator.state, userid)


class Confirm(BaseModel):
    userid: str
    msgid: str


@router.post("/api/group_tasks/confirm")
def confirm_group_task(request: Request, body: Confirm) -> dict:
    """The owner taps 发送: only now does the customer group receive the text."""
    try:
        return confirm_task(_env(request).emulator.state, body.userid, body.msgid)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
