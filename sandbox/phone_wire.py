"""The phone's wire: receivers, callback envelopes (§1.2, §4.1, §5.2) and reply checking (§1.6)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bots.wire.crypto import CallbackCrypto, CallbackRejected, sign
from bots.wire.envelope import cdata, parse_xml

WECOM, MP, AIBOT = "wecom", "mp", "aibot"


@dataclass(frozen=True)
class Receiver:
    """One callback URL and its secrets; receive_id is corpid (app), appid (OA) or "" (AI bot)."""

    url: str
    token: str
    encoding_aes_key: str = ""
    receive_id: str = ""
    plain: bool = False  # OA plain mode: no encryption, three-field signature only (§4.1)

    def crypto(self) -> CallbackCrypto:
        return CallbackCrypto(
            token=self.token, encoding_aes_key=self.encoding_aes_key, receive_id=self.receive_id
        )


@dataclass
class CallbackResult:
    kind: str
    payload: str  # the plaintext that was sent
    attempts: int = 0
    status: int | None = None  # of the last attempt; None if it got no HTTP answer
    body: str = ""  # raw body of the last answer
    reply: str | None = None  # decrypted reply plaintext; None for an empty (acknowledging) body
    reply_error: str | None = None
    errors: list[str] = field(default_factory=list)  # why each failed attempt failed

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.reply_error is None


@dataclass(frozen=True)
class Sender:
    """Who the callback claims to come from (routing hints in the outer envelope)."""

    corp_id: str
    agent_id: int
    mp_original_id: str


def envelope(
    kind: str,
    receiver: Receiver,
    plain: str,
    *,
    sender: Sender,
    timestamp: str,
    nonce: str,
    openid: str | None,
) -> tuple[dict, str, str]:
    """(query, body, content type) of one callback POST."""
    if kind == MP and receiver.plain:
        query = {"signature": sign(receiver.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
        return {**query, "openid": openid}, plain, "text/xml"
    sealed = receiver.crypto().encrypt(plain, timestamp=timestamp, nonce=nonce)
    query = {"msg_signature": sealed.signature, "timestamp": timestamp, "nonce": nonce}
    if kind == AIBOT:
        return query, json.dumps({"encrypt": sealed.encrypt}), "application/json"
    if kind == MP:
        # Safe mode (§4.1): the plain signature rides along; receivers must check msg_signature.
        query = {"signature": sign(receiver.token, timestamp, nonce), **query}
        query.update(openid=openid, encrypt_type="aes")
        body = f"<xml><ToUserName>{cdata(sender.mp_original_id)}</ToUserName><Encrypt>{cdata(sealed.encrypt)}</Encrypt></xml>"
        return query, body, "text/xml"
    body = (
        f"<xml><ToUserName>{cdata(sender.corp_id)}</ToUserName><AgentID>{cdata(sender.agent_id)}</AgentID>"
        f"<Encrypt>{cdata(sealed.encrypt)}</Encrypt></xml>"
    )
    return query, body, "text/xml"


def open_reply(kind: str, receiver: Receiver, body: str) -> tuple[str | None, str | None]:
    """(plaintext reply, error); an empty body (OA: also "success") acknowledges without a reply."""
    text = body.strip()
    if not text or (kind == MP and text == "success"):
        return None, None
    if kind == MP and receiver.plain:
        return text, None
    try:
        fields = _reply_fields(kind, text)
        if not fields.get("Encrypt"):
            return text, "reply is not encrypted"
        plain = receiver.crypto().decrypt(
            encrypt=fields["Encrypt"],
            msg_signature=fields.get("MsgSignature") or "",
            timestamp=str(fields.get("TimeStamp") or ""),
            nonce=fields.get("Nonce") or "",
        )
    except (CallbackRejected, ValueError, AttributeError) as exc:
        return None, f"bad reply: {exc}"
    return plain, None


def _reply_fields(kind: str, text: str) -> dict:
    if kind != AIBOT:
        return parse_xml(text)
    # JSON-mode replies use lowercase keys (§1.6).
    env = json.loads(text)
    return {
        "Encrypt": env.get("encrypt"),
        "MsgSignature": env.get("msgsignature"),
        "TimeStamp": env.get("timestamp"),
        "Nonce": env.get("nonce"),
    }
