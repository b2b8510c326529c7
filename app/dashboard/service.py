"""The bureau's promises over a period: township on-time rate, village same-day rate, village
coverage and per-staff work, each per township.

The on-time rules are the relay's own (`relay.rules`), called row by row with each node's
policy, so the dashboard and the stewards' daily digest can never disagree on what "on time" is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.dashboard.period import Period
from app.org.models import ChatGroup, Node, Staff
from relay.figures import delivery_state
from relay.models import Delivery, Hop, Item
from relay.org_view import OrgView
from relay.rules import (
    DeadlinePolicy,
    decided_on_time,
    rate,
    sent_same_day,
    township_due_at,
)

STEWARD_ROLES = ("township_steward", "backup_steward")


@dataclass
class Tally:
    """Counted rows, the hits among them, and rows not decidable yet (left out of both).

    Village posts also keep the three states side by side (relay.figures.delivery_state):
    confirmed, awaiting (a person has still to confirm or the queue to send), missed."""

    hits: int = 0
    total: int = 0
    open: int = 0
    confirmed: int = 0
    awaiting: int = 0
    missed: int = 0

    @property
    def rate(self) -> float | None:
        return rate(self.hits, self.total)

    def add(self, other: Tally) -> Tally:
        return Tally(self.hits + other.hits, self.total + other.total, self.open + other.open,
                     self.confirmed + other.confirmed, self.awaiting + other.awaiting, self.missed + other.missed)


class Policies:
    """Each node's deadline policy, worked out once per request (hundreds of villages)."""

    def __init__(self, org: OrgView, base: DeadlinePolicy | None) -> None:
        self.org, self.base = org, base
        self._cache: dict[int, DeadlinePolicy] = {}
        self._townships: dict[int, int | None] = {}

    def of(self, node_id: int) -> DeadlinePolicy:
        if node_id not in self._cache:
            self._cache[node_id] = self.org.policy(node_id, self.base)
        return self._cache[node_id]

    def township_of(self, node_id: int) -> int | None:
        """The village's township id, looked up once per village (a month has ~70,000 posts)."""
        if node_id not in self._townships:
            self._townships[node_id] = _township_of(self.org, node_id)
        return self._townships[node_id]


def township_on_time(*, session: Session, period: Period, now: datetime, policies: Policies) -> dict[int, Tally]:
    """Township hops that waited for a steward and arrived in the period, by township id."""
    rows = session.execute(
        select(Hop.to_node_id, Hop.status, Hop.arrived_at, Hop.decided_at, Hop.decided_by).where(
            Hop.tier == "township", Hop.needs_approval, Hop.arrived_at >= period.start, Hop.arrived_at < period.end)
    )
    out: dict[int, Tally] = {}
    for row in rows:
        tally, policy = out.setdefault(row.to_node_id, Tally()), policies.of(row.to_node_id)
        if row.status == "pending" and now < township_due_at(row.arrived_at, policy):
            tally.open += 1  # the steward still has time: neither on time nor late yet
            continue
        tally.total += 1
        tally.hits += decided_on_time(row.arrived_at, row.decided_at, row.decided_by, policy)
    return out


def village_same_day(*, session: Session, period: Period, now: datetime, policies: Policies,
                     by_village: bool = False) -> dict[int | None, Tally]:
    """Posts to resident groups planned in the period, by the village's township id (or the
    village's own id with `by_village`, for the drill-down).

    Only a confirmed delivery is sent (issue 9): a customer group's post counts once its owner's
    group send is confirmed by WeCom, a manual group's once its relayer clicked 已转发."""
    rows = session.execute(
        select(ChatGroup.node_id, Delivery.not_before, Delivery.sent_at, Delivery.status)
        .join(ChatGroup, Delivery.group_id == ChatGroup.id)
        .where(ChatGroup.purpose == "residents", Delivery.purpose == "relay", Delivery.status != "cancelled",
               Delivery.not_before >= period.start, Delivery.not_before < period.end)
        .execution_options(yield_per=5000)  # a month of fan-outs to 400 villages is many rows
    )
    out: dict[int | None, Tally] = {}
    for node_id, not_before, sent_at, status in rows:
        policy = policies.of(node_id)
        tally = out.setdefault(node_id if by_village else policies.township_of(node_id), Tally())
        state = delivery_state(not_before, sent_at, status, policy, now)
        setattr(tally, state, getattr(tally, state) + 1)
        if state == "awaiting":
            tally.open += 1  # its day is not over: it may still go out on time
            continue
        tally.total += 1
        tally.hits += sent_same_day(not_before, sent_at, policy)
    return out


def village_coverage(*, session: Session, period: Period, org: OrgView,
                     by_village: bool = False) -> dict[int | None, Tally]:
    """Villages whose resident group was sent at least one job in the period, by township id
    (or by village id with `by_village`: a tally of one)."""
    reached = set(session.scalars(
        select(ChatGroup.node_id).distinct()
        .select_from(Delivery)
        .join(ChatGroup, Delivery.group_id == ChatGroup.id)
        .join(Item, Delivery.item_id == Item.id)
        .where(ChatGroup.purpose == "residents", Delivery.purpose == "relay", Delivery.status == "sent",
               Item.kind == "job", Delivery.sent_at >= period.start, Delivery.sent_at < period.end)
    ))
    out: dict[int | None, Tally] = {}
    for node in org.nodes.values():
        if node.kind == "village":
            tally = out.setdefault(node.id if by_village else _township_of(org, node.id), Tally())
            tally.total += 1
            tally.hits += node.id in reached
    return out


def _township_of(org: OrgView, node_id: int) -> int | None:
    township = org.up_to(node_id, "township")
    return township.id if township else None


def staff_work(*, session: Session, period: Period, policies: Policies) -> list[dict]:
    """Per steward and backup: decisions they made in the period, and what timed out in their township."""
    staff = session.execute(
        select(Staff.userid, Staff.name, Staff.role, Staff.node_id, Node.name.label("node_name"))
        .join(Node, Staff.node_id == Node.id).where(Staff.role.in_(STEWARD_ROLES)).order_by(Node.code, Staff.role)
    ).all()
    decided = session.execute(
        select(Hop.to_node_id, Hop.status, Hop.arrived_at, Hop.decided_at, Hop.decided_by).where(
            Hop.tier == "township", Hop.needs_approval, Hop.decided_at >= period.start, Hop.decided_at < period.end)
    ).all()
    escalated = session.execute(
        select(Hop.to_node_id).where(Hop.tier == "township", Hop.escalated_at >= period.start,
                                     Hop.escalated_at < period.end)
    ).scalars().all()
    return [_staff_row(person, decided, escalated, policies) for person in staff]


def _staff_row(person: Row, decided: Sequence[Row], escalated: Sequence[int], policies: Policies) -> dict:
    mine = [h for h in decided if h.decided_by == person.userid]
    return {
        "userid": person.userid, "name": person.name, "role": person.role, "township": person.node_name,
        "decisions": len(mine),
        "approved": sum(h.status == "approved" for h in mine),
        "rejected": sum(h.status == "rejected" for h in mine),
        # A backup may decide for another township: each hop is judged by its own township's rule.
        "on_time": sum(decided_on_time(h.arrived_at, h.decided_at, h.decided_by, policies.of(h.to_node_id))
                       for h in mine),
        "timeouts_in_township": sum(h.decided_by == "timeout" and h.to_node_id == person.node_id for h in decided),
        "escalations_in_township": sum(node_id == person.node_id for node_id in escalated),
    }
