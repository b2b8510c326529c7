"""Open jobs that fit what a resident asks for or offers (DESIGN: "matching open jobs are
suggested to the seeker in the reply")."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from relay.models import Item

# A post older than this is probably filled even if nobody said so.
FRESH_FOR = timedelta(days=30)


def open_jobs_for(*, session: Session, occupations: list[str], now: datetime, limit: int = 3) -> list[Item]:
    """The newest open job posts whose occupation is one of `occupations` (shared vocabulary)."""
    wanted = [o for o in occupations if o][:10]
    if not wanted:
        return []
    return list(session.scalars(
        select(Item).where(Item.kind == "job", Item.status == "relaying", Item.title.in_(wanted),
                           Item.created_at >= now - FRESH_FOR)
        .order_by(Item.id.desc()).limit(limit)
    ))


def wanted_occupations(kind: str, fields: dict) -> list[str]:
    """What a query asks for, or what a seeker wants (else what they can do)."""
    if kind == "query":
        return list(fields.get("jobs") or [])
    if kind == "seeker":
        return list(dict.fromkeys([*(fields.get("intent_jobs") or []), *(fields.get("skills") or [])]))
    return []
