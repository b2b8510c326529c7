"""The deadline jobs on APScheduler 3.x, run only by the leader (docs/relay.md, Scheduler jobs).

Each job is a function of relay/deadlines.py, `fn(*, session_factory, now) -> int`, idempotent and
safe to run late or twice — which is what makes the short overlap of two leaders during a
takeover harmless. Jobs are looked up by name, so a job the domain module does not define
(yet) is simply not scheduled.
"""

from __future__ import annotations

import functools
import importlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from relay.leader import LeaderLock
from relay.rules import DeadlinePolicy

log = logging.getLogger(__name__)

Job = Callable[..., int]


def job_triggers(timezone: str) -> dict[str, Any]:
    """When each job runs. Cron times are wall-clock times in JOBMATRIX_TIMEZONE."""
    return {
        "send_reminders": IntervalTrigger(minutes=1, timezone=timezone),  # 20-min reminder, ±1 min
        "escalate_overdue": IntervalTrigger(minutes=1, timezone=timezone),  # 30-min promise
        "apply_timeouts": IntervalTrigger(minutes=1, timezone=timezone),
        "village_cutoff_sweep": CronTrigger(hour=20, minute=30, timezone=timezone),  # 信息不过夜
        "daily_digest": CronTrigger(hour=8, minute=0, timezone=timezone),
        "expire_contact_requests": IntervalTrigger(minutes=1, timezone=timezone),  # 24 h consent window
        "ask_questions": IntervalTrigger(minutes=1, timezone=timezone),  # surveys, questions held back
    }


def available_jobs(module: ModuleType | str = "relay.deadlines") -> dict[str, Job]:
    """The job functions the domain module defines, by name; {} if it does not exist yet."""
    if isinstance(module, str):
        try:
            module = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise  # the module exists but one of its imports is broken: say so
            log.warning("%s not found: no deadline jobs scheduled", module)
            return {}
    names = job_triggers("UTC")
    return {name: fn for name in names if callable(fn := getattr(module, name, None))}


def run_job(name: str, fn: Job, session_factory: sessionmaker[Session],
            now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> int:
    """One run of one job; an error is logged and the next run tries again."""
    try:
        touched = int(fn(session_factory=session_factory, now=now()))
    except Exception:
        log.exception("deadline job %s failed", name)
        return -1
    if touched:
        log.info("deadline job %s touched %d rows", name, touched)
    return touched


def build_scheduler(*, session_factory: sessionmaker[Session], timezone: str,
                    jobs: dict[str, Job] | None = None) -> BackgroundScheduler:
    """A scheduler (not started) with one entry per available job; the domain's jobs get the
    deployment's time zone, so the 20:30 sweep and the rules agree on what "today" is."""
    if jobs is None:
        base = DeadlinePolicy(timezone=timezone)
        jobs = {name: functools.partial(fn, base=base) for name, fn in available_jobs().items()}
    triggers = job_triggers(timezone)
    scheduler = BackgroundScheduler(timezone=timezone)
    for name, fn in jobs.items():
        # coalesce + grace: after a pause or a takeover, run once late rather than skip or pile up.
        scheduler.add_job(run_job, triggers[name], args=(name, fn, session_factory), id=name, name=name,
                          coalesce=True, max_instances=1, misfire_grace_time=300, replace_existing=True)
    return scheduler


def run_scheduler(*, engine: Engine, session_factory: sessionmaker[Session], timezone: str,
                  stop: threading.Event, poll_seconds: float = 10.0, lock: LeaderLock | None = None,
                  jobs: dict[str, Job] | None = None) -> None:
    """Follow until elected, then lead until `stop` or until the lock is lost (then follow again)."""
    lock = lock or LeaderLock(engine)
    scheduler: BackgroundScheduler | None = None
    try:
        while not stop.is_set():
            if scheduler is None and lock.try_acquire():
                scheduler = build_scheduler(session_factory=session_factory, timezone=timezone, jobs=jobs)
                scheduler.start()
                log.info("became the leader; jobs: %s", ", ".join(j.id for j in scheduler.get_jobs()) or "none")
            elif scheduler is not None and not lock.still_held():
                scheduler.shutdown(wait=False)
                scheduler = None
                log.warning("no longer the leader; jobs stopped")
            stop.wait(poll_seconds)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        lock.release()
