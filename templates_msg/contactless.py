"""Seeker notes leave the village without any digit of the seeker's phone (pure).

Masking keeps 138****5678 so a person can recognise their own number; a note relayed to
employers must not carry even that: the only way from a note to its author is 联系 S12, which
asks the seeker first (docs/outcomes.md).
"""

from __future__ import annotations

import dataclasses
import re

from templates_msg.model import Understanding

# What mask() leaves of a phone or landline: kept digits around a run of asterisks.
_MASKED_NUMBER = re.compile(r"\d{0,4}[*＊]{3,}\d{1,4}")
HIDDEN = "电话已隐藏"


def without_phone_digits(text: str) -> str:
    """The text with every masked phone number replaced by 电话已隐藏."""
    return _MASKED_NUMBER.sub(HIDDEN, text)


def for_relay(u: Understanding) -> Understanding:
    """A seeker note as it may be relayed: no phone field, no phone digits in the masked text."""
    if u.kind != "seeker":
        return u
    fields = {k: v for k, v in u.fields.items() if k != "phone"}
    return dataclasses.replace(u, fields=fields, masked=without_phone_digits(u.masked))
