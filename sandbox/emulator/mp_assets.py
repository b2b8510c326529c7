"""Official Account parametric QR codes and temporary media: the registry behind qrcode/create and media/upload.

Facts (MP-qrcode: developers.weixin.qq.com …/Account_Management/Generating_a_Parametric_QR_Code):
- action_name QR_SCENE / QR_STR_SCENE (temporary) or QR_LIMIT_SCENE / QR_LIMIT_STR_SCENE (permanent);
  action_info.scene.scene_id (temporary: 32-bit non-zero integer; permanent: 1-100000) or scene_str
  (1-64 characters); expire_seconds for temporary codes, at most 2592000 (30 days), 60 when absent.
  At most 100 000 permanent codes per account.
- The answer is {ticket, expire_seconds (temporary only), url}; `url` is what the QR image encodes,
  so a developer may draw the code himself; showqrcode?ticket= gives the official image.
Temporary media (MP-media "新增临时素材"): type image|voice|video|thumb, kept 3 days; images
≤10 MB in PNG/JPEG/GIF (older copies: 2 MB) — answer {type, media_id, created_at}.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.emulator.errors import ApiError
from sandbox.emulator.ids import random_alnum

TEMPORARY = {"QR_SCENE": "id", "QR_STR_SCENE": "str"}
PERMANENT = {"QR_LIMIT_SCENE": "id", "QR_LIMIT_STR_SCENE": "str"}
MAX_EXPIRE, DEFAULT_EXPIRE = 2_592_000, 60
MAX_PERMANENT_CODES = 100_000
MEDIA_TTL = 3 * 24 * 3600
MEDIA_TYPES = frozenset({"image", "voice", "video", "thumb"})
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
QR_URL_BASE = "http://weixin.qq.com/q/"


class MpAssetError(ApiError):
    """A refusal with the Official Account's errcode."""


@dataclass
class QrCode:
    ticket: str
    url: str
    scene: str
    action_name: str
    expires_at: float | None  # None for a permanent code

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at


@dataclass
class Media:
    media_id: str
    type: str
    content: bytes
    created_at: int


@dataclass
class MpAssets:
    qrcodes: dict[str, QrCode] = field(default_factory=dict)  # by ticket
    media: dict[str, Media] = field(default_factory=dict)

    def create_qrcode(self, body: dict, *, now: float) -> QrCode:
        action = body.get("action_name")
        kind = TEMPORARY.get(action) or PERMANENT.get(action)  # type: ignore[arg-type]
        if kind is None:
            raise MpAssetError(40053, f"invalid action_name {action!r}")
        scene = (body.get("action_info") or {}).get("scene") or {}
        value = self._scene(scene, kind, permanent=action in PERMANENT)
        if action in PERMANENT:
            same = next(
                (q for q in self.qrcodes.values() if q.action_name == action and q.scene == value), None
            )
            if same is not None:
                return same  # a permanent code of the same scene is the same code
            if sum(q.expires_at is None for q in self.qrcodes.values()) >= MAX_PERMANENT_CODES:
                raise MpAssetError(40053, "permanent QR codes used up (100000)")
            expires_at = None
        else:
            seconds = body.get("expire_seconds", DEFAULT_EXPIRE)
            if not isinstance(seconds, int) or seconds <= 0:
                raise MpAssetError(47001, "expire_seconds must be a positive integer")
            expires_at = now + min(seconds, MAX_EXPIRE)
        code = QrCode("gQ" + random_alnum(94), QR_URL_BASE + random_alnum(22), value, action, expires_at)
        self.qrcodes[code.ticket] = code
        return code

    @staticmethod
    def _scene(scene: dict, kind: str, *, permanent: bool) -> str:
        if kind == "str":
            value = scene.get("scene_str")
            if not isinstance(value, str) or not 1 <= len(value) <= 64:
                raise MpAssetError(40053, "scene_str must be 1-64 characters")
            return value
        value = scene.get("scene_id")
        low, high = (1, 100_000) if permanent else (-(2**31), 2**31 - 1)
        if not isinstance(value, int) or isinstance(value, bool) or value == 0 or not low <= value <= high:
            raise MpAssetError(40053, f"scene_id must be a non-zero integer in [{low}, {high}]")
        return str(value)

    def by_url(self, url: str) -> QrCode | None:
        return next((q for q in self.qrcodes.values() if q.url == url), None)

    def upload(self, *, media_type: str | None, content: bytes | None, now: float) -> Media:
        if media_type not in MEDIA_TYPES:
            raise MpAssetError(40004, f"invalid media type {media_type!r}")
        if not content:
            raise MpAssetError(41005, "media data missing")
        if media_type == "image":
            if len(content) > IMAGE_MAX_BYTES:
                raise MpAssetError(40009, "image larger than 10 MB")
            if not content.startswith(IMAGE_MAGIC):
                raise MpAssetError(40005, "image must be PNG, JPEG or GIF")
        media = Media(random_alnum(64), media_type, content, int(now))
        self.media[media.media_id] = media
        return media

    def live_media(self, media_id: object, *, now: float, media_type: str) -> Media:
        """Media still within its 3 days, of the expected type; 40007 otherwise."""
        media = self.media.get(str(media_id or ""))
        if media is None or now >= media.created_at + MEDIA_TTL or media.type != media_type:
            raise MpAssetError(40007, f"invalid media_id {media_id!r}")
        return media
