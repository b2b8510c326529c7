"""Every figure of one period in one dict: what /api/metrics returns and the page and CSV show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.dashboard import outcomes, service, traffic
from app.dashboard.messaging import HEADLINES, NO_DATA, NOT_RECORDED, NOT_RECORDED_KEYS
from app.dashboard.period import Period
from app.dashboard.service import Policies, Tally
from relay.org_view import load_org
from relay.rules import DeadlinePolicy


def headline(key: str, value: float | int | None, *, numerator: int | None = None, denominator: int | None = None,
             status: str | None = None, **extra: object) -> dict:
    """One headline figure with its label, definition and baseline; `note` is what to show instead of a missing value."""
    label, unit, definition, baseline = HEADLINES[key]
    status = status or ("ok" if value is not None else "no_data")
    note = {"ok": "", "no_data": NO_DATA, "not_recorded": NOT_RECORDED}[status]
    return {"key": key, "label": label, "unit": unit, "value": value, "numerator": numerator,
            "denominator": denominator, "status": status, "note": note, "definition": definition,
            "baseline": baseline, **extra}


def _rate(key: str, tally: Tally) -> dict:
    return headline(key, tally.rate, numerator=tally.hits, denominator=tally.total, open=tally.open)


def _village_rate(tally: Tally) -> dict:
    """The same-day rate with the honest breakdown beside it: confirmed / awaiting / missed."""
    return headline("village_same_day", tally.rate, numerator=tally.hits, denominator=tally.total, open=tally.open,
                    confirmed=tally.confirmed, awaiting=tally.awaiting, missed=tally.missed)


def _sum(tallies) -> Tally:
    total = Tally()
    for tally in tallies:
        total = total.add(tally)
    return total


def get_metrics(*, session: Session, period: Period, now: datetime, base: DeadlinePolicy | None = None) -> dict:
    """The dashboard of [period.start, period.end), judged at `now` (what is still open is left out)."""
    org = load_org(session=session)
    policies = Policies(org, base)
    hops = service.township_on_time(session=session, period=period, now=now, policies=policies)
    posts = service.village_same_day(session=session, period=period, now=now, policies=policies)
    coverage = service.village_coverage(session=session, period=period, org=org)
    counts = traffic.items_by_kind(session=session, period=period)
    cycle, closed = traffic.recruitment_cycle(session=session, period=period)
    heads = [
        _rate("township_on_time", _sum(hops.values())),
        _village_rate(_sum(posts.values())),
        _rate("village_coverage", _sum(coverage.values())),
        headline("jobs_posted", counts["job"]),
        headline("seeker_notes", counts["seeker"]),
        headline("policies", counts["policy"]),
        headline("employers_posting", traffic.employers_posting(session=session, start=period.start, end=period.end)),
        headline("certified_enterprises", traffic.certified_enterprises(session=session, period=period)),
        headline("recruitment_cycle_days", cycle, denominator=closed),
        *outcome_headlines(session=session, period=period, now=now),
        *(headline(key, None, status="not_recorded") for key in NOT_RECORDED_KEYS),
    ]
    return {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat(), "timezone": period.timezone,
                   "start": period.start.isoformat(), "end": period.end.isoformat()},
        "generated_at": now.isoformat(),
        "headline": heads,
        "townships": township_rows(org=org, hops=hops, posts=posts, coverage=coverage),
        "items": counts,
        "employers_by_month": traffic.employers_by_month(session=session, period=period),
        "staff": service.staff_work(session=session, period=period, policies=policies),
        "deliveries": traffic.deliveries_by_channel(session=session, period=period),
        "delivery_errors": traffic.delivery_errors(session=session, period=period),
        "inbound": traffic.inbound_by_channel(session=session, period=period),
        "rejected_callbacks": traffic.rejected_callbacks(session=session, period=period),
        "api_calls": traffic.api_calls(session=session, period=period),
    }


def outcome_headlines(*, session: Session, period: Period, now: datetime) -> list[dict]:
    """Hire cycle, first contact, placements, satisfaction and training conversion (app/dashboard/outcomes.py)."""
    cycle, jobs = outcomes.hire_cycle(session=session, period=period)
    contact, notes = outcomes.first_contact(session=session, period=period)
    satisfied, answers = outcomes.satisfaction(session=session, period=period)
    hired, graduates, _ = outcomes.training_conversion(session=session, period=period, now=now)
    return [
        headline("hire_cycle_days", cycle, denominator=jobs),
        headline("first_contact_hours", contact, denominator=notes),
        headline("placements", outcomes.placements(session=session, period=period)),
        _rate("satisfaction", Tally(satisfied, answers)),
        headline("training_conversion", (hired / graduates) if graduates else None, numerator=hired,
                 denominator=graduates),
    ]


def township_rows(*, org, hops: dict, posts: dict, coverage: dict) -> list[dict]:
    """One row per township (in org order): its three promise figures with their counts."""
    rows = []
    for node in org.nodes.values():
        if node.kind != "township":
            continue
        hop, post, cover = hops.get(node.id, Tally()), posts.get(node.id, Tally()), coverage.get(node.id, Tally())
        rows.append({
            "id": node.id, "name": node.name,
            "hops": hop.total, "hops_on_time": hop.hits, "hops_open": hop.open, "on_time_rate": hop.rate,
            "village_posts": post.total, "village_same_day": post.hits, "village_posts_open": post.open,
            "same_day_rate": post.rate, "village_confirmed": post.confirmed, "village_awaiting": post.awaiting,
            "village_missed": post.missed,
            "villages": cover.total, "villages_reached": cover.hits, "coverage": cover.rate,
        })
    return rows
