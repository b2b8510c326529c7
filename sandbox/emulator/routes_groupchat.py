"""externalcontact/groupchat/*: customer groups and their join QR codes (wecom-platform.md §2.6).

The join way's `qr_code` is a PNG this emulator serves (real WeCom: a p.qpic.cn image); it really
encodes the join link, so a phone can decode it and join.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import segno
from fastapi import APIRouter, HTTPException, Request, Response

from sandbox.emulator import api
from sandbox.emulator.customer_groups import JoinWay
from sandbox.emulator.errors import ApiError

router = APIRouter()
PREFIX = "externalcontact/groupchat/"


def _qr_url(base_url: str, way: JoinWay) -> str:
    return f"{base_url.rstrip('/')}/qpic/joinway/{way.config_id}.png"


def _get(call: api.Call) -> dict:
    chat_id = call.body.get("chat_id")
    if not isinstance(chat_id, str) or not chat_id:
        raise ApiError(40058, "chat_id required")
    group = call.state.customer_groups.get(chat_id)
    return {"group_chat": group.info(need_name=call.body.get("need_name") == 1)}


def _list(call: api.Call) -> dict:
    """Paged by an opaque cursor (the offset here); limit 1-1000 (D-92120)."""
    limit = call.body.get("limit")
    if not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise ApiError(40058, "limit must be 1-1000")
    owners = (call.body.get("owner_filter") or {}).get("userid_list") or []
    groups = [g for g in call.state.customer_groups.groups.values() if not owners or g.owner in owners]
    start = int(call.body.get("cursor") or 0)
    page = groups[start : start + limit]
    answer: dict = {"group_chat_list": [{"chat_id": g.chat_id, "status": 0} for g in page]}
    if start + limit < len(groups):
        answer["next_cursor"] = str(start + limit)
    return answer


def _add_join_way(call: api.Call) -> dict:
    return {"config_id": call.state.customer_groups.add_join_way(call.body).config_id}


def _get_join_way(base_url: str) -> Callable[[api.Call], dict]:
    def rule(call: api.Call) -> dict:
        way = call.state.customer_groups.join_way(call.body.get("config_id"))
        return {"join_way": way.info(_qr_url(base_url, way))}

    return rule


def _update_join_way(call: api.Call) -> dict:
    call.state.customer_groups.update_join_way(call.body)
    return {}


def _del_join_way(call: api.Call) -> dict:
    groups = call.state.customer_groups
    groups.join_ways.pop(groups.join_way(call.body.get("config_id")).config_id)
    return {}


async def _run(request: Request, name: str, rule: Callable[[api.Call], dict]):
    return await api.run(request, PREFIX + name, rule, auth=api.WECOM)


@router.post("/cgi-bin/externalcontact/groupchat/get")
async def groupchat_get(request: Request):
    return await _run(request, "get", _get)


@router.post("/cgi-bin/externalcontact/groupchat/list")
async def groupchat_list(request: Request):
    return await _run(request, "list", _list)


@router.post("/cgi-bin/externalcontact/groupchat/add_join_way")
async def add_join_way(request: Request):
    return await _run(request, "add_join_way", _add_join_way)


@router.post("/cgi-bin/externalcontact/groupchat/get_join_way")
async def get_join_way(request: Request):
    return await _run(request, "get_join_way", _get_join_way(str(request.base_url)))


@router.post("/cgi-bin/externalcontact/groupchat/update_join_way")
async def update_join_way(request: Request):
    return await _run(request, "update_join_way", _update_join_way)


@router.post("/cgi-bin/externalcontact/groupchat/del_join_way")
async def del_join_way(request: Request):
    return await _run(request, "del_join_way", _del_join_way)


@router.get("/qpic/joinway/{config_id}.png")
async def join_way_image(request: Request, config_id: str) -> Response:
    """The QR image behind `qr_code`; gone once the config is deleted, as a deleted way no longer joins."""
    state = request.app.state.emulator
    with state.lock:
        way = state.customer_groups.join_ways.get(config_id)
        if way is None or way.scene != 2:
            raise HTTPException(404, "no such join QR code")
        link = way.join_link
    return Response(png_of(link), media_type="image/png")


def png_of(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
