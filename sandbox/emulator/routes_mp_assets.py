"""Official Account qrcode/create, showqrcode and media/upload (see mp_assets.py for the facts)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request, Response

from sandbox.emulator import api
from sandbox.emulator.routes_groupchat import png_of

router = APIRouter()


def _create_qrcode(call: api.Call) -> dict:
    code = call.state.mp_assets.create_qrcode(call.body, now=call.now)
    answer: dict = {"ticket": code.ticket, "url": code.url}
    if code.expires_at is not None:
        answer["expire_seconds"] = int(round(code.expires_at - call.now))
    return answer


def _upload(media_type: str | None, content: bytes | None) -> Callable[[api.Call], dict]:
    def rule(call: api.Call) -> dict:
        media = call.state.mp_assets.upload(media_type=media_type, content=content, now=call.now)
        return {"type": media.type, "media_id": media.media_id, "created_at": media.created_at}

    return rule


@router.post("/mp/cgi-bin/qrcode/create")
async def qrcode_create(request: Request):
    return await api.run(request, "mp/qrcode/create", _create_qrcode, auth=api.MP, family=api.MP)


@router.post("/mp/cgi-bin/media/upload")
async def media_upload(request: Request):
    content: bytes | None = None
    try:
        form = await request.form()
        upload = form.get("media")
        if upload is not None and not isinstance(upload, str):
            content = await upload.read()
    except (ValueError, AssertionError):  # not multipart: the platform sees no media
        content = None
    rule = _upload(request.query_params.get("type"), content)
    return await api.run(request, "mp/media/upload", rule, auth=api.MP, family=api.MP, has_body=False)


@router.get("/mp/cgi-bin/showqrcode")
async def showqrcode(request: Request) -> Response:
    """The image of a ticket (real host: mp.weixin.qq.com, no access token); 404 once expired."""
    state = request.app.state.emulator
    with state.lock:
        code = state.mp_assets.qrcodes.get(request.query_params.get("ticket") or "")
        if code is None or code.expired(state.now()):
            # A bare 404 (not the API's JSON errcode): this is an image host, not an API.
            return Response("ticket unknown or expired", status_code=404, media_type="text/plain")
        url = code.url
    return Response(png_of(url), media_type="image/png")
