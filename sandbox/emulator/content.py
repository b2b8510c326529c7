"""Message body checks shared by the send endpoints: byte limits, empty content, card structure."""

from __future__ import annotations

import re

from sandbox.emulator.cards import INTERACTIVE
from sandbox.emulator.errors import ApiError

CARD_TYPES = frozenset({"text_notice", "news_notice", *INTERACTIVE})
# §2.2: task_id is [0-9A-Za-z_-@], at most 128 bytes.
TASK_ID = re.compile(r"^[0-9A-Za-z_\-@]{1,128}$")
# Message types each endpoint accepts (§2.2, §2.4, §2.5, §4.3); bodies of the others are kept as sent.
APP_TYPES = frozenset(
    {
        "text",
        "markdown",
        "template_card",
        "image",
        "voice",
        "video",
        "file",
        "textcard",
        "news",
        "mpnews",
        "miniprogram_notice",
    }
)
APPCHAT_TYPES = frozenset(
    {"text", "markdown", "image", "voice", "video", "file", "textcard", "news", "mpnews"}
)
ROBOT_TYPES = frozenset({"text", "markdown", "image", "news", "file", "voice", "template_card"})
MP_TYPES = frozenset(
    {"text", "image", "voice", "video", "music", "news", "mpnews", "msgmenu", "wxcard", "miniprogrampage"}
)
# Invalid-parameter errors with no documented code of their own use 40058 (D-90313: over-long
# field, too many array items, missing required parameter).
BAD_PARAM = 40058


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def truncate_utf8(text: str, limit: int) -> str:
    """The longest prefix of `text` of at most `limit` UTF-8 bytes, never cutting a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def message_part(body: dict, msgtype: str) -> dict:
    part = body.get(msgtype)
    if not isinstance(part, dict):
        raise ApiError(BAD_PARAM, f"missing {msgtype} object")
    return part


def check_content(body: dict, msgtype: str, *, limit: int, overflow: str) -> bool:
    """Validate text/markdown content in place; True when it was truncated to `limit` bytes."""
    part = message_part(body, msgtype)
    content = part.get("content")
    if not isinstance(content, str) or not content:
        raise ApiError(44004)
    if utf8_len(content) <= limit:
        return False
    if overflow == "error":
        raise ApiError(45002, f"{msgtype}.content exceed max length {limit} bytes")
    part["content"] = truncate_utf8(content, limit)
    return True


def check_msgtype(body: dict, allowed: frozenset[str]) -> str:
    msgtype = body.get("msgtype")
    if not isinstance(msgtype, str) or msgtype not in allowed:
        raise ApiError(40008, f"invalid message type {msgtype!r}")
    return msgtype


def check_card(card: object) -> tuple[str, str | None]:
    """(card_type, task_id) of a valid template_card; 40058 for any structural error."""
    if not isinstance(card, dict):
        raise ApiError(BAD_PARAM, "missing template_card object")
    card_type = card.get("card_type")
    if card_type not in CARD_TYPES:
        raise ApiError(BAD_PARAM, f"invalid card_type {card_type!r}")
    task_id = card.get("task_id")
    if card_type in INTERACTIVE or task_id is not None:
        if not isinstance(task_id, str) or not TASK_ID.match(task_id):
            raise ApiError(BAD_PARAM, "invalid task_id: [0-9A-Za-z_-@], 1-128 bytes")
    if card_type == "button_interaction":
        check_buttons(card.get("button_list"))
    return card_type, task_id


def check_buttons(buttons: object) -> None:
    """§2.2: 1–6 buttons, each with text; callback buttons need a unique key of ≤1024 bytes."""
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 6:
        raise ApiError(BAD_PARAM, "button_list must have 1-6 buttons")
    keys: set[str] = set()
    for button in buttons:
        if not isinstance(button, dict) or not button.get("text"):
            raise ApiError(BAD_PARAM, "button needs text")
        if button.get("type", 0) == 1:
            continue  # a URL button: no key, no callback
        key = button.get("key")
        if not isinstance(key, str) or not key or utf8_len(key) > 1024 or key in keys:
            raise ApiError(BAD_PARAM, "button key missing, longer than 1024 bytes or repeated")
        keys.add(key)
