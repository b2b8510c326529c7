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
from dataclasses import dataclass
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from relay.leader import LeaderLock
from relay.org_view import load_org
from relay.rules import DeadlinePolicy, clock_text

log = logging.getLogger(__name__)

Job = Callable[..., int]


@dataclass(frozen=True)
class HousekeepingJob:
    """A job of a layer above relay (e.g. app/retention.py), run by the same leader."""

    name: str
    trigger: Any
    fn: Job


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


# Jobs that run at a time of day a node may override: one cron entry per distinct time in the
# org (id "village_cutoff_sweep@19:00"), each limited to the nodes with that time (issue 11, item 9).
TIMED_JOBS = {"village_cutoff_sweep": ("village", "cutoff"), "daily_digest": ("township", "digest_at")}
FOLLOW_ORG_MINUTES = 5  # an org import reaches the schedule within this


def _add(scheduler: BackgroundScheduler, job_id: str, trigger: Any, fn: Job,
         session_factory: sessionmaker[Session]) -> None:
    # coalesce + grace: after a pause or a takeover, run once late rather than skip or pile up.
    scheduler.add_job(run_job, trigger, args=(job_id, fn, session_factory), id=job_id, name=job_id,
                      coalesce=True, max_instances=1, misfire_grace_time=300, replace_existing=True)


def node_times(*, session_factory: sessionmaker[Session], base: DeadlinePolicy) -> dict[str, set[str]]:
    """For each timed job, the times of day ("19:00") its nodes ask for; the default always."""
    with session_factory() as session:
        org = load_org(session=session)
    times = {name: {clock_text(getattr(base, attr))} for name, (_, attr) in TIMED_JOBS.items()}
    for node in org.nodes.values():
        for name, (kind, attr) in TIMED_JOBS.items():
            if node.kind == kind:
                times[name].add(clock_text(getattr(org.policy(node.id, base), attr)))
    return times


def sync_timed_jobs(scheduler: BackgroundScheduler, *, session_factory: sessionmaker[Session], timezone: str,
                    module: ModuleType | str = "relay.deadlines") -> int:
    """Add a cron entry for every time of day the org's nodes use and drop those no node uses
    any more; how many entries changed. Runs at start and every few minutes while leading."""
    base = DeadlinePolicy(timezone=timezone)
    functions = available_jobs(module)
    wanted = {f"{name}@{hhmm}": (name, hhmm)
              for name, times in node_times(session_factory=session_factory, base=base).items()
              if name in functions for hhmm in times}
    present = {job.id for job in scheduler.get_jobs() if "@" in job.id}
    for job_id in present - wanted.keys():
        scheduler.remove_job(job_id)
    for job_id in wanted.keys() - present:
        name, hhmm = wanted[job_id]
        hour, minute = hhmm.split(":")
        _add(scheduler, job_id, CronTrigger(hour=int(hour), minute=int(minute), timezone=timezone),
             functools.partial(functions[name], base=base, at=hhmm), session_factory)
    changed = len(present ^ wanted.keys())
    if changed:
        log.info("timed jobs now: %s", ", ".join(sorted(wanted)))
    return changed


def build_scheduler(*, session_factory: sessionmaker[Session], timezone: str,
                    jobs: dict[str, Job] | None = None,
                    housekeeping: list[HousekeepingJob] | None = None) -> BackgroundScheduler:
    """A scheduler (not started) with one entry per available job; the domain's jobs get the
    deployment's time zone, so the 20:30 sweep and the rules agree on what "today" is. Without
    explicit `jobs`, the cutoff sweep and the digest follow the nodes' own times."""
    scheduler = BackgroundScheduler(timezone=timezone)
    triggers = job_triggers(timezone)
    for job in housekeeping or []:
        _add(scheduler, job.name, job.trigger, job.fn, session_factory)
    if jobs is not None:
        for name, fn in jobs.items():
            _add(scheduler, name, triggers[name], fn, session_factory)
        return scheduler
    base = DeadlinePolicy(timezone=timezone)
    for name, fn in available_jobs().items():
        if name not in TIMED_JOBS:
            _add(scheduler, name, triggers[name], functools.partial(fn, base=base), session_factory)
    sync_timed_jobs(scheduler, session_factory=session_factory, timezone=timezone)
    follow = functools.partial(_follow_org, scheduler, timezone)
    _add(scheduler, "follow_node_times", IntervalTrigger(minutes=FOLLOW_ORG_MINUTES, timezone=timezone), follow,
         session_factory)
    return scheduler


def _follow_org(scheduler: BackgroundScheduler, timezone: str, *, session_factory: sessionmaker[Session],
                now: datetime) -> int:
    return sync_timed_jobs(scheduler, session_factory=session_factory, timezone=timezone)


def run_scheduler(*, engine: Engine, session_factory: sessionmaker[Session], timezone: str,
                  stop: threading.Event, poll_seconds: float = 10.0, lock: LeaderLock | None = None,
                  jobs: dict[str, Job] | None = None, housekeeping: list[HousekeepingJob] | None = None,
                  on_poll: Callable[[bool], None] | None = None) -> None:
    """Follow until elected, then lead until `stop` or until the lock is lost (then follow again).
    `on_poll(leading)` is called on every poll (the process's heartbeat)."""
    lock = lock or LeaderLock(engine)
    scheduler: BackgroundScheduler | None = None
    try:
        while not stop.is_set():
            if scheduler is None and lock.try_acquire():
                scheduler = build_scheduler(session_factory=session_factory, timezone=timezone, jobs=jobs,
                                            housekeeping=housekeeping)
                scheduler.start()
                log.info("became the leader; jobs: %s", ", ".join(j.id for j in scheduler.get_jobs()) or "none")
            elif scheduler is not None and not lock.still_held():
                scheduler.shutdown(wait=False)
                scheduler = None
                log.warning("no longer the leader; jobs stopped")
            if on_poll is not None:
                on_poll(scheduler is not None)
            stop.wait(poll_seconds)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        lock.release()
