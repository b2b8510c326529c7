"""Is this deployment ready to take traffic? Database, dispatchers and the scheduler leader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.ops.heartbeat import STALE_AFTER_SECONDS, live_heartbeats


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def head_revision() -> str:
    """The newest migration this code knows (read once: the scripts do not change while running)."""
    from alembic.script import ScriptDirectory

    from app.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


def database_check(session: Session, head: str) -> Check:
    try:
        current = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        return Check("database", False, f"unreachable or not migrated: {type(exc).__name__}")
    if current != head:
        return Check("database", False, f"at migration {current}, code expects {head}: run `jobmatrix migrate`")
    return Check("database", True, f"reachable, at migration {head}")


def heartbeat_checks(session: Session, now: datetime) -> list[Check]:
    dispatchers = live_heartbeats(session=session, role="dispatcher", now=now)
    leaders = [b for b in live_heartbeats(session=session, role="scheduler", now=now) if b.leader]
    window = f"in the last {int(STALE_AFTER_SECONDS)} s"
    return [
        Check("dispatcher", bool(dispatchers),
              f"{len(dispatchers)} alive" if dispatchers else f"no dispatcher heartbeat {window}"),
        Check("scheduler_leader", bool(leaders),
              f"led by {leaders[0].worker}" if leaders else f"no scheduler leader heartbeat {window}"),
    ]


def readiness(session_factory: sessionmaker[Session], *, now: datetime, head: str) -> list[Check]:
    with session_factory() as session:
        database = database_check(session, head)
        if not database.ok:
            session.rollback()
            return [database]
        return [database, *heartbeat_checks(session, now)]
