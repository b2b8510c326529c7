"""Counts over a period: items, employers, recruitment cycle and the operator's tables."""

from __future__ import annotations

from datetime import date

import pytest

from app.dashboard.period import PeriodError, make_period, parse_period
from app.inbound.models import InboundMessage, RejectedCallbackCount
from app.outbound.models import ApiCall
from relay.models import DeliveryAttempt
from tests.dashboard.support import at, item, make_org, post
from tests.dashboard.test_service import DAY, figures, head
from vetting.models import Enterprise


@pytest.fixture
def org(db):
    return make_org(db)


def enterprise(db, n: int, status: str, certified=None) -> Enterprise:
    row = Enterprise(name=f"企业{n}", credit_code=f"91410000MA0000000{n}", legal_rep="张三", address="中牟", industry="物流",
                     status=status, certified_at=certified)
    db.add(row)
    db.flush()
    return row


def test_items_and_employers_posting(db, org):
    certified = enterprise(db, 1, "certified", at("03-01 09:00"))
    enterprise(db, 2, "certified", at("03-11 09:00"))  # certified after the period
    enterprise(db, 3, "licence_review")
    day = at("03-10 10:00")
    item(db, org, created=day, author_ref="o_emp1", author_kind="employer")
    item(db, org, created=day, author_ref="o_emp1", author_kind="employer")
    item(db, org, created=day, author_ref="o_emp2", author_kind="employer", enterprise_id=certified.id)
    item(db, org, created=day, author_ref="o_emp3", author_kind="employer", enterprise_id=certified.id)
    item(db, org, created=day, author_ref="officer", author_kind="staff")  # the bureau posting: no employer
    item(db, org, created=at("03-11 00:10"), author_ref="o_emp4", author_kind="employer")  # next local day
    item(db, org, kind="seeker", created=at("03-10 00:05"))
    item(db, org, kind="policy", created=day)
    metrics = figures(db)
    assert [head(metrics, k)["value"] for k in ("jobs_posted", "seeker_notes", "policies")] == [5, 1, 1]
    assert head(metrics, "employers_posting")["value"] == 2  # enterprise 1 and o_emp1
    assert head(metrics, "certified_enterprises")["value"] == 1
    assert metrics["employers_by_month"] == [{"month": "2026-03", "employers": 2, "partial": True}]


def test_employers_by_month_splits_a_period_across_months(db, org):
    item(db, org, created=at("02-28 23:00"), author_ref="o1", author_kind="employer")
    item(db, org, created=at("03-01 00:30"), author_ref="o1", author_kind="employer")
    item(db, org, created=at("03-01 00:30"), author_ref="o2", author_kind="employer")
    period = make_period(first=date(2026, 2, 1), last=date(2026, 3, 31), timezone="Asia/Shanghai")
    metrics = figures(db, now=at("04-01 10:00"), period=period)
    assert metrics["employers_by_month"] == [{"month": "2026-02", "employers": 1, "partial": False},
                                             {"month": "2026-03", "employers": 2, "partial": False}]
    assert head(metrics, "employers_posting")["value"] == 2


def test_recruitment_cycle_is_the_median_of_filled_jobs(db, org):
    closed = at("03-10 10:00")
    for created in ("03-01 10:00", "03-06 10:00", "03-03 10:00"):  # 9, 4 and 7 days
        item(db, org, created=at(created), closed_at=closed, status="done")
    item(db, org, created=at("02-01 10:00"), closed_at=closed, status="withdrawn")
    item(db, org, created=at("03-01 10:00"), closed_at=at("03-11 10:00"), status="done")  # after the period
    item(db, org, created=at("03-01 10:00"))  # still open
    cycle = head(figures(db), "recruitment_cycle_days")
    assert cycle["value"] == pytest.approx(7.0) and cycle["denominator"] == 3


def test_operator_tables(db, org):
    day = at("03-10 10:00")
    sent = post(db, org, "a1", planned=day, sent=day)
    failed = post(db, org, "a2", planned=day, status="failed", errcode=45009)
    post(db, org, "A", planned=day, channel="appchat")
    post(db, org, "b1", planned=at("03-11 10:00"), sent=at("03-11 10:00"))  # created next day
    db.add_all([
        DeliveryAttempt(delivery_id=failed.id, at=day, errcode=45009),
        DeliveryAttempt(delivery_id=failed.id, at=day, errcode=45009),
        DeliveryAttempt(delivery_id=sent.id, at=day, errcode=0),
        DeliveryAttempt(delivery_id=sent.id, at=at("03-09 23:00"), errcode=-1),
        InboundMessage(channel="mp", dedupe_key="1", sender="o1", sender_kind="resident", msg_type="text", received_at=day),
        InboundMessage(channel="mp", dedupe_key="2", sender="o1", sender_kind="resident", msg_type="text", received_at=day),
        InboundMessage(channel="wecom", dedupe_key="3", sender="u1", sender_kind="staff", msg_type="text", received_at=day),
        InboundMessage(channel="wecom", dedupe_key="4", sender="u1", sender_kind="staff", msg_type="text",
                       received_at=at("03-11 00:00")),
        RejectedCallbackCount(channel="wecom", code=-40001, reason="signature", hour=day, count=2),
        RejectedCallbackCount(channel="mp", code=-40007, reason="aes key", hour=day, count=1),
        ApiCall(app_key="k", api="message/send", errcode=0, at=day),
        ApiCall(app_key="k", api="message/send", errcode=0, at=day),
        ApiCall(app_key="k", api="appchat/send", errcode=45009, at=day),
    ])
    metrics = figures(db)
    assert metrics["deliveries"] == [
        {"channel": "appchat", "sent": 0, "awaiting": 0, "failed": 0, "pending": 1, "cancelled": 0},
        {"channel": "robot", "sent": 1, "awaiting": 0, "failed": 1, "pending": 0, "cancelled": 0},
    ]
    assert metrics["delivery_errors"] == [{"channel": "robot", "errcode": 45009, "count": 2}]
    assert metrics["inbound"] == [{"channel": "mp", "count": 2}, {"channel": "wecom", "count": 1}]
    assert metrics["rejected_callbacks"] == [{"channel": "wecom", "code": -40001, "reason": "signature", "count": 2},
                                             {"channel": "mp", "code": -40007, "reason": "aes key", "count": 1}]
    assert metrics["api_calls"] == [{"api": "appchat/send", "errcode": 45009, "count": 1},
                                    {"api": "message/send", "errcode": 0, "count": 2}]


def test_period_parsing():
    now = at("03-10 01:00")  # UTC still says 03-09
    default = parse_period(first=None, last=None, now=now, timezone="Asia/Shanghai")
    assert (default.first, default.last) == (date(2026, 3, 1), date(2026, 3, 10))
    assert default.start.isoformat() == "2026-02-28T16:00:00+00:00"
    assert default.end.isoformat() == "2026-03-10T16:00:00+00:00"
    with pytest.raises(PeriodError):
        parse_period(first="2026-03-10", last="2026-03-01", now=now, timezone="Asia/Shanghai")
    with pytest.raises(PeriodError):
        parse_period(first="2026/03/10", last=None, now=now, timezone="Asia/Shanghai")
    with pytest.raises(PeriodError):
        parse_period(first="2020-01-01", last="2026-03-01", now=now, timezone="Asia/Shanghai")
    assert DAY.start.isoformat() == "2026-03-09T16:00:00+00:00"
