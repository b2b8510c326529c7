"""Run Alembic migrations from code (used by `jobmatrix migrate`, `serve`, every process that
opens the database, and the tests).

Many processes of one deployment start together (web workers, dispatchers, schedulers on
several hosts). Migrating from each at once fails ("table already exists", "database is
locked"), so the upgrade runs under a deployment-wide lock: a PostgreSQL advisory lock, or a
file lock beside a SQLite file. The first process migrates; the others wait, then find the
database at head and do nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.db import make_engine

# Any constant shared by every process of the deployment; "jmmigr" in ASCII.
MIGRATION_LOCK_KEY = 0x6A6D6D69677200

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@contextlib.contextmanager
def migration_lock(database_url: str) -> Iterator[None]:
    """Held by one process of the deployment at a time, for the length of a migration."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        engine = make_engine(database_url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
                    conn.commit()
        finally:
            engine.dispose()
        return
    if not url.database or url.database == ":memory:":
        yield
        return
    lock_path = Path(url.database).with_name(Path(url.database).name + ".migrate.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(database_url: str, revision: str = "head") -> None:
    with migration_lock(database_url):
        command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def make_revision(database_url: str, message: str) -> None:
    """Autogenerate a revision from the models (developer tool)."""
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
