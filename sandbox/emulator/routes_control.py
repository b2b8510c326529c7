"""/_emulator/: control (register, invalidate, faults, reset, clock) and inspection, as JSON.

The same operations exist as methods of EmulatorState for in-process tests.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from sandbox.emulator.state import EmulatorState

router = APIRouter(prefix="/_emulator")


def _state(request: Request) -> EmulatorState:
    return request.app.state.emulator


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise HTTPException(400, "body must be JSON") from exc
    if not isinstance(body, dict):
        raise HTTPException(400, "body must be a JSON object")
    return body


@router.get("/state")
async def state_snapshot(request: Request) -> dict:
    return _state(request).snapshot()


@router.post("/users")
async def users(request: Request) -> dict:
    _state(request).register_users(list((await _json(request)).get("userids", [])))
    return {"ok": True}


@router.post("/parties")
async def parties(request: Request) -> dict:
    body = await _json(request)
    _state(request).register_party(body["party_id"], list(body.get("userids", [])))
    return {"ok": True}


@router.post("/tags")
async def tags(request: Request) -> dict:
    body = await _json(request)
    _state(request).register_tag(body["tag_id"], list(body.get("userids", [])))
    return {"ok": True}


@router.post("/robots")
async def robots(request: Request) -> dict:
    _state(request).register_robots(dict((await _json(request)).get("robots", {})))
    return {"ok": True}


@router.post("/followers")
async def followers(request: Request) -> dict:
    body = await _json(request)
    _state(request).register_followers(
        list(body.get("openids", [])), followed=bool(body.get("followed", True))
    )
    return {"ok": True}


@router.post("/mp_templates")
async def mp_templates(request: Request) -> dict:
    """Add Official Account templates (id → keyword names) that message/template/send accepts."""
    templates = dict((await _json(request)).get("templates", {}))
    with _state(request).lock:
        _state(request).config.mp_templates.update({str(k): list(v) for k, v in templates.items()})
    return {"ok": True}


@router.post("/appchats")
async def foreign_chat(request: Request) -> dict:
    """Register a chat created by another app (calls on it answer 86008)."""
    body = await _json(request)
    _state(request).add_foreign_chat(
        body["chatid"], list(body["userlist"]), name=body.get("name", ""), owner=body.get("owner", "")
    )
    return {"ok": True}


@router.get("/chats/{chatid}")
async def chat(request: Request, chatid: str) -> dict:
    info = _state(request).chat(chatid)
    if info is None:
        raise HTTPException(404, f"no chat {chatid}")
    return info


@router.get("/token")
async def token(request: Request, app: str = "wecom") -> dict:
    return {"access_token": _state(request).current_token(app)}


@router.post("/token/invalidate")
async def invalidate(request: Request) -> dict:
    app = (await _json(request)).get("app", "wecom")
    return {"invalidated": _state(request).invalidate_token(app)}


@router.get("/faults")
async def get_faults(request: Request) -> dict:
    return _state(request).snapshot()["faults"]


@router.post("/faults")
async def set_faults(request: Request) -> dict:
    try:
        _state(request).set_faults(await _json(request))
    except TypeError as exc:
        raise HTTPException(400, str(exc)) from exc
    return _state(request).snapshot()["faults"]


@router.post("/reset")
async def reset(request: Request) -> dict:
    _state(request).reset()
    return {"ok": True}


@router.post("/clock/advance")
async def advance_clock(request: Request) -> dict:
    return {"now": _state(request).advance_clock(float((await _json(request))["seconds"]))}


@router.post("/cards/click")
async def click(request: Request) -> dict:
    """The phone's hook: a member clicks a button; returns the ResponseCode for the callback."""
    body = await _json(request)
    try:
        return _state(request).click_card(body["userid"], body["task_id"], body["key"])
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc


@router.get("/cards/{task_id}")
async def card(request: Request, task_id: str) -> dict:
    info = _state(request).card(task_id)
    if info is None:
        raise HTTPException(404, f"no card {task_id}")
    return info


@router.post("/mp/interaction")
async def mp_interaction(request: Request) -> dict:
    body = await _json(request)
    _state(request).mp_interaction(body["openid"], body.get("kind", "message"))
    return {"ok": True}


@router.post("/aibot/response_url")
async def aibot_response_url(request: Request) -> dict:
    body = await _json(request)
    code = _state(request).issue_aibot_code(body.get("userid", ""), body.get("chatid", ""))
    return {
        "response_url": f"{str(request.base_url).rstrip('/')}/cgi-bin/aibot/response?response_code={code}"
    }


@router.get("/received")
async def received(request: Request, target: str | None = None) -> dict:
    return {"target": target, "entries": _state(request).received(target)}


@router.get("/targets")
async def targets(request: Request) -> dict:
    return {"targets": _state(request).targets()}


@router.get("/counters")
async def counters(request: Request) -> dict:
    return _state(request).counters_snapshot()
