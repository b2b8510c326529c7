"""The bureau's on-time figures from the relay's own rows (township 30 min, village same day)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import ChatGroup, Node
from relay.models import Delivery, Hop
from relay.org_view import OrgView
from relay.rules import DeadlinePolicy, decided_on_time, local, local_day_bounds, sent_same_day, yesterday


def yesterday_of(now: datetime, policy: DeadlinePolicy) -> date:
    return yesterday(now, policy)


def open_village_posts(*, session: Session, now: datetime, statuses: tuple[str, ...]) -> dict[int, list[Delivery]]:
    """Unsent posts to resident groups that were due by now, by village node id."""
    rows = session.execute(
        select(Delivery, ChatGroup.node_id)
        .join(ChatGroup, Delivery.group_id == ChatGroup.id)
        .where(ChatGroup.purpose == "residents", Delivery.purpose == "relay", Delivery.status.in_(statuses),
               Delivery.not_before <= now)
        .order_by(Delivery.id)
    ).all()
    by_village: dict[int, list[Delivery]] = {}
    for delivery, node_id in rows:
        by_village.setdefault(node_id, []).append(delivery)
    return by_village


def township_day(
    *, session: Session, org: OrgView, township_id: int, day: date, policy: DeadlinePolicy
) -> tuple[int, int, int, int]:
    """(township hops arrived, decided in time, village posts planned, sent the same day) for one local day."""
    start, end = local_day_bounds(day, policy)
    hops = session.execute(
        select(Hop.arrived_at, Hop.decided_at, Hop.decided_by).where(
            Hop.to_node_id == township_id, Hop.tier == "township", Hop.needs_approval,
            Hop.arrived_at >= start, Hop.arrived_at < end)
    ).all()
    on_time = sum(decided_on_time(h.arrived_at, h.decided_at, h.decided_by, policy) for h in hops)
    village_ids = [v.id for v in org.children_of(township_id)]
    posts = session.execute(
        select(Delivery.not_before, Delivery.sent_at)
        .join(ChatGroup, Delivery.group_id == ChatGroup.id)
        .join(Node, ChatGroup.node_id == Node.id)
        .where(Node.id.in_(village_ids), ChatGroup.purpose == "residents", Delivery.purpose == "relay",
               Delivery.not_before >= start, Delivery.not_before < end)
    ).all() if village_ids else []
    same_day = sum(sent_same_day(p.not_before, p.sent_at, policy) for p in posts)
    return len(hops), on_time, len(posts), same_day


def village_deliveries(*, session: Session, org: OrgView, day: date, policy: DeadlinePolicy, now: datetime,
                       village_ids: list[int] | None = None) -> dict[str, int]:
    """Posts planned for villages' resident groups on a local day, as the bureau may count them.

    Only a confirmed delivery counts (issue 9): `confirmed` went into the group (an owner's confirmed
    group send, a relayer's 已转发, or an API post), `same_day` of them on the planned day;
    `awaiting` still waits for a person or the queue; `missed` failed, or its day ended unsent.
    A message to one person (a village head told instead) is never a group delivery.
    """
    start, end = local_day_bounds(day, policy)  # planned on this day
    query = (select(Delivery.not_before, Delivery.sent_at, Delivery.status)
             .join(ChatGroup, Delivery.group_id == ChatGroup.id)
             .where(ChatGroup.purpose == "residents", Delivery.purpose == "relay", Delivery.status != "cancelled",
                    Delivery.not_before >= start, Delivery.not_before < end))
    if village_ids is not None:
        query = query.where(ChatGroup.node_id.in_(village_ids))
    counts = {"planned": 0, "confirmed": 0, "same_day": 0, "awaiting": 0, "missed": 0}
    for planned, sent_at, status in session.execute(query):
        counts["planned"] += 1
        state = delivery_state(planned, sent_at, status, policy, now)
        counts[state] += 1
        counts["same_day"] += state == "confirmed" and sent_same_day(planned, sent_at, policy)
    return counts


def delivery_state(planned: datetime, sent_at: datetime | None, status: str, policy: DeadlinePolicy,
                   now: datetime) -> str:
    """confirmed (really in the group) | awaiting (queued, or waiting for a person) | missed (failed,
    or its planned day is over without a confirmed send)."""
    if status == "sent" and sent_at is not None:
        return "confirmed"
    day_end = local_day_bounds(local(planned, policy).date(), policy)[1]
    return "missed" if status == "failed" or now >= day_end else "awaiting"
