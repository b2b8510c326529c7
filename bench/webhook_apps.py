"""The two ASGI apps bench/webhook.py serves with `uvicorn --factory`, configured from the environment.

`full_app` is the real application. `bare_app` is the floor it is compared with: the same
signature check, decryption and encrypted reply, and nothing else (no timestamp check, no
database, no handler, no thread pool), so the ratio shows what dedupe, storage and the
handlers cost on top of the crypto every callback endpoint has to do anyway.
"""

from __future__ import annotations

import time

from fastapi import FastAPI, Request, Response

from app.main import create_app
from app.settings import load_settings
from bots.wire.crypto import CallbackCrypto, CallbackRejected
from bots.wire.envelope import encrypt_field, parse_xml, text_reply_xml, xml_reply

# About as long as the real acknowledgement, so both replies cost the same to encrypt and send.
BARE_REPLY = "收到，已记录您的求职信息：叉车司机，有证5年，期望中牟仓库，电话138****8000。"


def full_app() -> FastAPI:
    return create_app(load_settings())


def bare_app() -> FastAPI:
    settings = load_settings()
    crypto = CallbackCrypto(
        token=settings.wecom_token,
        encoding_aes_key=settings.wecom_encoding_aes_key,
        receive_id=settings.wecom_corp_id,
    )
    app = FastAPI(title="bare callback")

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.post("/wecom/callback")
    async def callback(request: Request) -> Response:
        query = request.query_params
        nonce = query.get("nonce", "")
        try:
            plaintext = crypto.decrypt(
                encrypt=encrypt_field(parse_xml(await request.body())),
                msg_signature=query.get("msg_signature", ""),
                timestamp=query.get("timestamp", ""),
                nonce=nonce,
            )
        except CallbackRejected as rejected:
            return Response(f"rejected: {rejected.reason}", status_code=403, media_type="text/plain")
        now = int(time.time())
        reply = text_reply_xml(
            to_user=parse_xml(plaintext)["FromUserName"],
            from_user=crypto.receive_id,
            create_time=now,
            content=BARE_REPLY,
        )
        sealed = crypto.encrypt(reply, timestamp=str(now), nonce=nonce)
        return Response(xml_reply(sealed), media_type="application/xml")

    return app
