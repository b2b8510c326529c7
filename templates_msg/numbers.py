"""Read amounts the way people write them: 4500, 4.5k, 4千5, 四千五, 1.2万, 两百."""

from __future__ import annotations

import re

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10000, "k": 1000, "K": 1000, "w": 10000, "W": 10000}

# One amount: ASCII digits with an optional unit and shorthand tail (4千5, 1.2万, 5k),
# or Chinese numerals (四千五, 一万二, 一百五十).
AMOUNT = r"(?:\d+(?:\.\d+)?\s*(?:[kKwW千万](?:\d(?!\d))?)?|[零一二两三四五六七八九十百千万]{2,6})"
_AMOUNT_RE = re.compile(AMOUNT)


def _cn_small(text: str) -> int | None:
    """Chinese numerals below 10000, with the spoken shorthand 四千五 = 4500, 一百五 = 150."""
    total, digit, last_unit = 0, None, 1
    for ch in text:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in ("十", "百", "千"):
            unit = _CN_UNIT[ch]
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        total += digit * (last_unit // 10 if last_unit >= 100 else 1)
    return total


def parse_amount(text: str) -> float | None:
    """Value of one amount string, or None if it is not a number."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKwW千万])?(\d)?", text)
    if m:
        value = float(m.group(1))
        if m.group(2):
            unit = _CN_UNIT[m.group(2)]
            value *= unit
            if m.group(3):  # 4千5 = 4500, 1万2 = 12000
                value += int(m.group(3)) * unit / 10
        return value
    if "万" in text:
        head, _, tail = text.partition("万")
        high = _cn_small(head) if head else 1
        low = _cn_small(tail) if tail else 0
        if high is None or low is None:
            return None
        if tail and len(tail) == 1 and tail in _CN_DIGIT:
            low = _CN_DIGIT[tail] * 1000  # 一万二 = 12000
        return float(high * 10000 + low)
    small = _cn_small(text)
    return float(small) if small is not None else None


def to_int(value: float | None) -> int | None:
    return None if value is None else int(round(value))


def parse_int(text: str) -> int | None:
    """A small count or age written in digits or Chinese numerals (20, 二十, 两)."""
    return to_int(parse_amount(text))
