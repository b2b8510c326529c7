"""Callback routes. Each reads the request, calls one Edge method, and maps a rejection to a 4xx."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from app.inbound import rejections
from app.inbound.edge import BODY_TOO_LARGE, STALE_TIMESTAMP, Edge, Reply
from bots.wire.crypto import SIGNATURE_MISMATCH, CallbackCrypto, CallbackRejected
from bots.wire.envelope import MAX_BODY_BYTES

log = logging.getLogger("jobmatrix.inbound")
router = APIRouter()


def _edge(request: Request) -> Edge:
    return request.app.state.edge


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise CallbackRejected(BODY_TOO_LARGE, f"declared body of {declared} bytes exceeds {MAX_BODY_BYTES}")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise CallbackRejected(BODY_TOO_LARGE, f"body exceeds {MAX_BODY_BYTES} bytes")
    return body


async def _run(request: Request, channel: str, work) -> Response:
    """Run the callback work off the event loop; turn a rejection into a logged 4xx."""
    edge = _edge(request)
    try:
        # SQLite is a local file and one writer at a time: running the work on the event loop
        # avoids a thread hand-off and GIL ping-pong that cost more than the work itself.
        # PostgreSQL waits on the network, so there the work goes to the thread pool.
        reply: Reply = work(edge) if edge.inline else await run_in_threadpool(work, edge)
    except CallbackRejected as rejected:
        return await _refuse(request, channel, rejected)
    return Response(reply.body, media_type=reply.media_type)


async def _refuse(request: Request, channel: str, rejected: CallbackRejected) -> Response:
    """Count the refusal (a sample is kept and logged, see rejections.py) and answer its 4xx."""
    edge = _edge(request)
    remote = request.client.host if request.client else ""
    refusal = rejections.Refusal(channel, rejected.code, rejected.reason, remote)
    await run_in_threadpool(_record, edge, refusal)
    if rejected.code == BODY_TOO_LARGE:
        status = 413
    else:
        status = 403 if rejected.code in (SIGNATURE_MISMATCH, STALE_TIMESTAMP) else 400
    return Response(f"rejected: {rejected.reason}", status_code=status, media_type="text/plain")


def _record(edge: Edge, refusal: rejections.Refusal) -> None:
    try:
        with edge.write_lock, edge.session_factory() as session:
            rejections.record(session=session, refusal=refusal, now=edge.clock(), sample_per_hour=edge.rejection_sample)
    except Exception:  # the refusal is answered even when it cannot be counted (database down)
        log.exception("could not record a rejected %s callback", refusal.channel)


def _crypto(request: Request, name: str) -> CallbackCrypto | None:
    return getattr(_edge(request).receivers, name)


def _not_configured(name: str) -> Response:
    return Response(f"{name} callback is not configured", status_code=503, media_type="text/plain")


def _q(request: Request, key: str) -> str:
    return request.query_params.get(key, "")


@router.get("/wecom/callback")
@router.get("/aibot/callback")
async def verify_url(request: Request) -> Response:
    name = "wecom" if request.url.path.startswith("/wecom") else "aibot"
    crypto = _crypto(request, name)
    if crypto is None:
        return _not_configured(name)
    return await _run(
        request, name,
        lambda edge: edge.verify(crypto, msg_signature=_q(request, "msg_signature"), timestamp=_q(request, "timestamp"),
                                 nonce=_q(request, "nonce"), echostr=_q(request, "echostr")),
    )


@router.post("/wecom/callback")
@router.post("/aibot/callback")
async def receive(request: Request) -> Response:
    name = "wecom" if request.url.path.startswith("/wecom") else "aibot"
    crypto = _crypto(request, name)
    if crypto is None:
        return _not_configured(name)
    try:
        body = await _body(request)
    except CallbackRejected as rejected:
        return await _refuse(request, name, rejected)
    method = "wecom_post" if name == "wecom" else "aibot_post"
    return await _run(
        request, name,
        lambda edge: getattr(edge, method)(crypto, body, msg_signature=_q(request, "msg_signature"),
                                           timestamp=_q(request, "timestamp"), nonce=_q(request, "nonce")),
    )


@router.get("/mp/callback")
async def mp_verify(request: Request) -> Response:
    if not _edge(request).receivers.mp_token:
        return _not_configured("mp")
    return await _run(
        request, "mp",
        lambda edge: edge.mp_verify(signature=_q(request, "signature"), timestamp=_q(request, "timestamp"),
                                    nonce=_q(request, "nonce"), echostr=_q(request, "echostr")),
    )


@router.post("/mp/callback")
async def mp_receive(request: Request) -> Response:
    if not _edge(request).receivers.mp_token:
        return _not_configured("mp")
    try:
        body = await _body(request)
    except CallbackRejected as rejected:
        return await _refuse(request, "mp", rejected)
    params = dict(request.query_params)
    return await _run(request, "mp", lambda edge: edge.mp_post(body, params=params))
