"""The three callback receivers and their crypto, built once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import Settings
from bots.wire.crypto import CallbackCrypto


@dataclass(frozen=True)
class Receivers:
    wecom: CallbackCrypto | None
    mp: CallbackCrypto | None
    aibot: CallbackCrypto | None
    mp_token: str
    corp_id: str
    mp_app_id: str


def build_receivers(settings: Settings) -> Receivers:
    """A receiver is None when its token or key is not configured; its route then answers 503."""

    def make(token: str, key: str, receive_id: str) -> CallbackCrypto | None:
        if not token or not key:
            return None
        return CallbackCrypto(token=token, encoding_aes_key=key, receive_id=receive_id)

    return Receivers(
        wecom=make(settings.wecom_token, settings.wecom_encoding_aes_key, settings.wecom_corp_id),
        mp=make(settings.mp_token, settings.mp_encoding_aes_key, settings.mp_app_id),
        # D-101033: the AI bot encrypts with an empty receive id.
        aibot=make(settings.aibot_token, settings.aibot_encoding_aes_key, ""),
        mp_token=settings.mp_token,
        corp_id=settings.wecom_corp_id,
        mp_app_id=settings.mp_app_id,
    )
