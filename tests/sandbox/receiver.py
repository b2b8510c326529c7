"""A tiny webhook written for the phone tests: verifies with bots.wire.crypto and replies encrypted."""

from __future__ import annotations

import asyncio
import base64
import json
import os
from dataclasses import dataclass, field, replace

from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse

from bots.wire.crypto import CallbackCrypto, CallbackRejected, sign
from bots.wire.envelope import json_reply, parse_xml, text_reply_xml, xml_reply

TOKEN = "receiver-token"


def new_aes_key() -> str:
    return base64.b64encode(os.urandom(32)).decode().rstrip("=")


@dataclass
class Behaviour:
    fail_first: int = 0  # answer `status` to the first N POSTs
    status: int = 500
    slow_first: int = 0  # sleep `delay` seconds on the first N POSTs
    delay: float = 0.0
    reply: bool = True
    tamper: bool = False  # sign the reply with the wrong token
    requests: list[dict] = field(default_factory=list)  # every POST: raw query/body
    payloads: list[dict] = field(default_factory=list)  # decrypted plaintexts, parsed


def build(*, corp_id: str, mp_app_id: str, keys: dict[str, str], behaviour: Behaviour) -> FastAPI:
    cryptos = {
        "wecom": CallbackCrypto(token=TOKEN, encoding_aes_key=keys["wecom"], receive_id=corp_id),
        "mp": CallbackCrypto(token=TOKEN, encoding_aes_key=keys["mp"], receive_id=mp_app_id),
        "aibot": CallbackCrypto(token=TOKEN, encoding_aes_key=keys["aibot"], receive_id=""),
    }
    app = FastAPI()

    @app.get("/{kind}")
    async def verify(kind: str, request: Request):
        q = request.query_params
        if kind == "mp":
            assert q["signature"] == sign(TOKEN, q["timestamp"], q["nonce"])
            return PlainTextResponse(q["echostr"])
        plain = cryptos[kind].verify_url(
            msg_signature=q["msg_signature"], timestamp=q["timestamp"], nonce=q["nonce"], echostr=q["echostr"]
        )
        return PlainTextResponse(plain)

    @app.post("/{kind}")
    async def callback(kind: str, request: Request):
        n = len(behaviour.requests)
        raw = (await request.body()).decode()
        behaviour.requests.append({"query": dict(request.query_params), "body": raw})
        if n < behaviour.slow_first:
            await asyncio.sleep(behaviour.delay)
        if n < behaviour.fail_first:
            return Response(status_code=behaviour.status)
        try:
            return _answer(kind, request.query_params, raw, cryptos[kind], behaviour)
        except CallbackRejected as exc:
            return PlainTextResponse(exc.reason, status_code=400)

    return app


def _answer(kind, q, raw, crypto, behaviour) -> Response:
    if kind == "mp" and q.get("encrypt_type") != "aes":
        assert q["signature"] == sign(TOKEN, q["timestamp"], q["nonce"])
        fields = parse_xml(raw)
        behaviour.payloads.append(fields)
        reply = text_reply_xml(
            to_user=fields["FromUserName"],
            from_user=fields["ToUserName"],
            create_time=1,
            content="收到(明文)",
        )
        return Response(reply if behaviour.reply else "success", media_type="text/xml")
    encrypt = json.loads(raw)["encrypt"] if kind == "aibot" else parse_xml(raw)["Encrypt"]
    plain = crypto.decrypt(
        encrypt=encrypt, msg_signature=q["msg_signature"], timestamp=q["timestamp"], nonce=q["nonce"]
    )
    fields = json.loads(plain) if kind == "aibot" else parse_xml(plain)
    behaviour.payloads.append(fields)
    if not behaviour.reply:
        return Response(b"")
    if kind == "aibot":
        reply = json.dumps({"msgtype": "stream", "stream": {"id": "s1", "finish": True, "content": "收到"}})
        return Response(
            json_reply(crypto.encrypt(reply, timestamp=q["timestamp"], nonce=q["nonce"])),
            media_type="application/json",
        )
    reply = text_reply_xml(
        to_user=fields["FromUserName"], from_user=fields["ToUserName"], create_time=1, content="收到"
    )
    sealed = crypto.encrypt(reply, timestamp=q["timestamp"], nonce=q["nonce"])
    if behaviour.tamper:
        sealed = replace(
            sealed, signature=sign("not-the-token", sealed.timestamp, sealed.nonce, sealed.encrypt)
        )
    return Response(xml_reply(sealed), media_type="text/xml")
