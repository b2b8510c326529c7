"""/_emulator/ control for customer groups, robot placement and the Official Account's QR codes and media.

These are the phone side's hooks: an owner creates a customer group, a resident scans a join QR or
leaves, someone scans a parametric OA code, a phone shows an image it received. The join/leave
answers carry the fields of the change_external_chat event the phone then pushes (§1.8).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from sandbox.emulator.customer_groups import GroupError, MemberChange
from sandbox.emulator.routes_control import _json, _state

router = APIRouter(prefix="/_emulator")


def _refused(err: GroupError) -> HTTPException:
    # 409: the request is well formed but WeCom would not allow it; the errcode says which rule.
    return HTTPException(409, {"errcode": err.errcode, "reason": err.detail})


def _change(change: MemberChange) -> dict:
    return {"event": change.event_fields(), "userids": change.userids}


@router.post("/customer_groups")
async def seed_group(request: Request) -> dict:
    body = await _json(request)
    try:
        return _state(request).seed_customer_group(
            name=str(body.get("name", "")),
            owner=str(body["owner"]),
            chat_id=body.get("chat_id"),
            staff=list(body.get("staff", [])),
            externals=list(body.get("externals", [])),
            notice=str(body.get("notice", "")),
        )
    except GroupError as err:
        raise _refused(err) from err


@router.get("/customer_groups/{chat_id}")
async def group(request: Request, chat_id: str) -> dict:
    info = _state(request).customer_group(chat_id)
    if info is None:
        raise HTTPException(404, f"no customer group {chat_id}")
    return info


@router.post("/customer_groups/join")
async def join(request: Request) -> dict:
    body = await _json(request)
    try:
        change = _state(request).join_customer_group(
            external=dict(body.get("external", {})),
            chat_id=body.get("chat_id"),
            join_link=body.get("join_link"),
            invitor=body.get("invitor"),
        )
    except GroupError as err:
        raise _refused(err) from err
    return _change(change)


@router.post("/customer_groups/leave")
async def leave(request: Request) -> dict:
    body = await _json(request)
    try:
        change = _state(request).leave_customer_group(
            chat_id=str(body["chat_id"]), userid=str(body["userid"]), removed=bool(body.get("removed"))
        )
    except GroupError as err:
        raise _refused(err) from err
    return _change(change)


@router.post("/robots/bind")
async def bind_robot(request: Request) -> dict:
    body = await _json(request)
    try:
        _state(request).bind_robot(str(body["key"]), str(body["chat_id"]))
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except GroupError as err:
        raise _refused(err) from err
    return {"ok": True}


@router.post("/mp/qrcodes/resolve")
async def resolve_qrcode(request: Request) -> dict:
    """What WeChat knows when someone scans `url`: the ticket and scene, and whether it expired."""
    state = _state(request)
    body = await _json(request)
    code = state.mp_qrcode_by_url(str(body.get("url", "")))
    if code is None:
        raise HTTPException(404, "not a QR code of this Official Account")
    return {
        "ticket": code.ticket,
        "scene": code.scene,
        "action_name": code.action_name,
        "expired": code.expired(state.now()),
        "following": bool(state.directory.followers.get(str(body.get("openid", "")))),
    }


@router.get("/mp/media/{media_id}")
async def media(request: Request, media_id: str) -> Response:
    item = _state(request).mp_media(media_id)
    if item is None:
        raise HTTPException(404, f"no media {media_id}")
    return Response(
        item.content, media_type="image/png" if item.type == "image" else "application/octet-stream"
    )
