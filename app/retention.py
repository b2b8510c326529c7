"""Retention: personal data is not kept longer than the bureau needs it (issue 11, item 13).

Every day the scheduler's leader purges what is older than JOBMATRIX_RETENTION_DAYS: inbound
messages (their text and our replies), refused-callback samples, unfinished notes and API-call
rows are deleted; sent, failed or cancelled deliveries keep their row (the dashboard's figures
count them) but lose their payload, which holds the text that was posted. Items keep their
masked text: they are the bureau's record of what was relayed, and 删除我的信息 erases them on
request. Work goes in batches, so the purge never holds long locks on a busy database.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.db import session_scope
from app.inbound.models import InboundMessage, PartialNote, RejectedCallback
from app.outbound.models import ApiCall
from app.settings import Settings
from relay.models import Delivery
from relay.scheduler import HousekeepingJob

BATCH = 2000
FINAL_STATUSES = ("sent", "failed", "cancelled")


def _delete_older(session_factory: sessionmaker[Session], column: Any, cutoff: datetime) -> int:
    table = column.class_
    total = 0
    while True:
        with session_scope(session_factory) as session:
            ids = list(session.scalars(select(table.id).where(column < cutoff).limit(BATCH)))
            if ids:
                session.execute(delete(table).where(table.id.in_(ids)))
        total += len(ids)
        if len(ids) < BATCH:
            return total


def _purge_payloads(session_factory: sessionmaker[Session], cutoff: datetime) -> int:
    not_yet = Delivery.payload["purged"].as_string().is_(None)
    total = 0
    while True:
        with session_scope(session_factory) as session:
            rows = list(session.scalars(
                select(Delivery).where(Delivery.created_at < cutoff, Delivery.status.in_(FINAL_STATUSES), not_yet)
                .order_by(Delivery.id).limit(BATCH)))
            for row in rows:
                row.payload = {"msgtype": (row.payload or {}).get("msgtype", ""), "purged": cutoff.date().isoformat()}
        total += len(rows)
        if len(rows) < BATCH:
            return total


def purge_expired(*, session_factory: sessionmaker[Session], now: datetime, days: int) -> int:
    """Purge what is older than `days` days; how many rows were deleted or emptied."""
    cutoff = now - timedelta(days=days)
    return (
        _delete_older(session_factory, InboundMessage.received_at, cutoff)
        + _delete_older(session_factory, ApiCall.at, cutoff)
        + _delete_older(session_factory, RejectedCallback.at, cutoff)
        + _delete_older(session_factory, PartialNote.updated_at, cutoff)
        + _purge_payloads(session_factory, cutoff)
    )


def housekeeping_jobs(settings: Settings) -> list[HousekeepingJob]:
    """The scheduler's daily purge at 03:15 local time (none when retention is 0 = keep forever)."""
    if settings.retention_days <= 0:
        return []
    days = settings.retention_days

    def purge(*, session_factory: sessionmaker[Session], now: datetime) -> int:
        return purge_expired(session_factory=session_factory, now=now, days=days)

    return [HousekeepingJob("purge_expired", CronTrigger(hour=3, minute=15, timezone=settings.timezone), purge)]
