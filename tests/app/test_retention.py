"""Retention (issue 11, item 13): inbound messages, delivery payloads, API-call rows and refused-
callback samples older than JOBMATRIX_RETENTION_DAYS (default 180) are purged by a daily job of
the scheduler. Before the fix nothing was ever purged and there was no such setting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.inbound.models import InboundMessage, RejectedCallback
from app.outbound.models import ApiCall
from app.retention import housekeeping_jobs, purge_expired
from app.settings import load_settings
from relay.models import Delivery
from relay.scheduler import build_scheduler, run_job

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
OLD, RECENT = NOW - timedelta(days=181), NOW - timedelta(days=179)


def seed(db) -> None:
    for n, at in enumerate((OLD, RECENT)):
        db.add_all([
            InboundMessage(channel="mp", dedupe_key=f"msg:{n}", sender="o_res_a1", sender_kind="resident",
                           msg_type="text", content="会开叉车 电话13812345678", reply="收到", received_at=at),
            ApiCall(app_key="k", api="message/send", errcode=0, at=at),
            RejectedCallback(channel="wecom", code=-40001, reason="signature", at=at),
            Delivery(purpose="relay", channel="robot", target=f"key{n}", payload={"msgtype": "text", "content": "王先生 会开叉车"},
                     dedupe_key=f"d{n}", status="sent", created_at=at, not_before=at, next_attempt_at=at, sent_at=at),
        ])
    db.add(Delivery(purpose="relay", channel="robot", target="key-late", payload={"msgtype": "text", "content": "还没发"},
                    dedupe_key="d-queued", status="queued", created_at=OLD, not_before=OLD, next_attempt_at=OLD))
    db.commit()


def count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where))


def test_rows_older_than_the_retention_are_purged_and_newer_ones_kept(db, session_factory):
    seed(db)
    purged = purge_expired(session_factory=session_factory, now=NOW, days=180)
    db.expire_all()
    assert count(db, InboundMessage) == 1 and db.scalar(select(InboundMessage.received_at)) == RECENT
    assert count(db, ApiCall) == 1 and count(db, RejectedCallback) == 1
    payloads = {d.dedupe_key: d.payload for d in db.scalars(select(Delivery))}
    assert "content" not in payloads["d0"] and payloads["d0"]["purged"]  # the row stays for the figures
    assert payloads["d1"]["content"] == "王先生 会开叉车"
    assert payloads["d-queued"]["content"] == "还没发"  # not sent yet: never purged under the dispatcher
    assert purged == 4
    assert purge_expired(session_factory=session_factory, now=NOW, days=180) == 0  # nothing twice


def test_the_scheduler_runs_the_purge_daily_with_the_configured_days(db, session_factory):
    seed(db)
    settings = load_settings(JOBMATRIX_RETENTION_DAYS=30)
    jobs = housekeeping_jobs(settings)
    scheduler = build_scheduler(session_factory=session_factory, timezone=settings.timezone, jobs={},
                                housekeeping=jobs)
    job = scheduler.get_job("purge_expired")
    assert job is not None and "cron" in str(job.trigger)
    assert run_job(job.name, jobs[0].fn, session_factory, now=lambda: NOW) == 8  # 30 days: both ages go
    assert count(db, InboundMessage) == 0


def test_default_is_180_days_and_0_keeps_everything():
    assert load_settings().retention_days == 180
    assert housekeeping_jobs(load_settings(JOBMATRIX_RETENTION_DAYS=0)) == []
