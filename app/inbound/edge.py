"""The request-independent part of each callback: verify, decrypt, accept, seal the reply.

Routes (views.py) only read the HTTP request and call one function here; each returns the
response body and media type, or raises CallbackRejected with the reason.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from app.inbound import service
from app.inbound.receivers import Receivers
from bots.inbound import CHANNEL_MP, CHANNEL_WECOM, Inbound, from_aibot_json, from_plaintext
from bots.wire.crypto import SIGNATURE_MISMATCH, CallbackCrypto, CallbackRejected, same_signature, sign
from bots.wire.envelope import (
    check_size,
    encrypt_field,
    json_reply,
    parse_json,
    parse_xml,
    text_reply_xml,
    utf8_text,
    xml_reply,
)
from relay.rules import DeadlinePolicy

STALE_TIMESTAMP = -40090  # ours, not Tencent's: the timestamp is outside the allowed skew
BODY_TOO_LARGE = -40091  # ours: the body exceeds MAX_BODY_BYTES (answered 413)
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class Reply:
    body: str
    media_type: str = "text/plain"


@dataclass
class Edge:
    receivers: Receivers
    session_factory: sessionmaker[Session]
    clock: Callable[[], datetime]
    max_skew_seconds: int
    # SQLite has one writer at a time; threads that collide wait in its busy handler, which
    # sleeps in steps of up to 100 ms. Taking turns in-process avoids those sleeps.
    write_lock: AbstractContextManager = field(default_factory=nullcontext)

    inline: bool = False  # run on the event loop (SQLite) rather than in the thread pool
    policy: DeadlinePolicy | None = None  # JOBMATRIX_TIMEZONE for the relay's deadline rules
    # Called with each accepted message after its transaction committed (wakes background work).
    after_accept: Callable[[Inbound], None] | None = None
    rejection_sample: int = 100  # JOBMATRIX_REJECTED_SAMPLE_PER_HOUR

    @classmethod
    def for_database(cls, *, dialect: str, **kwargs) -> Edge:
        sqlite = dialect == "sqlite"
        return cls(write_lock=threading.Lock() if sqlite else nullcontext(), inline=sqlite, **kwargs)

    def check_timestamp(self, timestamp: str) -> None:
        """Refuse replays of old captures; WeCom signs with the current time (skew 0 = no check)."""
        # Unix seconds in ASCII digits: int() also takes "-1", "１７００" and 400-digit numbers
        # that overflow a float, none of which WeCom sends.
        if not _UNIX_SECONDS.fullmatch(timestamp):
            raise CallbackRejected(STALE_TIMESTAMP, "timestamp is not Unix seconds (1-12 ASCII digits)")
        if self.max_skew_seconds <= 0:
            return
        sent = int(timestamp)
        skew = abs(self.clock().timestamp() - sent)
        if skew > self.max_skew_seconds:
            raise CallbackRejected(STALE_TIMESTAMP, f"timestamp is {int(skew)} s away from now (max {self.max_skew_seconds})")

    def verify(self, crypto: CallbackCrypto, *, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> Reply:
        self.check_timestamp(timestamp)
        return Reply(crypto.verify_url(msg_signature=msg_signature, timestamp=timestamp, nonce=nonce, echostr=echostr))

    def _accept(self, inbound: Inbound) -> str:
        with self.write_lock, self.session_factory() as session:
            reply = service.accept(session=session, inbound=inbound, now=self.clock(), policy=self.policy)
        if self.after_accept is not None:
            self.after_accept(inbound)
        return reply

    def wecom_post(self, crypto: CallbackCrypto, body: bytes, *, msg_signature: str, timestamp: str, nonce: str) -> Reply:
        check_size(body)
        self.check_timestamp(timestamp)
        json_mode = body.lstrip().startswith(b"{")  # §1.2: the JSON envelope variant, same crypto
        envelope = parse_json(body) if json_mode else parse_xml(body)
        encrypt = encrypt_field(envelope, key="encrypt" if json_mode and "encrypt" in envelope else "Encrypt")
        plaintext = crypto.decrypt(encrypt=encrypt, msg_signature=msg_signature, timestamp=timestamp, nonce=nonce)
        inbound = from_plaintext(plaintext, channel=CHANNEL_WECOM)
        text = self._accept(inbound)
        if json_mode:
            return self._seal_json_text(crypto, inbound, text, nonce=nonce)
        return self._seal_xml(crypto, inbound, text, nonce=nonce)

    def _seal_json_text(self, crypto: CallbackCrypto, inbound: Inbound, text: str, *, nonce: str) -> Reply:
        if not text:
            return Reply("")
        reply = {"ToUserName": inbound.sender, "FromUserName": crypto.receive_id,
                 "CreateTime": int(self.clock().timestamp()), "MsgType": "text", "Content": text}
        sealed = crypto.encrypt(_json(reply), timestamp=str(int(time.time())), nonce=nonce)
        return Reply(json_reply(sealed), "application/json")

    def aibot_post(self, crypto: CallbackCrypto, body: bytes, *, msg_signature: str, timestamp: str, nonce: str) -> Reply:
        check_size(body)
        self.check_timestamp(timestamp)
        encrypt = encrypt_field(parse_json(body), key="encrypt")
        plaintext = crypto.decrypt(encrypt=encrypt, msg_signature=msg_signature, timestamp=timestamp, nonce=nonce)
        inbound = from_aibot_json(plaintext)
        text = self._accept(inbound)
        if not text:
            return Reply("")
        # D-101031: a message is answered with a finished "stream" reply.
        stream = {"msgtype": "stream", "stream": {"id": secrets.token_hex(8), "finish": True, "content": text}}
        sealed = crypto.encrypt(_json(stream), timestamp=str(int(time.time())), nonce=nonce)
        return Reply(json_reply(sealed), "application/json")

    def mp_verify(self, *, signature: str, timestamp: str, nonce: str, echostr: str) -> Reply:
        """OA URL check: three-field signature, echostr returned verbatim (MP-msgpush)."""
        self.check_timestamp(timestamp)
        self._check_plain_signature(signature, timestamp, nonce)
        return Reply(echostr)

    def mp_post(self, body: bytes, *, params: dict[str, str]) -> Reply:
        check_size(body)
        timestamp, nonce = params.get("timestamp", ""), params.get("nonce", "")
        self.check_timestamp(timestamp)
        envelope = parse_xml(body)
        crypto = self.receivers.mp
        if params.get("encrypt_type") == "aes":
            if crypto is None:
                raise CallbackRejected(SIGNATURE_MISMATCH, "safe mode used but MP_ENCODING_AES_KEY is not configured")
            plaintext = crypto.decrypt(
                encrypt=encrypt_field(envelope), msg_signature=params.get("msg_signature", ""), timestamp=timestamp, nonce=nonce
            )
        else:
            self._check_plain_signature(params.get("signature", ""), timestamp, nonce)
            plaintext = utf8_text(body)
        inbound = from_plaintext(plaintext, channel=CHANNEL_MP)
        text = self._accept(inbound)
        if not text:
            return Reply("success")  # MP: "success" or empty stops the retries
        reply_xml = text_reply_xml(
            to_user=inbound.sender, from_user=inbound.receiver, create_time=int(self.clock().timestamp()), content=text
        )
        if params.get("encrypt_type") != "aes":
            return Reply(reply_xml, "application/xml")
        assert crypto is not None
        return Reply(xml_reply(crypto.encrypt(reply_xml, timestamp=str(int(time.time())), nonce=nonce)), "application/xml")

    def _check_plain_signature(self, signature: str, timestamp: str, nonce: str) -> None:
        token = self.receivers.mp_token
        if not token or not same_signature(sign(token, timestamp, nonce), signature):
            raise CallbackRejected(SIGNATURE_MISMATCH, "signature does not match MP_TOKEN/timestamp/nonce")

    def _seal_xml(self, crypto: CallbackCrypto, inbound: Inbound, text: str, *, nonce: str) -> Reply:
        if not text:
            return Reply("")  # empty 200 = acknowledged, no passive reply (D-90238)
        reply_xml = text_reply_xml(
            to_user=inbound.sender, from_user=crypto.receive_id, create_time=int(self.clock().timestamp()), content=text
        )
        return Reply(xml_reply(crypto.encrypt(reply_xml, timestamp=str(int(time.time())), nonce=nonce)), "application/xml")


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
