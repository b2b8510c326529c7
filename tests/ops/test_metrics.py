"""/metrics on a hand-built history with known answers, and the callbacks counted as they arrive."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta

import httpx

from relay.models import Delivery, Hop, Item
from tests.ops.scrape import scrape, value
from tests.support import callbacks as cb

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _wecom_url_check(base: str, *, crypto=cb.wecom, at: datetime = NOW) -> httpx.Response:
    timestamp, nonce = str(int(at.timestamp())), str(secrets.randbelow(10**9))
    sealed = crypto.encrypt("4375120948345356249", timestamp=timestamp, nonce=nonce)
    return httpx.get(base + "/wecom/callback", params={"msg_signature": sealed.signature, "timestamp": timestamp,
                                                       "nonce": nonce, "echostr": sealed.encrypt})


def test_callbacks_are_counted_by_channel_and_outcome_and_timed(make_server):
    with make_server(clock=lambda: NOW) as base:
        before = scrape(base)
        assert _wecom_url_check(base).text == "4375120948345356249"
        assert _wecom_url_check(base).status_code == 200
        forged = cb.CallbackCrypto(token="not-our-token", encoding_aes_key=cb.WECOM_AES, receive_id=cb.CORP_ID)
        assert _wecom_url_check(base, crypto=forged).status_code == 403
        assert httpx.post(base + "/mp/callback", params={"timestamp": "1", "nonce": "2"}, content=b"<xml/>").status_code == 403
        after = scrape(base)

    def delta(channel: str, kind: str, outcome: str) -> float:
        labels = {"channel": channel, "kind": kind, "outcome": outcome}
        return value(after, "jobmatrix_callbacks_total", **labels) - value(before, "jobmatrix_callbacks_total", **labels)

    assert delta("wecom", "url_check", "accepted") == 2
    assert delta("wecom", "url_check", "refused_signature") == 1
    assert delta("mp", "message", "refused_signature") == 1
    timed = (value(after, "jobmatrix_callback_seconds_count", channel="wecom")
             - value(before, "jobmatrix_callback_seconds_count", channel="wecom"))
    assert timed == 3
    under_a_second = (value(after, "jobmatrix_callback_seconds_bucket", channel="wecom", le="1.0")
                      - value(before, "jobmatrix_callback_seconds_bucket", channel="wecom", le="1.0"))
    assert under_a_second == 3  # WeCom's limit for the URL check


def _hop(db, item: Item, org, *, due_at, status="pending", decided_at=None, decided_by="") -> Hop:
    hop = Hop(item_id=item.id, from_node_id=org.district.id, to_node_id=org.township.id, tier="township",
              status=status, needs_approval=True, text="招叉车工", arrived_at=due_at - timedelta(minutes=30),
              due_at=due_at, decided_at=decided_at, decided_by=decided_by)
    db.add(hop)
    return hop


def _delivery(db, key: str, *, channel="appchat", status="queued", not_before=NOW, errcode=None) -> None:
    db.add(Delivery(purpose="relay", channel=channel, target="chat" + key, payload={"msgtype": "text"},
                    dedupe_key=key, status=status, not_before=not_before, next_attempt_at=not_before,
                    last_errcode=errcode, created_at=not_before))


def _history(db, org) -> None:
    """Known answers: 3 missed deadlines (late, timeout, still pending), 1 overdue; 2 outbox rows due,
    the oldest 5 min old (a row held for service hours is not late); 2 items queued, oldest 2 min."""
    items = [Item(kind="job", status=status, origin_node_id=org.district.id, masked_text="招叉车工",
                  created_at=NOW - timedelta(minutes=minutes)) for status, minutes in
             (("relaying", 90), ("queued", 2), ("queued", 1))]
    db.add_all(items)
    db.flush()
    # Hops get their own items: one hop per (item, node).
    extra = [Item(kind="job", status="relaying", origin_node_id=org.district.id, masked_text="x") for _ in range(5)]
    db.add_all(extra)
    db.flush()
    _hop(db, extra[0], org, due_at=NOW - timedelta(hours=1), status="approved",
         decided_at=NOW - timedelta(hours=1, minutes=5), decided_by="steward01")  # in time
    _hop(db, extra[1], org, due_at=NOW - timedelta(hours=1), status="approved",
         decided_at=NOW - timedelta(minutes=50), decided_by="steward01")  # late
    _hop(db, extra[2], org, due_at=NOW - timedelta(hours=1), status="approved",
         decided_at=NOW - timedelta(minutes=59), decided_by="timeout")  # nobody decided
    _hop(db, extra[3], org, due_at=NOW - timedelta(minutes=3))  # pending, overdue
    _hop(db, extra[4], org, due_at=NOW + timedelta(minutes=10))  # pending, not yet due
    _delivery(db, "a", not_before=NOW - timedelta(minutes=5))
    _delivery(db, "b", channel="robot", status="sending", not_before=NOW - timedelta(minutes=1))
    _delivery(db, "c", channel="robot", not_before=NOW + timedelta(hours=10))  # waits for service hours
    _delivery(db, "d", status="sent", errcode=0)
    _delivery(db, "e", status="sent", errcode=0)
    _delivery(db, "f", status="failed", errcode=86008)
    _delivery(db, "g", channel="app", status="failed", errcode=81013)
    db.commit()


def test_queue_delivery_and_deadline_figures_match_a_known_history(make_server, db, org):
    _history(db, org)
    with make_server(clock=lambda: NOW) as base:
        samples = scrape(base)
    assert value(samples, "jobmatrix_database_up") == 1
    assert value(samples, "jobmatrix_deadline_misses_total", tier="township") == 3
    assert value(samples, "jobmatrix_hops_overdue", tier="township") == 1
    assert value(samples, "jobmatrix_queue_depth", queue="deliveries") == 2
    assert value(samples, "jobmatrix_queue_oldest_age_seconds", queue="deliveries") == 300
    assert value(samples, "jobmatrix_queue_depth", queue="items") == 2
    assert value(samples, "jobmatrix_queue_oldest_age_seconds", queue="items") == 120
    assert value(samples, "jobmatrix_deliveries_open", channel="robot", status="queued") == 1
    assert value(samples, "jobmatrix_deliveries_open", channel="robot", status="sending") == 1
    assert value(samples, "jobmatrix_deliveries_total", channel="appchat", status="sent", errcode="0") == 2
    assert value(samples, "jobmatrix_deliveries_total", channel="appchat", status="failed", errcode="86008") == 1
    assert value(samples, "jobmatrix_deliveries_total", channel="app", status="failed", errcode="81013") == 1
    assert value(samples, "jobmatrix_processes_alive", role="dispatcher") == 0


def test_an_empty_database_scrapes_to_zero_queues(server):
    samples = scrape(server)
    assert value(samples, "jobmatrix_queue_depth", queue="deliveries") == 0
    assert value(samples, "jobmatrix_queue_oldest_age_seconds", queue="deliveries") == 0
    assert value(samples, "jobmatrix_database_up") == 1


def test_database_figures_are_reused_for_a_few_seconds_then_read_again(session_factory, db, org):
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.parser import text_string_to_metric_families

    from app.ops.db_figures import DatabaseFigures

    figures = DatabaseFigures(session_factory, lambda: NOW, ttl=0.3)
    registry = CollectorRegistry()
    registry.register(figures)

    def due() -> float:
        for family in text_string_to_metric_families(generate_latest(registry).decode()):
            for sample in family.samples:
                if sample.name == "jobmatrix_queue_depth" and sample.labels == {"queue": "deliveries"}:
                    return sample.value
        raise AssertionError("no queue depth")

    assert due() == 0
    _delivery(db, "late", not_before=NOW - timedelta(minutes=1))
    db.commit()
    assert due() == 0  # within the cache's lifetime: the same answer, no query
    time.sleep(0.35)
    assert due() == 1
