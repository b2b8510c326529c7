"""The append-only audit log: every review, decision and report (who, when, what, why)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.csvsafe import safe_cell
from app.org.actors import Actor
from vetting.models import AuditEvent

CSV_COLUMNS = ("id", "at", "actor", "action", "enterprise_id", "item_id", "detail")


def record(
    *, session: Session, actor: Actor | str, action: str, now: datetime, detail: str = "",
    enterprise_id: int | None = None, item_id: int | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (it commits with the change it records)."""
    event = AuditEvent(at=now, actor=str(actor)[:64], action=action[:40], detail=detail,
                       enterprise_id=enterprise_id, item_id=item_id)
    session.add(event)
    return event


def list_events(
    *, session: Session, enterprise_id: int | None = None, item_id: int | None = None,
    action: str | None = None, after_id: int = 0, limit: int = 200,
) -> list[AuditEvent]:
    """Events oldest first, filtered; `after_id` pages through them."""
    query = select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id).limit(limit)
    if enterprise_id is not None:
        query = query.where(AuditEvent.enterprise_id == enterprise_id)
    if item_id is not None:
        query = query.where(AuditEvent.item_id == item_id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))


def as_dict(event: AuditEvent) -> dict:
    return {"id": event.id, "at": event.at.isoformat(), "actor": event.actor, "action": event.action,
            "enterprise_id": event.enterprise_id, "item_id": event.item_id, "detail": event.detail}


def export_csv(*, session: Session, batch: int = 1000) -> Iterator[str]:
    """The whole log as CSV text chunks (header first), read in batches so it streams."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    after = 0
    while True:
        events = list_events(session=session, after_id=after, limit=batch)
        for event in events:
            row = as_dict(event)
            writer.writerow([safe_cell(row[c]) if row[c] is not None else "" for c in CSV_COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(events) < batch:
            return
        after = events[-1].id
