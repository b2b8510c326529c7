"""Partial notes: an incomplete seeker note or job post waits for the sender's next message."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.inbound.models import PartialNote

# A follow-up the next day is a new conversation, not the missing half of yesterday's note.
PARTIAL_NOTE_TTL = timedelta(hours=12)


def load_partial(*, session: Session, channel: str, sender: str, now: datetime) -> dict[str, Any] | None:
    note = session.scalar(select(PartialNote).where(PartialNote.channel == channel, PartialNote.sender == sender))
    if note is None or now - note.updated_at > PARTIAL_NOTE_TTL:
        return None
    return json.loads(note.state)


def save_partial(*, session: Session, channel: str, sender: str, state: dict[str, Any], now: datetime) -> None:
    note = session.scalar(select(PartialNote).where(PartialNote.channel == channel, PartialNote.sender == sender))
    if note is None:
        note = PartialNote(channel=channel, sender=sender)
        session.add(note)
    note.state = json.dumps(state, ensure_ascii=False)
    note.updated_at = now


def clear_partial(*, session: Session, channel: str, sender: str) -> None:
    # synchronize_session=False: no PartialNote objects are loaded here, so nothing to reconcile.
    session.execute(
        delete(PartialNote).where(PartialNote.channel == channel, PartialNote.sender == sender),
        execution_options={"synchronize_session": False},
    )
