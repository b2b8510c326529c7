"""The outcome figures of a period, from the outcome records themselves (docs/outcomes.md):
recruitment cycle to the hire, time to first contact, placements, satisfaction, training conversion."""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dashboard.period import Period
from app.training.models import Trainee, TrainingClass
from relay.models import Item
from relay.outcome_models import ContactRequest, Hire, Survey

DAY, HOUR = 86400.0, 3600.0
# A graduate hired within this many days of graduation counts toward the class's conversion.
CONVERSION_WINDOW = timedelta(days=90)
SATISFIED_FROM = 4  # 满意 is 5; 4 and 5 of the 1-5 scale count as satisfied


def _in(column, period: Period):
    return (column >= period.start) & (column < period.end)


def hire_cycle(*, session: Session, period: Period) -> tuple[float | None, int]:
    """(median days from a job's posting to its first confirmed hire, jobs) for first hires in the period."""
    first_hire = (select(Hire.job_item_id, func.min(Hire.confirmed_at).label("hired"))
                  .where(Hire.status == "confirmed", Hire.job_item_id.is_not(None))
                  .group_by(Hire.job_item_id).subquery())
    rows = session.execute(select(Item.created_at, first_hire.c.hired).join(first_hire, first_hire.c.job_item_id == Item.id)
                           .where(_in(first_hire.c.hired, period))).all()
    days = [(hired - posted).total_seconds() / DAY for posted, hired in rows]
    return (round(median(days), 2) if days else None), len(days)


def first_contact(*, session: Session, period: Period) -> tuple[float | None, int]:
    """(median hours from a seeker note's posting to the first employer it was released to, notes)."""
    first = (select(ContactRequest.seeker_item_id, func.min(ContactRequest.decided_at).label("contacted"))
             .where(ContactRequest.status == "granted").group_by(ContactRequest.seeker_item_id).subquery())
    rows = session.execute(select(Item.created_at, first.c.contacted).join(first, first.c.seeker_item_id == Item.id)
                           .where(_in(first.c.contacted, period))).all()
    hours = [(contacted - posted).total_seconds() / HOUR for posted, contacted in rows]
    return (round(median(hours), 1) if hours else None), len(hours)


def placements(*, session: Session, period: Period) -> int:
    """Hires the seeker confirmed in the period."""
    return session.scalar(select(func.count()).select_from(Hire).where(
        Hire.status == "confirmed", _in(Hire.confirmed_at, period))) or 0


def satisfaction(*, session: Session, period: Period) -> tuple[int, int]:
    """(answers 4-5, answers) of surveys answered in the period, both sides."""
    scores = session.scalars(select(Survey.score).where(Survey.score.is_not(None), _in(Survey.answered_at, period))).all()
    return sum(s >= SATISFIED_FROM for s in scores), len(scores)


def training_conversion(*, session: Session, period: Period, now: datetime) -> tuple[int, int, int]:
    """(graduates hired within 90 days, graduates, of whom still inside their 90 days and not hired)
    for classes graduated in the period."""
    rows = session.execute(select(Trainee.person_ref, TrainingClass.graduated_at).join(TrainingClass)
                           .where(Trainee.graduated, TrainingClass.graduated_at.is_not(None),
                                  _in(TrainingClass.graduated_at, period))).all()
    if not rows:
        return 0, 0, 0
    refs = {ref for ref, _ in rows}
    hires: dict[str, list[datetime]] = {}
    for ref, at in session.execute(select(Hire.seeker_ref, Hire.confirmed_at).where(
            Hire.status == "confirmed", Hire.seeker_ref.in_(refs))):
        hires.setdefault(ref, []).append(at)
    hired = waiting = 0
    for ref, graduated in rows:
        if any(graduated <= at <= graduated + CONVERSION_WINDOW for at in hires.get(ref, [])):
            hired += 1
        elif now < graduated + CONVERSION_WINDOW:
            waiting += 1
    return hired, len(rows), waiting
