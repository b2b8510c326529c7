"""Database implementations of bots.client.tokens.TokenStore and CallRecorder.

Every worker of a deployment reads the same access_tokens row. Taking the refresh lease is a
single conditional UPDATE (or INSERT of the first row), so two workers never both call
gettoken: the database decides who won, not a check-then-write in Python.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.outbound.models import AccessTokenRow, ApiCall
from bots.client.tokens import CachedToken


class SqlTokenStore:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def load(self, app_key: str) -> CachedToken | None:
        with self._sessions() as session:
            row = session.get(AccessTokenRow, app_key)
            if row is None or not row.token or row.expires_at is None:
                return None
            return CachedToken(row.token, row.expires_at)

    def save(self, app_key: str, token: str, expires_at: datetime) -> None:
        with self._sessions() as session:
            row = session.get(AccessTokenRow, app_key) or AccessTokenRow(app_key=app_key)
            row.token, row.expires_at = token, expires_at
            row.lease_holder, row.lease_until = "", None
            session.merge(row)
            session.commit()

    def invalidate(self, app_key: str, token: str) -> None:
        with self._sessions() as session:
            session.execute(
                update(AccessTokenRow)
                .where(AccessTokenRow.app_key == app_key, AccessTokenRow.token == token)
                .values(token="", expires_at=None)
            )
            session.commit()

    def try_lease(self, app_key: str, holder: str, until: datetime, now: datetime) -> bool:
        with self._sessions() as session:
            result = session.execute(
                update(AccessTokenRow)
                .where(
                    AccessTokenRow.app_key == app_key,
                    or_(
                        AccessTokenRow.lease_until.is_(None),
                        AccessTokenRow.lease_until <= now,
                        AccessTokenRow.lease_holder == holder,
                    ),
                )
                .values(lease_holder=holder, lease_until=until)
            )
            session.commit()
            if getattr(result, "rowcount", 0) == 1:
                return True
            if session.scalar(select(AccessTokenRow.app_key).where(AccessTokenRow.app_key == app_key)):
                return False
            return self._insert_with_lease(session, app_key, holder, until)

    @staticmethod
    def _insert_with_lease(session: Session, app_key: str, holder: str, until: datetime) -> bool:
        session.add(AccessTokenRow(app_key=app_key, token="", lease_holder=holder, lease_until=until))
        try:
            session.commit()
            return True
        except IntegrityError:  # another worker inserted the first row at the same moment
            session.rollback()
            return False

    def release(self, app_key: str, holder: str) -> None:
        with self._sessions() as session:
            session.execute(
                update(AccessTokenRow)
                .where(AccessTokenRow.app_key == app_key, AccessTokenRow.lease_holder == holder)
                .values(lease_holder="", lease_until=None)
            )
            session.commit()


class SqlCallRecorder:
    """Writes one api_calls row per attempt, so the bureau can count errcodes per API."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def record(self, *, app_key: str, api: str, errcode: int, http_status: int, attempt: int, duration_ms: int) -> None:
        with self._sessions() as session:
            session.add(
                ApiCall(app_key=app_key, api=api, errcode=errcode, http_status=http_status, attempt=attempt, duration_ms=duration_ms)
            )
            session.commit()
