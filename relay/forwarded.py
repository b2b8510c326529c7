"""Notes village staff forward from their residents' group to the app (issue 9, item 6).

A customer or ordinary WeChat group's traffic never reaches the app (wecom-platform.md §1.9), so
residents write to the Official Account one-to-one — or the village's staff forward what a resident
posted in the group: `转 <the note>` (or the message itself). The note is the village's; when its
phone number is that of a resident contact of the village, the item also names that resident.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import Contact

# 转 / 转发 then a space or a colon: what staff type before a pasted note ("转行做电焊" is a note).
FORWARD = re.compile(r"^\s*(?:转发|转)(?:\s+|\s*[:：]\s*)(?=\S)")


def strip_forward(text: str) -> tuple[str, bool]:
    """The note without its 转 prefix, and whether it had one."""
    match = FORWARD.match(text)
    return (text[match.end():], True) if match else (text, False)


def resident_by_phone(*, session: Session, village_id: int, phone: str | None) -> Contact | None:
    """The village's resident contact with this phone number (phones are encrypted: compared here)."""
    if not phone:
        return None
    wanted = _digits(phone)
    residents = session.scalars(select(Contact).where(Contact.node_id == village_id, Contact.kind == "resident",
                                                      Contact.phone.is_not(None)).order_by(Contact.id))
    return next((c for c in residents if _digits(c.phone or "") == wanted), None)


def _digits(phone: str) -> str:
    """Stored phones are normalized by the importer; a note's may carry spaces or a +86."""
    digits = re.sub(r"\D", "", phone)
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
