"""Random ids in the platform's alphabet (letters and digits)."""

from __future__ import annotations

import secrets
import string

ALNUM = string.ascii_letters + string.digits


def random_alnum(length: int, prefix: str = "") -> str:
    return prefix + "".join(secrets.choice(ALNUM) for _ in range(length))
