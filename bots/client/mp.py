"""The Official Account client: its token, customer-service and template messages (wecom-platform.md §4.2-4.4).

The custom/send body is built by wechatpy's MP `WeChatMessage.send_text`, bound to our session.
A customer-service message is only allowed inside the window a user's own action opens (45015
outside it, 45047 when its quota is spent, §4.3): both are permanent for this send.
"""

from __future__ import annotations

import random
from typing import Any

import httpx
from wechatpy.client.api import WeChatMessage

from .clock import Clock, SystemClock
from .limits import send_in_parts
from .results import Delivered
from .session import ApiSession, Json, OwnedHttp
from .token import FetchedToken, TokenProvider
from .tokens import CallRecorder, TokenStore


class CustomMessageApi:
    """message/custom/send."""

    def __init__(self, session: ApiSession) -> None:
        self._wechatpy = WeChatMessage(session)

    def send_text(self, *, openid: str, content: str) -> Delivered:
        """Text over 2048 bytes goes out as several messages, in order; each counts against the
        user's quota (§4.3), so keep replies short."""
        parts = send_in_parts(
            content, kind="mp_text", send=lambda part: self._wechatpy.send_text(openid, part)
        )
        return Delivered(parts=len(parts))

    def send_image(self, *, openid: str, media_id: str) -> None:
        """An image from media/upload; counts against the same window quota as text (§4.3)."""
        self._wechatpy.send_image(openid, media_id)


class TemplateMessageApi:
    """message/template/send (§4.4): a service notification that needs no open window, only a
    follower (43004), a template the account has added (40037) and data filling its keywords
    (47003); all three are permanent for this send (errcodes.py)."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def send(
        self, *, openid: str, template_id: str, data: dict[str, str], url: str = "", client_msg_id: str = ""
    ) -> int:
        """The platform's msgid; `data` maps each keyword of the template to its value."""
        body: dict[str, Any] = {
            "touser": openid,
            "template_id": template_id,
            "data": {name: {"value": value} for name, value in data.items()},
        }
        if url:
            body["url"] = url
        if client_msg_id:
            body["client_msg_id"] = client_msg_id
        return int(self._session.call("POST", "message/template/send", body=body)["msgid"])


class QrCodeApi:
    """qrcode/create: parametric QR codes whose scene comes back in subscribe / SCAN events."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def create(self, *, scene: int | str, permanent: bool = True, expire_seconds: int | None = None) -> Json:
        """{"ticket", "url", "expire_seconds" (temporary only)}; an int scene makes a *_SCENE code,
        a str scene a *_STR_SCENE one. Draw the QR from `url`."""
        kind = "STR_SCENE" if isinstance(scene, str) else "SCENE"
        action = f"QR_LIMIT_{kind}" if permanent else f"QR_{kind}"
        key = "scene_str" if isinstance(scene, str) else "scene_id"
        body: dict[str, Any] = {"action_name": action, "action_info": {"scene": {key: scene}}}
        if not permanent and expire_seconds is not None:
            body["expire_seconds"] = expire_seconds
        return self._session.call("POST", "qrcode/create", body=body)


class MediaApi:
    """media/upload: temporary media (kept 3 days) for customer-service messages."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def upload_image(
        self, *, content: bytes, filename: str = "image.png", content_type: str = "image/png"
    ) -> Json:
        """{"type": "image", "media_id", "created_at"}."""
        return self._session.call(
            "POST",
            "media/upload",
            params={"type": "image"},
            files={"media": (filename, content, content_type)},
        )


class MpClient(OwnedHttp):
    def __init__(
        self,
        *,
        app_id: str,
        app_secret: str,
        api_base: str,
        token_store: TokenStore,
        recorder: CallRecorder,
        clock: Clock | None = None,
        http: httpx.Client | None = None,
        timeout: float = 10.0,
        rng: random.Random | None = None,
    ) -> None:
        clock = clock or SystemClock()
        self.app_key = f"mp:{app_id}"
        self._app_id = app_id
        self._app_secret = app_secret
        self.session = ApiSession(
            api_base=api_base,
            app_key=self.app_key,
            token_kind="mp",
            tokens=None,
            recorder=recorder,
            clock=clock,
            http=self._init_http(http, timeout),
            rng=rng,
        )
        self.tokens = TokenProvider(
            app_key=self.app_key, fetch=self._fetch_token, store=token_store, clock=clock
        )
        self.session.tokens = self.tokens
        self.custom = CustomMessageApi(self.session)
        self.template = TemplateMessageApi(self.session)
        self.qrcode = QrCodeApi(self.session)
        self.media = MediaApi(self.session)

    def _fetch_token(self) -> FetchedToken:
        """§4.2: each fetch invalidates the previous token after 5 minutes — hence the shared store."""
        params = {"grant_type": "client_credential", "appid": self._app_id, "secret": self._app_secret}
        answer = self.session.call("GET", "token", params=params, authenticated=False)
        return FetchedToken(token=answer["access_token"], expires_in=int(answer.get("expires_in", 7200)))
