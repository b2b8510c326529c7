"""Matching jobs and seekers, with reasons (docs/matching.md). The API other modules call:

    best_seekers_for_job(session, job_item_id, limit=5)   -> list[Suggestion]
    best_jobs_for_seeker(session, seeker_item_id, limit=5) -> list[Suggestion]
    best_jobs_for_fields(session, fields=..., text=..., node_id=...) -> list[Suggestion]

A Suggestion carries the item code (S7 / J12), the score, the Chinese reasons
(``suggestion.reason_line`` == "同镇 · 有叉车证 · 年龄符合") and the masked text (a seeker's
without any phone digits). Only open items are suggested: jobs relaying and younger than 30 days,
seeker notes approved at least once and younger than 90 days. Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.db import utcnow
from relay.match import profile as profiles
from relay.match.places import place_of_node
from relay.match.search import Suggestion, rank
from relay.models import Item

__all__ = ["Suggestion", "best_seekers_for_job", "best_jobs_for_seeker", "best_jobs_for_fields", "open_item"]


def _best(session: Session, item_id: int, *, kind: str, want: str, limit: int, offset: int,
          now: datetime | None) -> list[Suggestion]:
    item = session.get(Item, item_id)
    if item is None or item.kind != kind:
        return []
    return rank(session, source=profiles.build(session, item), want=want, now=now or utcnow(), limit=limit, offset=offset)


def best_seekers_for_job(
    session: Session, job_item_id: int, *, limit: int = 5, offset: int = 0, now: datetime | None = None
) -> list[Suggestion]:
    """The open seeker notes that fit this job, best first ([] for an unknown job)."""
    return _best(session, job_item_id, kind="job", want="seeker", limit=limit, offset=offset, now=now)


def best_jobs_for_seeker(
    session: Session, seeker_item_id: int, *, limit: int = 5, offset: int = 0, now: datetime | None = None
) -> list[Suggestion]:
    """The open jobs that fit this seeker note, best first ([] for an unknown note)."""
    return _best(session, seeker_item_id, kind="seeker", want="job", limit=limit, offset=offset, now=now)


def best_jobs_for_fields(
    session: Session, *, fields: dict, text: str, node_id: int | None, limit: int = 5, offset: int = 0,
    now: datetime | None = None,
) -> list[Suggestion]:
    """Open jobs for a person not stored as a note (a note being acknowledged, a training graduate):
    templates_msg seeker fields (skills, intent_jobs, age, certs), masked text, home node."""
    source = profiles.profile_from_fields("seeker", fields, text, place_of_node(session, node_id), session)
    return rank(session, source=source, want="job", now=now or utcnow(), limit=limit, offset=offset)


def open_item(session: Session, item: Item) -> None:
    """Make a published job or an approved seeker note findable (idempotent)."""
    if item.kind in ("job", "seeker"):
        profiles.store(session, item)
