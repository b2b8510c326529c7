"""The shared token store: one refresher at a time across workers, tokens survive restarts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.outbound.models import ApiCall
from app.outbound.store import SqlCallRecorder, SqlTokenStore

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_only_one_of_many_workers_takes_the_refresh_lease(session_factory):
    stores = [SqlTokenStore(session_factory) for _ in range(8)]
    winners: list[str] = []
    barrier = threading.Barrier(len(stores))

    def worker(index: int) -> None:
        barrier.wait()
        if stores[index].try_lease("wecom:corp:1", f"w{index}", NOW + timedelta(seconds=10), NOW):
            winners.append(f"w{index}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1


def test_saved_token_is_seen_by_another_worker_and_ends_the_lease(session_factory):
    a, b = SqlTokenStore(session_factory), SqlTokenStore(session_factory)
    assert a.try_lease("k", "a", NOW + timedelta(seconds=10), NOW)
    assert not b.try_lease("k", "b", NOW + timedelta(seconds=10), NOW)
    a.save("k", "TOKEN1", NOW + timedelta(hours=2))
    cached = b.load("k")
    assert cached is not None and cached.token == "TOKEN1" and cached.expires_at == NOW + timedelta(hours=2)
    assert b.try_lease("k", "b", NOW + timedelta(seconds=10), NOW)


def test_an_expired_lease_can_be_taken_over(session_factory):
    a, b = SqlTokenStore(session_factory), SqlTokenStore(session_factory)
    assert a.try_lease("k", "a", NOW + timedelta(seconds=5), NOW)
    assert b.try_lease("k", "b", NOW + timedelta(seconds=20), NOW + timedelta(seconds=6))


def test_invalidate_only_forgets_the_token_it_names(session_factory):
    store = SqlTokenStore(session_factory)
    store.save("k", "NEW", NOW + timedelta(hours=2))
    store.invalidate("k", "OLD")  # a slow worker reporting a token that was already replaced
    assert store.load("k").token == "NEW"
    store.invalidate("k", "NEW")
    assert store.load("k") is None


def test_every_call_is_recorded(session_factory, db):
    recorder = SqlCallRecorder(session_factory)
    recorder.record(app_key="k", api="message/send", errcode=45009, http_status=200, attempt=1, duration_ms=3)
    recorder.record(app_key="k", api="message/send", errcode=0, http_status=200, attempt=2, duration_ms=4)
    assert db.scalar(select(func.count()).select_from(ApiCall).where(ApiCall.errcode == 45009)) == 1
