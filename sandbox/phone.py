"""The phone side: sends callbacks to our webhooks the way WeCom and the Official Account do.

Encrypted and signed per receiver (§1.2-1.5, §4.1, §5.2), 5 s timeout, up to 3 retries on timeout,
connection failure or non-200 with the very same request (§1.7), and the reply checked and
decrypted with the receiver's own crypto.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

import httpx

from bots.wire.crypto import sign
from sandbox import phone_payloads as payloads
from sandbox.phone_wire import AIBOT, MP, WECOM, CallbackResult, Receiver, Sender, envelope, open_reply

__all__ = ["AIBOT", "MP", "WECOM", "CallbackResult", "Phone", "Receiver"]


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

    def oa_image(self, openid: str, media_id: str, *, msg_id: int | None = None) -> CallbackResult:
        """A photo sent to the Official Account (e.g. a business licence); the media id is ours to pick."""
        self._interaction(openid, "message")
        plain = payloads.oa_image(
            original_id=self.mp_original_id,
            openid=openid,
            media_id=media_id,
            pic_url=f"http://mmbiz.qpic.cn/emulator/{media_id}/0",
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

    def scan_oa_qrcode(self, openid: str, url: str) -> CallbackResult:
        """Scan an OA parametric QR code (the text it encodes): `subscribe` with EventKey
        `qrscene_<scene>` for a newcomer, `SCAN` with EventKey `<scene>` for a follower; both carry
        the code's Ticket (MP-qrcode). An expired or unknown code sends nothing (WeChat says so)."""
        code = self._control("mp/qrcodes/resolve", {"url": url, "openid": openid})
        if code["expired"]:
            raise LookupError("二维码已过期")
        if code["following"]:
            return self.oa_scan(openid, code["scene"], ticket=code["ticket"])
        return self.oa_subscribe(openid, code["scene"], ticket=code["ticket"])

    def join_customer_group(
        self, *, join_link: str | None = None, chat_id: str | None = None, external: dict | None = None
    ) -> CallbackResult:
        """A WeChat user joins a customer group, by a join QR's link or invited into `chat_id`; WeCom
        then pushes change_external_chat (add_member) to the app callback (§1.8)."""
        change = self._control(
            "customer_groups/join", {"join_link": join_link, "chat_id": chat_id, "external": external or {}}
        )
        return self._push_group_change(change["event"])

    def leave_customer_group(self, *, chat_id: str, userid: str, removed: bool = False) -> CallbackResult:
        change = self._control(
            "customer_groups/leave", {"chat_id": chat_id, "userid": userid, "removed": removed}
        )
        return self._push_group_change(change["event"])

    def _push_group_change(self, fields: dict) -> CallbackResult:
        plain = payloads.change_external_chat(corp_id=self.corp_id, create_time=self._now(), fields=fields)
        return self._push(WECOM, plain)

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
        sender = Sender(self.corp_id, self.agent_id, self.mp_original_id)
        query, body, ctype = envelope(
            kind, receiver, plain, sender=sender, timestamp=timestamp, nonce=nonce, openid=openid
        )
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
            result.reply, result.reply_error = open_reply(kind, receiver, result.body)
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
