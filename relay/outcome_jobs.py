"""Scheduler jobs of the outcome flows, `fn(*, session_factory, now) -> int` like relay/deadlines.py
(which re-exports them so the scheduler finds them by name). Both are idempotent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from app.db import session_scope
from relay import consent, outcomes, questions
from relay.rules import DeadlinePolicy


def expire_contact_requests(*, session_factory: sessionmaker[Session], now: datetime,
                            base: DeadlinePolicy | None = None) -> int:
    """Contact requests 24 h without an answer: the employer is told politely. Also masks the
    number in release messages already sent."""
    with session_scope(session_factory) as session:
        return consent.expire_due(session=session, now=now) + consent.scrub_sent_releases(session=session)


def ask_questions(*, session_factory: sessionmaker[Session], now: datetime, base: DeadlinePolicy | None = None) -> int:
    """Surveys whose day has come become questions; waiting questions go out to people who can now
    be reached (they wrote to us, or their previous question closed)."""
    with session_scope(session_factory) as session:
        expired = questions.expire_unanswered(session=session, now=now)
        queued = outcomes.queue_due_surveys(session=session, now=now)
        return expired + queued + questions.ask_waiting(session=session, now=now)
