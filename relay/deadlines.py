"""Scheduler jobs (docs/relay.md, "Scheduler jobs"): each `fn(*, session_factory, now) -> int`.

Every job is idempotent and safe to run late or twice: it acts on rows whose moment has
passed and marks them (reminded_at, escalated_at, a decision) or writes deliveries under a
dedupe key, so a second run finds nothing left to do. Per-node rules come from relay/rules.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.db import session_scope
from relay import figures, messaging, outbox, people, service
from relay.models import Delivery, Hop
from relay.org_view import OrgView, load_org
from relay.outcome_jobs import ask_questions, expire_contact_requests  # noqa: F401  (scheduled by name)
from relay.rules import (
    DeadlinePolicy,
    auto_approves_on_timeout,
    clock_text,
    cutoff_of,
    local,
    parse_clock,
    township_reminder_at,
)

OPEN_DELIVERY = ("queued", "failed")


def _waiting_hops(session: Session, now: datetime) -> list[Hop]:
    return list(session.scalars(
        select(Hop).where(Hop.tier == "township", Hop.needs_approval, Hop.status == "pending", Hop.arrived_at <= now)
        .order_by(Hop.id)
    ))


def send_reminders(*, session_factory: sessionmaker[Session], now: datetime, base: DeadlinePolicy | None = None) -> int:
    """Remind the card holder of hops waiting past the reminder time (20 min)."""
    touched = 0
    with session_scope(session_factory) as session:
        org = load_org(session=session)
        for hop in _waiting_hops(session, now):
            policy = org.policy(hop.to_node_id, base)
            if hop.reminded_at is not None or township_reminder_at(hop.arrived_at, policy) > now or hop.due_at is None:
                continue
            if hop.item.status not in service.RELAYABLE:
                continue  # held after reports: nobody can decide it now, so don't ask
            userid = people.card_holder(session=session, hop=hop)
            if userid:
                content = messaging.reminder(hop.item.code, local(hop.due_at, policy))
                outbox.to_person(session=session, purpose="reminder", userid=userid, content=content, now=now,
                                 item_id=hop.item_id, hop_id=hop.id)
            hop.reminded_at = now
            touched += 1
    return touched


def apply_timeouts(*, session_factory: sessionmaker[Session], now: datetime, base: DeadlinePolicy | None = None) -> int:
    """Auto-approve overdue job and policy hops where the township allows it; seeker notes wait."""
    touched = 0
    with session_scope(session_factory) as session:
        org = load_org(session=session)
        for hop in _waiting_hops(session, now):
            policy = org.policy(hop.to_node_id, base)
            if hop.due_at is None or hop.due_at > now or not auto_approves_on_timeout(hop.item.kind, policy):
                continue
            # The same lock a steward's click takes: a decision in progress finishes first.
            locked = service.lock_hop(session=session, hop_id=hop.id)
            if locked is None or locked.status != "pending":
                continue
            if hop.item.status not in service.RELAYABLE:
                continue  # held after reports or withdrawn: a timeout must not publish it
            service.decide(session=session, hop=hop, status="approved", by="timeout", name="timeout", now=now, base=base,
                           org=org)
            touched += 1
    return touched


def escalate_overdue(*, session_factory: sessionmaker[Session], now: datetime, base: DeadlinePolicy | None = None) -> int:
    """Tell the backup steward and the district officer about hops nobody decided in time (30 min)."""
    touched = 0
    with session_scope(session_factory) as session:
        org = load_org(session=session)
        overdue = session.scalars(
            select(Hop).where(
                Hop.tier == "township", Hop.needs_approval, Hop.escalated_at.is_(None), Hop.due_at <= now,
                or_(Hop.status == "pending", Hop.decided_by == "timeout"),
            ).order_by(Hop.id)
        )
        for hop in overdue:
            if hop.status == "pending" and hop.item.status not in service.RELAYABLE:
                continue  # held after reports: the officer already has it; escalate once released
            _escalate(session, org, hop, now)
            touched += 1
    return touched


def _escalate(session: Session, org: OrgView, hop: Hop, now: datetime) -> None:
    township = org.nodes[hop.to_node_id].name
    content = messaging.escalation(hop.item.code, township, hop.decided_by == "timeout", hop.text)
    for person in people.escalation_targets(session=session, township_id=hop.to_node_id, org=org):
        outbox.to_person(session=session, purpose="escalation", userid=person.userid, content=content, now=now,
                         item_id=hop.item_id, hop_id=hop.id)
    hop.escalated_at = now


def village_cutoff_sweep(
    *, session_factory: sessionmaker[Session], now: datetime, base: DeadlinePolicy | None = None, at: str | None = None,
) -> int:
    """After a village's cutoff (20:30): retry today's unsent posts now and tell the village head.

    Safe to run every few minutes: it only looks at villages whose own cutoff has passed today.
    `at` ("19:00") limits it to the villages whose cutoff is that time: the scheduler runs one
    such job per distinct cutoff in the org (relay/scheduler.py), so each village is swept at its own.
    """
    touched = 0
    with session_scope(session_factory) as session:
        org = load_org(session=session)
        for village_id, rows in figures.open_village_posts(session=session, now=now, statuses=OPEN_DELIVERY).items():
            policy = org.policy(village_id, base)
            if at is not None and clock_text(policy.cutoff) != at:
                continue
            today = local(now, policy).date()
            due_today = [d for d in rows if local(d.not_before, policy).date() == today]
            if not due_today or now < cutoff_of(today, policy):
                continue
            touched += _push_and_escalate(session, org, village_id, due_today, now, today.isoformat())
    return touched


def _push_and_escalate(session: Session, org: OrgView, village_id: int, rows: list[Delivery], now: datetime, day: str) -> int:
    for row in rows:
        if row.status == "queued":
            row.next_attempt_at = now  # 信息不过夜: skip any remaining backoff
    codes = sorted({service.item_code(session=session, item_id=d.item_id) for d in rows if d.item_id is not None})
    content = messaging.cutoff_escalation(org.nodes[village_id].name, codes)
    for head in people.village_heads(session=session, village_id=village_id):
        outbox.to_person(session=session, purpose="escalation", userid=head.userid, content=content, now=now,
                         key=f"cutoff:{day}:{village_id}:{head.userid}")
    return len(rows)


def daily_digest(
    *, session_factory: sessionmaker[Session], now: datetime, base: DeadlinePolicy | None = None, at: str | None = None,
) -> int:
    """Yesterday's on-time figures to each steward at the township's `digest_at` (08:00); one
    message per steward per day. `at` limits it to the townships whose digest is at that time;
    without it, every township whose digest time has come today."""
    sent = 0
    with session_scope(session_factory) as session:
        org = load_org(session=session)
        for township in [n for n in org.nodes.values() if n.kind == "township"]:
            policy = org.policy(township.id, base)
            if at is not None and clock_text(policy.digest_at) != at:
                continue
            here = local(now, policy)
            if here.hour * 60 + here.minute < parse_clock(policy.digest_at):
                continue  # this township reads its digest later today
            day = figures.yesterday_of(now, policy)
            numbers = figures.township_day(session=session, org=org, township_id=township.id, day=day, policy=policy)
            content = messaging.digest(day.isoformat(), township.name, *numbers)
            for steward in people.stewards(session=session, township_id=township.id):
                key = f"digest:{day.isoformat()}:{steward.userid}"
                if outbox.to_person(session=session, purpose="digest", userid=steward.userid, content=content,
                                    now=now, key=key) is not None:
                    sent += 1
    return sent
