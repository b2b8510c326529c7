"""Dispatchers and schedulers say they are alive by refreshing their own row from their own loop.

The beat is written by the loop that does the work (not by a side thread), so a dispatcher whose
loop hangs stops beating even though its process is still there. A write happens at most every
`interval` seconds, so calling `beat()` on every turn of a 50 ms loop costs nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.db import session_scope, utcnow
from app.ops.models import ProcessHeartbeat

log = logging.getLogger(__name__)

BEAT_INTERVAL_SECONDS = 10.0
# A beat older than this means the process (or its loop) is gone: three missed beats and some slack.
STALE_AFTER_SECONDS = 45.0
# Rows of processes dead for a day are removed by the next beat of the same role.
FORGET_AFTER = timedelta(days=1)


def process_name(role: str) -> str:
    host = "".join(c for c in socket.gethostname() if c.isalnum())[:24] or "host"
    return f"{role[:5]}-{host}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass
class Heartbeat:
    """`beat()` from the loop; `beat(leader=...)` from the scheduler's election loop."""

    session_factory: sessionmaker[Session]
    role: str
    interval: float = BEAT_INTERVAL_SECONDS
    now: Callable[[], datetime] = utcnow
    worker: str = ""
    _last_write: float = float("-inf")
    _leader: bool = False

    def __post_init__(self) -> None:
        self.worker = self.worker or process_name(self.role)

    def beat(self, leader: bool | None = None) -> None:
        changed = leader is not None and leader != self._leader
        if leader is not None:
            self._leader = leader
        if not changed and time.monotonic() - self._last_write < self.interval:
            return
        self._last_write = time.monotonic()  # also after a failure: one warning per interval, not per turn
        try:
            self._write()
        except SQLAlchemyError:  # the database is down: readiness will say so; the loop goes on
            log.warning("heartbeat of %s could not be written", self.worker, exc_info=True)

    def _write(self) -> None:
        now = self.now()
        with session_scope(self.session_factory) as session:
            result = session.execute(update(ProcessHeartbeat).where(ProcessHeartbeat.worker == self.worker)
                                     .values(beat_at=now, leader=self._leader))
            if not getattr(result, "rowcount", 0):
                session.add(ProcessHeartbeat(role=self.role, worker=self.worker, leader=self._leader,
                                             started_at=now, beat_at=now))
                session.execute(delete(ProcessHeartbeat).where(ProcessHeartbeat.role == self.role,
                                                               ProcessHeartbeat.beat_at < now - FORGET_AFTER))

    def stop(self) -> None:
        """A clean exit removes the row at once, so readiness does not wait for it to go stale."""
        try:
            with session_scope(self.session_factory) as session:
                session.execute(delete(ProcessHeartbeat).where(ProcessHeartbeat.worker == self.worker))
        except SQLAlchemyError:
            log.warning("heartbeat of %s could not be removed", self.worker, exc_info=True)


def live_heartbeats(*, session: Session, role: str, now: datetime,
                    stale_after: float = STALE_AFTER_SECONDS) -> list[ProcessHeartbeat]:
    """The processes of this role that beat recently, newest beat first."""
    since = now - timedelta(seconds=stale_after)
    return list(session.scalars(select(ProcessHeartbeat).where(ProcessHeartbeat.role == role,
                                                               ProcessHeartbeat.beat_at >= since)
                                .order_by(ProcessHeartbeat.beat_at.desc())))
