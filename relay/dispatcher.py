"""The outbox dispatcher: claims due deliveries, sends them on a thread pool, saves outcomes in batches.

    dispatcher = Dispatcher(session_factory=factory, channels=Channels(...), config=DispatcherConfig())
    stats = dispatcher.run(until_idle=True)       # or run(stop=event) in a long-lived process

At most once per target and item (docs/relay.md, issue 4 item 5):
- the outbox's unique dedupe_key means a row exists once; a claimed row is 'sending' under a
  lease, so two dispatchers never hold it at the same time (FOR UPDATE SKIP LOCKED on PostgreSQL);
- message/send carries enable_duplicate_check (§2.2): a resend after a crash is dropped by WeCom;
- appchat/send and webhook/send have no such check. The row is 'sending' in the database before
  the call; the platform's acceptance is written to a local journal (dispatch_journal.py) the
  moment the answer arrives and committed to the database in the next batch. What remains: a
  crash after WeCom accepted a request and before that one write() — or a host lost with its
  journal — sends that message again when the row is re-claimed. See docs/dispatcher.md.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.db import session_scope, utcnow
from bots.client import PermanentApiError, TransientApiError, UncertainDeliveryError
from relay import dispatch_store as store
from relay.channels import Channels, SendJob
from relay.dispatch_journal import Entry, Journal, orphans
from relay.pacing import Pacer
from relay.quiet import QuietHours
from relay.rules import DeadlinePolicy

log = logging.getLogger(__name__)

DISPATCHER_ERROR = -5  # our errcode for a failure inside the dispatcher (bad payload, bug)


@dataclass
class DispatcherConfig:
    concurrency: int = 16  # sender threads; HTTP calls in flight
    batch_size: int = 100  # rows per claim
    lease_seconds: float = 60.0  # renewed every third of it while the row is ours
    flush_interval: float = 0.05  # seconds between batch commits of outcomes
    idle_sleep: float = 0.5  # seconds between claims when nothing is due
    backoff_base: float = 5.0  # first retry after a transient failure, doubled per try
    backoff_cap: float = 900.0  # longest pause between tries (also caps a 45009's 60 s hint)
    max_attempts: int = 40  # HTTP attempts before a transiently failing row is given up
    journal_dir: str = "var/dispatch-journal"
    robot_window_seconds: float = 60.0  # §2.5's minute; tests on an accelerated emulator shorten it
    timezone: str = "Asia/Shanghai"  # JOBMATRIX_TIMEZONE: resident groups' quiet hours at send time


@dataclass
class DispatchStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    unknown: int = 0  # appchat/robot sends WeCom may or may not have carried out (staff asked to check)
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def worker_name() -> str:
    """Unique per process start; also the journal's file name."""
    host = "".join(c for c in socket.gethostname() if c.isalnum())[:24] or "host"
    return f"{host}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Dispatcher:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        channels: Channels,
        config: DispatcherConfig | None = None,
        pacer: Pacer | None = None,
        now: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        heartbeat: Callable[[], None] | None = None,
    ) -> None:
        self.sessions = session_factory
        self.heartbeat = heartbeat  # called on every turn of the loop (app/ops/heartbeat.py)
        self.channels = channels
        self.config = config or DispatcherConfig()
        self.pacer = pacer or Pacer()
        self.worker = worker_name()
        self._now = now
        self._rng = rng or random.Random()
        self._lock = threading.Lock()  # guards _pending, _inflight and the journal's current file
        self._pending: list[store.Outcome] = []
        self._on_wire: dict[int, Entry] = {}  # "pending" journal lines of sends not yet answered
        self._inflight = 0
        self._progress = threading.Event()
        self.stats = DispatchStats()
        self.quiet = QuietHours(DeadlinePolicy(timezone=self.config.timezone))

    # -- the loop ----------------------------------------------------------------------------
    def run(self, *, until_idle: bool = False, stop: threading.Event | None = None) -> DispatchStats:
        """Dispatch until `stop` is set, or (until_idle) until no open row is due or retrying."""
        stop = stop or threading.Event()
        started = time.monotonic()
        self.recover()
        journal = Journal(self.config.journal_dir, self.worker)
        next_renew = time.monotonic() + self.config.lease_seconds / 3
        try:
            with ThreadPoolExecutor(self.config.concurrency, thread_name_prefix="send") as pool:
                while not stop.is_set():
                    if self.heartbeat is not None:
                        self.heartbeat()
                    claimed = self._claim_more(pool, journal)
                    self._flush(journal)
                    if time.monotonic() >= next_renew:
                        self._renew()
                        next_renew = time.monotonic() + self.config.lease_seconds / 3
                    if not claimed and until_idle and self._idle():
                        break
                    self._progress.wait(self.config.flush_interval if (claimed or self._inflight)
                                        else self.config.idle_sleep)
                    self._progress.clear()
            self._flush(journal)
        finally:
            journal.close()
        self.stats.seconds = time.monotonic() - started
        return self.stats

    def _claim_more(self, pool: ThreadPoolExecutor, journal: Journal) -> int:
        room = 2 * self.config.concurrency - self._inflight
        if room < self.config.concurrency // 2 + 1:
            return 0
        now = self._now()
        with session_scope(self.sessions) as session:
            jobs = store.claim(session, worker=self.worker, now=now, limit=min(room, self.config.batch_size),
                               lease=timedelta(seconds=self.config.lease_seconds),
                               robot_window=timedelta(seconds=self.config.robot_window_seconds),
                               quiet=self.quiet)
        with self._lock:
            self._inflight += len(jobs)
        for job in jobs:
            pool.submit(self._send_one, job, journal)
        return len(jobs)

    def _idle(self) -> bool:
        with self._lock:
            if self._inflight or self._pending:
                return False
        with session_scope(self.sessions) as session:
            # A row held for a village's next opening is not work for now (it is hours away).
            horizon = timedelta(seconds=max(self.config.backoff_cap * 1.25, self.config.robot_window_seconds) + 60)
            return store.open_due_count(session, self._now(), horizon) == 0

    def _flush(self, journal: Journal) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
            old = journal.rotate() if batch else None
            if old is not None:  # the new file must still know the requests on the wire
                for entry in self._on_wire.values():
                    journal.append(entry)
        if not batch:
            return
        with session_scope(self.sessions) as session:
            store.save_outcomes(session, batch, self._now())
        if old is not None:
            journal.retire(old)
        for outcome in batch:
            self.stats.counts[outcome.kind] = self.stats.counts.get(outcome.kind, 0) + 1
        self.stats.sent = self.stats.counts.get("sent", 0)
        self.stats.retried = self.stats.counts.get("retry", 0)
        self.stats.failed = self.stats.counts.get("failed", 0)
        self.stats.deferred = self.stats.counts.get("deferred", 0)
        self.stats.unknown = self.stats.counts.get("unknown", 0)

    def _renew(self) -> None:
        until = self._now() + timedelta(seconds=self.config.lease_seconds)
        with session_scope(self.sessions) as session:
            store.renew_leases(session, worker=self.worker, until=until)

    def recover(self) -> int:
        """Take over the journals of dead dispatchers on this host; returns rows requeued."""
        dead: set[str] = set()
        for worker, entries in orphans(self.config.journal_dir):
            with session_scope(self.sessions) as session:
                store.apply_journal(session, entries, self._now())
            dead.add(worker)
        with session_scope(self.sessions) as session:
            requeued = store.requeue_dead(session, dead)
        if dead:
            log.info("recovered journals of %s; %d rows queued again", sorted(dead), requeued)
        return requeued

    # -- one send, on a pool thread ----------------------------------------------------------
    def _send_one(self, job: SendJob, journal: Journal) -> None:
        try:
            outcome = self._attempt(job, journal)
            if outcome.kind != "sent":
                with self._lock:  # the answer came back negative: nothing of it is on the wire now
                    if self._on_wire.pop(job.delivery_id, None):
                        journal.append(Entry(job.delivery_id, kind="settled"))
        except BaseException:  # never lose track of a claimed row; it stays 'sending' for the lease
            log.exception("dispatcher bug on delivery %s", job.delivery_id)
            with self._lock:
                self._inflight -= 1
            raise
        with self._lock:
            if outcome.kind != "sent":  # sent outcomes were queued together with the journal line
                self._pending.append(outcome)
            self._inflight -= 1
        self._progress.set()

    def _attempt(self, job: SendJob, journal: Journal) -> store.Outcome:
        wait = self.pacer.reserve(job.channel, job.target, time.monotonic())
        if wait > 0:  # §2.4/§2.5/§3.2 limits: try again when the window has room
            return store.Outcome(job, "deferred", next_attempt_at=self._now() + timedelta(seconds=wait))
        self.channels.recorder.start()
        self.channels.on_commit(lambda parts: self._on_commit(journal, job.delivery_id, parts))
        try:
            result = self.channels.send(job)
        except UncertainDeliveryError as exc:  # appchat/robot: resending could post it twice
            calls = self.channels.recorder.take() or [_no_call(int(exc.errcode))]
            parts = job.payload.get("_parts_sent", 0) + exc.parts_sent
            return store.Outcome(job, "unknown", calls=calls, errcode=int(exc.errcode), error=str(exc),
                                 parts_sent=parts)
        except PermanentApiError as exc:
            return self._failed(job, int(exc.errcode), str(exc))
        except TransientApiError as exc:
            return self._retry(job, exc, int(exc.errcode), str(exc))
        except (ValueError, KeyError, TypeError) as exc:  # a row the channel cannot express
            return self._failed(job, DISPATCHER_ERROR, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # e.g. the token store's database hiccuped: try again later
            log.exception("unexpected error sending delivery %s", job.delivery_id)
            return self._retry(job, exc, DISPATCHER_ERROR, f"{type(exc).__name__}: {exc}")
        finally:
            self.channels.on_commit(None)
        outcome = store.Outcome(job, "sent", calls=self.channels.recorder.take(), result=result)
        with self._lock:  # journal first: from here a crash must not resend (module docstring)
            journal.append(Entry(job.delivery_id, result.msgid, result.response_code, result.parts, result.note))
            self._on_wire.pop(job.delivery_id, None)
            self._pending.append(outcome)
        if result.parts > 1:
            self.pacer.record_extra(job.channel, job.target, time.monotonic(), result.parts - 1)
        return outcome

    def _on_commit(self, journal: Journal, delivery_id: int, parts: int) -> None:
        entry = Entry(delivery_id, parts=parts, kind="pending")
        with self._lock:
            self._on_wire[delivery_id] = entry
            journal.append(entry)

    def _failed(self, job: SendJob, errcode: int, error: str) -> store.Outcome:
        calls = self.channels.recorder.take() or [_no_call(errcode)]
        return store.Outcome(job, "failed", calls=calls, errcode=errcode, error=error)

    def _retry(self, job: SendJob, exc: BaseException, errcode: int, error: str) -> store.Outcome:
        calls = self.channels.recorder.take() or [_no_call(errcode)]
        attempts = job.attempts + sum(c.is_send for c in calls)
        if attempts >= self.config.max_attempts:
            return store.Outcome(job, "failed", calls=calls, errcode=errcode,
                                 error=f"gave up after {attempts} attempts: {error}")
        hint = float(getattr(exc, "retry_after", 0.0))
        if errcode == 45009 and hint:  # the robot is full for this minute after all (another sender?)
            self.pacer.block(job.channel, job.target, time.monotonic(), hint)
        tries = max(1, (attempts + 3) // 4)  # the client makes up to 4 HTTP attempts per try
        delay = min(self.config.backoff_cap, max(self.config.backoff_base * 2 ** (tries - 1), hint))
        delay *= self._rng.uniform(1.0, 1.25)  # jitter: rows that failed together spread out
        parts = job.payload.get("_parts_sent", 0) + getattr(exc, "parts_sent", 0)
        return store.Outcome(job, "retry", calls=calls, errcode=errcode, error=error, parts_sent=parts,
                             next_attempt_at=self._now() + timedelta(seconds=delay))


def _no_call(errcode: int) -> store.Call:
    """An attempt that failed before any HTTP call (e.g. a bad payload) still gets its row."""
    return store.Call("dispatcher", "dispatch", errcode, 0)
