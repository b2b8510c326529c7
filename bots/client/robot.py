"""The group-robot webhook: webhook/send?key=KEY (wecom-platform.md §2.5).

No access token: the key in the URL is the credential, so there is nothing to refresh and a
rejected key (93000) is permanent. A robot takes 20 messages a minute (45009 beyond); the
session backs off briefly, then hands the pacing back to the caller with `retry_after`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

import httpx

from .clock import Clock, SystemClock
from .limits import MessageKind, send_in_parts
from .results import Delivered
from .session import ApiSession, OwnedHttp
from .tokens import CallRecorder


class RobotClient(OwnedHttp):
    """One group robot. `api_base` is WECOM_API_BASE; the webhook lives under it."""

    def __init__(
        self,
        *,
        webhook_key: str,
        api_base: str,
        recorder: CallRecorder,
        clock: Clock | None = None,
        http: httpx.Client | None = None,
        timeout: float = 10.0,
        rng: random.Random | None = None,
    ) -> None:
        # Recorded calls name the robot by a digest: the key itself is a secret.
        self.app_key = "robot:" + hashlib.sha256(webhook_key.encode()).hexdigest()[:12]
        self._key = webhook_key
        self.session = ApiSession(
            api_base=api_base,
            app_key=self.app_key,
            token_kind="none",
            tokens=None,
            recorder=recorder,
            clock=clock or SystemClock(),
            http=self._init_http(http, timeout),
            rng=rng,
        )

    def send_text(
        self, *, content: str, mentioned_list: Sequence[str] = (), mentioned_mobile_list: Sequence[str] = ()
    ) -> Delivered:
        """Text over 2048 bytes goes out as several messages; only the first one mentions people,
        so nobody is pinged once per part."""
        mentions = {
            "mentioned_list": list(mentioned_list),
            "mentioned_mobile_list": list(mentioned_mobile_list),
        }
        mentions = {name: ids for name, ids in mentions.items() if ids}
        return self._send_long("text", "robot_text", content, mentions)

    def send_markdown(self, *, content: str) -> Delivered:
        """Up to 4096 bytes per message; mention with <@userid> inside the content (§2.5)."""
        return self._send_long("markdown", "robot_markdown", content, {})

    def _send_long(self, msgtype: str, kind: MessageKind, content: str, first_extra: dict) -> Delivered:
        sent = 0

        def send_part(part: str) -> None:
            nonlocal sent
            body = {"msgtype": msgtype, msgtype: {"content": part, **(first_extra if sent == 0 else {})}}
            self.session.call(
                "POST", "webhook/send", params={"key": self._key}, body=body, authenticated=False
            )
            sent += 1

        send_in_parts(content, kind=kind, send=send_part)
        return Delivered(parts=sent)
