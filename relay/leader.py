"""Leader election: exactly one scheduler at a time (DESIGN.md, Scale).

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a dedicated connection kept
open for as long as the process leads. When the leader dies its connection closes and the server
drops the lock; a follower polling every ~10 s takes it within one poll. The connection asks the
server for TCP keepalives of ~25 s, so even a leader whose host vanished without closing its
socket loses the lock well within a minute.

SQLite: the embedded single-process setup; the one process is always the leader.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

LOCK_KEY = 0x4A4D_5343  # "JMSC": JobMatrix scheduler; advisory keys are per database
# Server-side keepalives (seconds): idle 10 + 3 probes × 5 → a dead peer is noticed in ~25 s.
KEEPALIVE = {"tcp_keepalives_idle": 10, "tcp_keepalives_interval": 5, "tcp_keepalives_count": 3}


class LeaderLock:
    """`try_acquire()` until it returns True; then `still_held()` on every poll; `release()` at exit."""

    def __init__(self, engine: Engine, *, key: int = LOCK_KEY) -> None:
        self.key = key
        self.is_postgres = engine.dialect.name == "postgresql"
        # A private engine without a pool: the lock lives and dies with exactly this connection.
        self._engine = create_engine(engine.url, poolclass=NullPool) if self.is_postgres else None
        self._conn: Connection | None = None
        self.held = not self.is_postgres

    def try_acquire(self) -> bool:
        if not self.is_postgres or self.held:
            return self.held
        try:
            conn = self._connect()
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar())
        except DBAPIError:
            log.warning("leader election: database unreachable", exc_info=True)
            self._drop()
            return False
        self.held = got
        return got

    def still_held(self) -> bool:
        """False once the connection (and with it the lock) is gone."""
        if not self.is_postgres or not self.held:
            return self.held
        try:
            assert self._conn is not None
            self._conn.execute(text("SELECT 1")).scalar()
        except (DBAPIError, AssertionError):
            log.warning("leader election: lost the connection, and with it the lock")
            self._drop()
            self.held = False
        return self.held

    def release(self) -> None:
        if self.is_postgres and self._conn is not None:
            try:
                if self.held:
                    self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            except DBAPIError:
                pass
            self._drop()
        self.held = not self.is_postgres

    def _connect(self) -> Connection:
        if self._conn is None:
            assert self._engine is not None
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            for name, value in KEEPALIVE.items():
                conn.execute(text(f"SET {name} = {int(value)}"))
            self._conn = conn
        return self._conn

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.invalidate()
                self._conn.close()
            except Exception:  # already broken: nothing left to close
                pass
        self._conn = None
