"""Scheduler jobs and leader election (one leader on PostgreSQL; takeover after SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from relay.scheduler import available_jobs, build_scheduler, job_triggers
from tests.conftest import TEST_DATA_KEY


def test_jobs_are_registered_by_name_with_the_configured_timezone(session_factory) -> None:
    module = types.ModuleType("fake_deadlines")
    module.send_reminders = lambda *, session_factory, now: 0  # type: ignore[attr-defined]
    module.daily_digest = lambda *, session_factory, now: 0  # type: ignore[attr-defined]
    jobs = available_jobs(module)
    assert sorted(jobs) == ["daily_digest", "send_reminders"]
    scheduler = build_scheduler(session_factory=session_factory, timezone="Asia/Shanghai", jobs=jobs)
    assert sorted(j.id for j in scheduler.get_jobs()) == ["daily_digest", "send_reminders"]
    assert str(job_triggers("Asia/Shanghai")["daily_digest"].timezone) == "Asia/Shanghai"
    assert set(available_jobs("relay.no_such_module")) == set()


def _scheduler(url: str, log: Path) -> subprocess.Popen:
    code = "import app.cli.relay; from app.cli import main; main()"
    env = {**os.environ, "JOBMATRIX_DATABASE_URL": url, "JOBMATRIX_DATA_KEY": TEST_DATA_KEY}
    return subprocess.Popen([sys.executable, "-c", code, "scheduler", "--poll-seconds", "0.3"], env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)


def _wait_for(log: Path, words: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if words in log.read_text():
            return True
        time.sleep(0.1)
    return False


def test_second_process_takes_over_when_the_leader_is_killed(database_url, tmp_path) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("leader election needs PostgreSQL (SQLite runs one process, always the leader)")
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = _scheduler(database_url, first_log)
    second = None
    try:
        assert _wait_for(first_log, "became the leader", 20), first_log.read_text()
        second = _scheduler(database_url, second_log)
        time.sleep(2.0)
        assert "became the leader" not in second_log.read_text()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert _wait_for(second_log, "became the leader", 20), second_log.read_text()
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(10)


def test_the_deadline_jobs_get_the_configured_timezone(session_factory) -> None:
    scheduler = build_scheduler(session_factory=session_factory, timezone="Asia/Urumqi")
    job = scheduler.get_job("village_cutoff_sweep@20:30")
    assert job.args[1].keywords["base"].timezone == "Asia/Urumqi"
