"""Inputs no person typed as a message: binary junk, walls of text, nothing readable.

Such input gets a clear result (kind `other`, the reason) instead of going through the
classifier and the parsers, which were written for chat-sized text.
"""

from __future__ import annotations

import unicodedata

# A WeCom app text message carries at most 2048 bytes (wecom-platform.md, D-90241), about 680
# Chinese characters; the Official Account allows a little more. 2,000 characters is well past
# anything a resident or an employer types in one message.
MAX_CHARS = 2000
_ALLOWED_CONTROLS = frozenset("\t\n\r")

TOO_LONG = "too_long"
BINARY = "binary"
NO_TEXT = "no_text"


def _is_binary_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    # Cc: control characters (NUL, escape...); Cs: lone surrogates from broken decoding;
    # U+FFFD: what a decoder leaves for bytes that were not text.
    return (category == "Cc" and ch not in _ALLOWED_CONTROLS) or category == "Cs" or ch == "\ufffd"


def _is_readable(ch: str) -> bool:
    """Letters and digits of any script (Chinese included); not marks, symbols or emoji."""
    return unicodedata.category(ch)[0] in "LN"


def input_problem(text: str) -> str | None:
    """Why this text cannot be a message (TOO_LONG, BINARY, NO_TEXT), or None when it can."""
    if len(text) > MAX_CHARS:
        return TOO_LONG
    if any(_is_binary_char(ch) for ch in text):
        return BINARY
    if not any(_is_readable(ch) for ch in text):
        return NO_TEXT  # only emoji, punctuation, RTL or zero-width marks, spaces
    return None


def strip_invisible(text: str) -> str:
    """The text without format characters (zero-width joiners, RTL/LTR marks, BOM), which only
    hide cues from the classifier (招, a zero-width space, 聘 still reads 招聘)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
