"""/readyz follows the real dispatcher loop and the real scheduler election; /healthz stays cheap."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import httpx

from app.db import utcnow
from app.ops.heartbeat import STALE_AFTER_SECONDS, Heartbeat
from app.ops.models import ProcessHeartbeat
from app.settings import load_settings
from relay.dispatcher import Dispatcher, DispatcherConfig
from relay.scheduler import run_scheduler
from relay.worker import channels_for


def _ready(base: str) -> tuple[int, dict]:
    answer = httpx.get(base + "/readyz", timeout=10)
    return answer.status_code, answer.json()


def _wait_ready(base: str, want: bool, seconds: float = 15) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        status, body = _ready(base)
        if (status == 200) == want or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def test_ready_only_while_a_dispatcher_and_a_scheduler_leader_beat(make_server, session_factory, engine, database_url,
                                                                   data_key, tmp_path):
    with make_server() as base:
        status, body = _ready(base)
        assert status == 503
        assert body["checks"]["database"]["ok"] is True
        assert "no dispatcher heartbeat" in body["checks"]["dispatcher"]["detail"]
        assert "no scheduler leader" in body["checks"]["scheduler_leader"]["detail"]
        assert httpx.get(base + "/healthz").status_code == 200  # liveness does not depend on them

        settings = load_settings(JOBMATRIX_DATABASE_URL=database_url, JOBMATRIX_DATA_KEY=data_key,
                                 WECOM_API_BASE="http://127.0.0.1:9/cgi-bin/")
        stop = threading.Event()
        channels = channels_for(settings, session_factory)
        dispatcher_beat = Heartbeat(session_factory, "dispatcher")
        scheduler_beat = Heartbeat(session_factory, "scheduler")
        dispatcher = Dispatcher(session_factory=session_factory, channels=channels, heartbeat=dispatcher_beat.beat,
                                config=DispatcherConfig(journal_dir=str(tmp_path / "journal"), idle_sleep=0.05))
        threads = [threading.Thread(target=dispatcher.run, kwargs={"stop": stop}),
                   threading.Thread(target=run_scheduler, kwargs={
                       "engine": engine, "session_factory": session_factory, "timezone": "Asia/Shanghai",
                       "stop": stop, "poll_seconds": 0.1, "jobs": {}, "on_poll": scheduler_beat.beat})]
        for thread in threads:
            thread.start()
        try:
            body = _wait_ready(base, want=True)
            assert body["ready"] is True, body
            assert body["checks"]["dispatcher"]["detail"] == "1 alive"
            assert scheduler_beat.worker in body["checks"]["scheduler_leader"]["detail"]
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
            channels.close()
        dispatcher_beat.stop()  # what `jobmatrix dispatch` does on exit
        body = _wait_ready(base, want=False)
        assert body["checks"]["dispatcher"]["ok"] is False
        assert body["checks"]["scheduler_leader"]["ok"] is True  # its row is still fresh


def test_a_stale_heartbeat_or_a_follower_does_not_count(make_server, db):
    now = utcnow()
    db.add_all([
        ProcessHeartbeat(role="dispatcher", worker="disp-old", leader=False, started_at=now,
                         beat_at=now - timedelta(seconds=STALE_AFTER_SECONDS + 5)),
        ProcessHeartbeat(role="scheduler", worker="sched-follower", leader=False, started_at=now, beat_at=now),
    ])
    db.commit()
    with make_server() as base:
        status, body = _ready(base)
    assert status == 503
    assert body["checks"]["dispatcher"]["ok"] is False
    assert body["checks"]["scheduler_leader"]["ok"] is False


def test_an_unmigrated_database_is_not_ready(make_server, db):
    from sqlalchemy import text

    current = db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    db.execute(text("UPDATE alembic_version SET version_num = '0001_foundation'"))
    db.commit()
    try:
        with make_server() as base:
            status, body = _ready(base)
    finally:
        db.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        db.commit()
    assert status == 503
    assert "jobmatrix migrate" in body["checks"]["database"]["detail"]
