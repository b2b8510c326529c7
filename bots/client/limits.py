"""Byte limits of message bodies, and splitting long text into parts that fit.

Rather than let WeCom truncate (or answer 45002 — which one it does is UNVERIFIED, §2.2), a long
message becomes several sends, cut on line boundaries so each part still reads well.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, TypeVar

from .errors import ApiError

T = TypeVar("T")

MessageKind = Literal[
    "app_text", "app_markdown", "appchat_text", "appchat_markdown", "robot_text", "robot_markdown", "mp_text"
]

# wecom-platform.md §3.1 (and §2.2, §2.4, §2.5, §4.3). Limits count UTF-8 bytes, not characters:
# a Chinese character takes 3 of them.
BYTE_LIMITS: dict[MessageKind, int] = {
    "app_text": 2048,  # message/send text.content
    "app_markdown": 2048,  # app markdown is 2048, not the robot's 4096 (§2.2)
    "appchat_text": 2048,
    "appchat_markdown": 2048,
    "robot_text": 2048,
    "robot_markdown": 4096,
    "mp_text": 2048,  # customer-service text; §3.1 gives no OA figure, so we keep to WeCom's
}

_LINES = re.compile(r"[^\n]*\n|[^\n]+")


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def split_text(text: str, limit: int) -> list[str]:
    """Parts of `text`, each at most `limit` UTF-8 bytes, whose concatenation is `text`.

    Whole lines are packed greedily (a line keeps its "\\n"); a single line longer than `limit`
    is cut between characters (code points), never inside one.
    """
    if limit < 4:
        raise ValueError("limit must hold at least one UTF-8 character (4 bytes)")
    parts: list[str] = []
    current, current_bytes = "", 0
    for line in _LINES.findall(text):
        size = utf8_len(line)
        if current_bytes + size <= limit:
            current, current_bytes = current + line, current_bytes + size
            continue
        if current:
            parts.append(current)
        if size <= limit:
            current, current_bytes = line, size
            continue
        *whole, current = _cut_line(line, limit)
        parts.extend(whole)
        current_bytes = utf8_len(current)
    if current or not parts:
        parts.append(current)
    return parts


# "（12/12）": room for the mark of a numbered part; more than 99 parts is not a message.
PART_MARK_BYTES = len("（99/99）".encode())
MAX_PARTS = 99


def message_parts(text: str, limit: int) -> list[str]:
    """What goes out for `text`: the text itself when it fits, else numbered parts.

    Each part starts with its mark — （1/3）, （2/3）, （3/3） — so readers of a group see that a
    post continues and in what order; the marks fit within `limit`. The parts are a pure function
    of the text, so a retry that skips the parts already delivered keeps the numbering.
    """
    if utf8_len(text) <= limit:
        return [text]
    pieces = split_text(text, limit - PART_MARK_BYTES)
    if len(pieces) > MAX_PARTS:
        raise ValueError(f"text of {utf8_len(text)} bytes needs more than {MAX_PARTS} messages")
    return [f"（{i}/{len(pieces)}）{piece}" for i, piece in enumerate(pieces, 1)]


def _cut_line(line: str, limit: int) -> list[str]:
    """`line` cut into pieces of at most `limit` bytes, at character boundaries."""
    pieces: list[str] = []
    start, used = 0, 0
    for index, char in enumerate(line):
        size = len(char.encode("utf-8"))
        if used + size > limit:
            pieces.append(line[start:index])
            start, used = index, 0
        used += size
    pieces.append(line[start:])
    return pieces


def send_in_parts(text: str, *, kind: MessageKind, send: Callable[[str], T]) -> list[T]:
    """Send `text` as one message per part, in order; stop at the first failure.

    The failure says how many parts were delivered (`ApiError.parts_sent`); the parts are
    deterministic, so a retry can skip those instead of repeating them to the group.
    """
    results: list[T] = []
    for part in split_text(text, BYTE_LIMITS[kind]):
        try:
            results.append(send(part))
        except ApiError as exc:
            exc.parts_sent = len(results)
            raise
    return results
