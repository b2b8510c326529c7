"""Figures read from the database at scrape time: the same answer from every web worker.

Queues, deliveries and deadlines are written by dispatchers and schedulers, which serve no HTTP;
counting their rows when Prometheus asks keeps one source of truth and needs no coordination.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import and_, func, not_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.ops.heartbeat import live_heartbeats
from relay.models import Delivery, Hop, Item

OPEN_DELIVERY = ("queued", "sending")
FINISHED_DELIVERY = ("sent", "failed", "cancelled")


def _age(now: datetime, oldest: datetime | None) -> float:
    if oldest is None:
        return 0.0
    if oldest.tzinfo is None:  # SQLite's MIN() comes back as a naive UTC value
        oldest = oldest.replace(tzinfo=UTC)
    return max(0.0, (now - oldest).total_seconds())


def queue_figures(session: Session, now: datetime) -> dict[str, tuple[int, float]]:
    """{queue: (rows waiting, age in seconds of the oldest)}.

    items: notes the webhook queued for routing. deliveries: outbox rows that may go out now
    (a row held back for the village's service hours is not late, so it does not count)."""
    items = session.execute(select(func.count(), func.min(Item.created_at)).where(Item.status == "queued")).one()
    due = session.execute(select(func.count(), func.min(Delivery.not_before))
                          .where(Delivery.status.in_(OPEN_DELIVERY), Delivery.not_before <= now)).one()
    return {"items": (items[0], _age(now, items[1])), "deliveries": (due[0], _age(now, due[1]))}


def missed_deadline_condition(now: datetime):
    """A hop waiting for a person's decision whose deadline passed without one in time."""
    decided_in_time = and_(Hop.decided_at.is_not(None), Hop.decided_at <= Hop.due_at,
                           Hop.decided_by.not_in(("timeout", "")))
    return and_(Hop.needs_approval, Hop.due_at.is_not(None), Hop.due_at <= now, not_(decided_in_time))


class DatabaseFigures(Collector):
    def __init__(self, session_factory: sessionmaker[Session], now) -> None:
        self.session_factory = session_factory
        self.now = now

    def collect(self) -> Iterator:
        up = GaugeMetricFamily("jobmatrix_database_up", "1 when the database answered this scrape's queries.")
        try:
            families = list(self._families(self.now()))
        except SQLAlchemyError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self, now: datetime) -> Iterator:
        with self.session_factory() as session:
            depth = GaugeMetricFamily("jobmatrix_queue_depth", "Rows waiting in a queue now.", labels=["queue"])
            age = GaugeMetricFamily("jobmatrix_queue_oldest_age_seconds",
                                    "How long the oldest waiting row of a queue has waited.", labels=["queue"])
            for queue, (rows, seconds) in queue_figures(session, now).items():
                depth.add_metric([queue], rows)
                age.add_metric([queue], seconds)
            yield depth
            yield age
            yield self._open_deliveries(session)
            yield self._finished_deliveries(session)
            yield from self._deadlines(session, now)
            yield from self._processes(session, now)

    def _open_deliveries(self, session: Session) -> GaugeMetricFamily:
        family = GaugeMetricFamily("jobmatrix_deliveries_open", "Outbox rows not finished, by channel and status.",
                                   labels=["channel", "status"])
        rows = session.execute(select(Delivery.channel, Delivery.status, func.count())
                               .where(Delivery.status.in_(OPEN_DELIVERY)).group_by(Delivery.channel, Delivery.status))
        for channel, status, count in rows:
            family.add_metric([channel, status], count)
        return family

    def _finished_deliveries(self, session: Session) -> CounterMetricFamily:
        family = CounterMetricFamily("jobmatrix_deliveries", "Finished outbox rows by channel, status and errcode "
                                     "(0 = sent; WeCom's errcode of the last attempt otherwise).",
                                     labels=["channel", "status", "errcode"])
        rows = session.execute(select(Delivery.channel, Delivery.status, Delivery.last_errcode, func.count())
                               .where(Delivery.status.in_(FINISHED_DELIVERY))
                               .group_by(Delivery.channel, Delivery.status, Delivery.last_errcode))
        for channel, status, errcode, count in rows:
            family.add_metric([channel, status, str(errcode if errcode is not None else 0)], count)
        return family

    def _deadlines(self, session: Session, now: datetime) -> Iterator:
        misses = CounterMetricFamily("jobmatrix_deadline_misses", "Approval hops not decided by a person before "
                                     "their deadline (timeouts included), by tier.", labels=["tier"])
        for tier, count in session.execute(select(Hop.tier, func.count()).where(missed_deadline_condition(now))
                                           .group_by(Hop.tier)):
            misses.add_metric([tier], count)
        yield misses
        overdue = GaugeMetricFamily("jobmatrix_hops_overdue", "Approval hops still pending after their deadline.",
                                    labels=["tier"])
        for tier, count in session.execute(select(Hop.tier, func.count())
                                           .where(Hop.status == "pending", Hop.needs_approval, Hop.due_at <= now)
                                           .group_by(Hop.tier)):
            overdue.add_metric([tier], count)
        yield overdue

    def _processes(self, session: Session, now: datetime) -> Iterator:
        alive = GaugeMetricFamily("jobmatrix_processes_alive", "Dispatchers and schedulers whose heartbeat is fresh.",
                                  labels=["role"])
        leaders = GaugeMetricFamily("jobmatrix_scheduler_leaders", "Live schedulers holding the leader lock (want 1).")
        schedulers = live_heartbeats(session=session, role="scheduler", now=now)
        alive.add_metric(["dispatcher"], len(live_heartbeats(session=session, role="dispatcher", now=now)))
        alive.add_metric(["scheduler"], len(schedulers))
        leaders.add_metric([], sum(1 for beat in schedulers if beat.leader))
        yield alive
        yield leaders
