"""The phone side: sends callbacks to our webhooks the way WeCom and the Official Account do.

Encrypted and signed per receiver (§1.2-1.5, §4.1, §5.2), 5 s timeout, up to 3 retries on timeout,
connection failure or non-200 with the very same request (§1.7), and the reply checked and
decrypted with the receiver's own crypto.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from bots.wire.crypto import CallbackCrypto, CallbackRejected, sign
from bots.wire.envelope import cdata, parse_xml
from sandbox import phone_payloads as payloads

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


class Phone:
    def __init__(
        self,
        *,
        wecom: Receiver | None = None,
        mp: Receiver | None = None,
        aibot: Receiver | None = None,
        emulator_url: str | None = None,
        corp_id: str = "wwemulatorcorp0001",
        agent_id: int = 1000002,
        mp_original_id: str = "gh_emulator000001",
        aibot_id: str = "aibEMULATOR0001",
        aibot_name: str = "JobBot",
        timeout: float = 5.0,
        max_retries: int = 3,
        verify_timeout: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.receivers = {WECOM: wecom, MP: mp, AIBOT: aibot}
        self.emulator_url = emulator_url.rstrip("/") if emulator_url else None
        self.corp_id, self.agent_id = corp_id, agent_id
        self.mp_original_id, self.aibot_id, self.aibot_name = mp_original_id, aibot_id, aibot_name
        self.timeout, self.max_retries, self.verify_timeout = timeout, max_retries, verify_timeout
        self.clock = clock
        self._http = httpx.Client(trust_env=False)

    @classmethod
    def for_emulator(cls, emulator, **kwargs) -> Phone:
        """A phone whose ids match a running EmulatorServer and which reports clicks/interactions to it."""
        cfg = emulator.config
        return cls(emulator_url=emulator.base_url, corp_id=cfg.corp_id, agent_id=cfg.agent_id, **kwargs)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Phone:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- kinds of callback -----------------------------------------------------------------
    def app_text(self, userid: str, content: str, *, msg_id: int | None = None) -> CallbackResult:
        plain = payloads.app_text(
            corp_id=self.corp_id,
            agent_id=self.agent_id,
            userid=userid,
            content=content,
            create_time=self._now(),
            msg_id=msg_id or payloads.new_msg_id(),
        )
        return self._push(WECOM, plain)

    def card_click(self, userid: str, task_id: str, key: str) -> CallbackResult:
        """Click a button of a card the emulator delivered; the ResponseCode comes from the emulator."""
        click = self._control("cards/click", {"userid": userid, "task_id": task_id, "key": key})
        plain = payloads.card_click(
            corp_id=self.corp_id,
            agent_id=self.agent_id,
            userid=userid,
            create_time=self._now(),
            key=key,
            task_id=task_id,
            card_type=click["card_type"],
            response_code=click["response_code"],
        )
        return self._push(WECOM, plain)

    def oa_text(self, openid: str, content: str, *, msg_id: int | None = None) -> CallbackResult:
        self._interaction(openid, "message")  # opens the 48 h customer-service window (§4.3)
        plain = payloads.oa_text(
            original_id=self.mp_original_id,
            openid=openid,
            content=content,
            create_time=self._now(),
            msg_id=msg_id or payloads.new_msg_id(),
        )
        return self._push(MP, plain, openid=openid)

    def oa_subscribe(
        self, openid: str, scene: str | None = None, *, ticket: str | None = None
    ) -> CallbackResult:
        """Follow, optionally by scanning a parametric QR code: EventKey `qrscene_<scene>`."""
        self._interaction(openid, "subscribe")
        key = None if scene is None else f"qrscene_{scene}"
        if scene is not None and ticket is None:
            ticket = payloads.new_ticket()
        plain = payloads.oa_event(
            original_id=self.mp_original_id,
            openid=openid,
            event="subscribe",
            create_time=self._now(),
            event_key=key,
            ticket=ticket,
        )
        return self._push(MP, plain, openid=openid)

    def oa_scan(self, openid: str, scene: str, *, ticket: str | None = None) -> CallbackResult:
        """A follower scans a parametric QR code: Event SCAN, EventKey = the scene value."""
        self._interaction(openid, "scan")
        plain = payloads.oa_event(
            original_id=self.mp_original_id,
            openid=openid,
            event="SCAN",
            create_time=self._now(),
            event_key=str(scene),
            ticket=ticket or payloads.new_ticket(),
        )
        return self._push(MP, plain, openid=openid)

    def oa_unsubscribe(self, openid: str) -> CallbackResult:
        self._interaction(openid, "unsubscribe")
        plain = payloads.oa_event(
            original_id=self.mp_original_id,
            openid=openid,
            event="unsubscribe",
            create_time=self._now(),
            event_key="",
        )
        return self._push(MP, plain, openid=openid)

    def aibot_mention(
        self, userid: str, chatid: str, text: str, *, msgid: str | None = None
    ) -> CallbackResult:
        """`@BotName text` in group `chatid`; response_url comes from the emulator when there is one."""
        content = text if text.startswith(f"@{self.aibot_name}") else f"@{self.aibot_name} {text}"
        if self.emulator_url:
            response_url = self._control("aibot/response_url", {"userid": userid, "chatid": chatid})[
                "response_url"
            ]
        else:
            response_url = (
                "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code="
                + secrets.token_urlsafe(24)
            )
        plain = payloads.aibot_mention(
            aibot_id=self.aibot_id,
            userid=userid,
            chatid=chatid,
            content=content,
            response_url=response_url,
            msgid=msgid,
        )
        return self._push(AIBOT, plain)

    def verify_url(self, kind: str) -> CallbackResult:
        """The GET check WeCom/OA send when the URL is saved: 1 s, no retries (§1.1, §4.1, §5.2)."""
        receiver = self._receiver(kind)
        timestamp, nonce = str(self._now()), self._nonce()
        expected = str(payloads.new_msg_id())
        if kind == MP:
            query = {
                "signature": sign(receiver.token, timestamp, nonce),
                "timestamp": timestamp,
                "nonce": nonce,
                "echostr": expected,
            }
        else:
            sealed = receiver.crypto().encrypt(expected, timestamp=timestamp, nonce=nonce)
            query = {
                "msg_signature": sealed.signature,
                "timestamp": timestamp,
                "nonce": nonce,
                "echostr": sealed.encrypt,
            }
        result = CallbackResult(kind=f"{kind}:verify_url", payload=expected)
        self._attempt(result, lambda: self._http.get(receiver.url, params=query, timeout=self.verify_timeout))
        result.reply = result.body if result.status == 200 else None
        if result.status == 200 and result.body != expected:
            result.reply_error = "echostr mismatch: the body must be exactly the decrypted echostr"
        return result

    # -- transport -------------------------------------------------------------------------
    def _push(self, kind: str, plain: str, *, openid: str | None = None) -> CallbackResult:
        receiver = self._receiver(kind)
        timestamp, nonce = str(self._now()), self._nonce()
        query, body, ctype = self._envelope(kind, receiver, plain, timestamp, nonce, openid)
        result = CallbackResult(kind=kind, payload=plain)
        # §1.7: the retries resend the identical request (same MsgId, body and query).
        for _ in range(1 + self.max_retries):
            if self._attempt(
                result,
                lambda: self._http.post(
                    receiver.url,
                    params=query,
                    content=body,
                    headers={"content-type": ctype},
                    timeout=self.timeout,
                ),
            ):
                break
        if result.status == 200:
            result.reply, result.reply_error = self._open_reply(kind, receiver, result.body)
        return result

    def _attempt(self, result: CallbackResult, send: Callable[[], httpx.Response]) -> bool:
        result.attempts += 1
        try:
            response = send()
        except httpx.TimeoutException:
            result.status, result.body = None, ""
            result.errors.append("timeout")
            return False
        except httpx.TransportError as exc:
            result.status, result.body = None, ""
            result.errors.append(f"connection: {type(exc).__name__}")
            return False
        result.status, result.body = response.status_code, response.text
        if response.status_code != 200:
            result.errors.append(f"HTTP {response.status_code}")
            return False
        return True

    def _envelope(
        self, kind: str, receiver: Receiver, plain: str, timestamp: str, nonce: str, openid: str | None
    ) -> tuple[dict, str, str]:
        if kind == MP and receiver.plain:
            query = {
                "signature": sign(receiver.token, timestamp, nonce),
                "timestamp": timestamp,
                "nonce": nonce,
                "openid": openid,
            }
            return query, plain, "text/xml"
        sealed = receiver.crypto().encrypt(plain, timestamp=timestamp, nonce=nonce)
        query = {"msg_signature": sealed.signature, "timestamp": timestamp, "nonce": nonce}
        if kind == AIBOT:
            return query, json.dumps({"encrypt": sealed.encrypt}), "application/json"
        if kind == MP:
            # Safe mode (§4.1): the plain signature rides along; receivers must check msg_signature.
            query = {
                "signature": sign(receiver.token, timestamp, nonce),
                **query,
                "openid": openid,
                "encrypt_type": "aes",
            }
            body = f"<xml><ToUserName>{cdata(self.mp_original_id)}</ToUserName><Encrypt>{cdata(sealed.encrypt)}</Encrypt></xml>"
            return query, body, "text/xml"
        body = (
            f"<xml><ToUserName>{cdata(self.corp_id)}</ToUserName><AgentID>{cdata(self.agent_id)}</AgentID>"
            f"<Encrypt>{cdata(sealed.encrypt)}</Encrypt></xml>"
        )
        return query, body, "text/xml"

    def _open_reply(self, kind: str, receiver: Receiver, body: str) -> tuple[str | None, str | None]:
        """(plaintext reply, error); an empty body (OA: also "success") acknowledges without a reply."""
        text = body.strip()
        if not text or (kind == MP and text == "success"):
            return None, None
        if kind == MP and receiver.plain:
            return text, None
        try:
            if kind == AIBOT:
                env = json.loads(text)
                fields = {
                    "Encrypt": env.get("encrypt"),
                    "MsgSignature": env.get("msgsignature"),
                    "TimeStamp": env.get("timestamp"),
                    "Nonce": env.get("nonce"),
                }
            else:
                fields = parse_xml(text)
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

    # -- helpers ---------------------------------------------------------------------------
    def _receiver(self, kind: str) -> Receiver:
        receiver = self.receivers.get(kind)
        if receiver is None:
            raise ValueError(f"no {kind} receiver configured on this phone")
        return receiver

    def _control(self, path: str, body: dict) -> dict:
        if not self.emulator_url:
            raise RuntimeError("this needs the emulator: construct the Phone with emulator_url")
        response = self._http.post(f"{self.emulator_url}/_emulator/{path}", json=body, timeout=5)
        if response.status_code != 200:
            raise LookupError(response.json().get("detail", response.text))
        return response.json()

    def _interaction(self, openid: str, kind: str) -> None:
        if self.emulator_url:
            self._control("mp/interaction", {"openid": openid, "kind": kind})

    def _now(self) -> int:
        return int(self.clock())

    @staticmethod
    def _nonce() -> str:
        return str(secrets.randbelow(10**10))
