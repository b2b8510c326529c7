"""How the processes start (issue 11, items 19 and 20).

19: `serve --workers N` on SQLite used to start N web processes without the relay worker (nothing
was ever routed or sent); it now refuses with a clear message.
20: every process applied the migrations at start-up, concurrently; several processes starting
together on a fresh database failed with "table already exists" / "database is locked". The
migration now runs under a lock (PostgreSQL advisory lock, a file lock beside a SQLite file), so
it happens once and the others find the database at head.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import TEST_DATA_KEY


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    clean = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "JOBMATRIX_DATA_KEY": TEST_DATA_KEY, **env}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=clean, timeout=timeout,
                          cwd=os.getcwd())


def test_serve_with_workers_on_sqlite_refuses_with_a_clear_message(tmp_path):
    url = f"sqlite:///{tmp_path}/one.db"
    try:
        result = run(["-c", "from app.cli import main; main()", "serve", "--port", "0", "--workers", "2"],
                     {"JOBMATRIX_DATABASE_URL": url}, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("serve --workers 2 on SQLite started serving (without the relay worker) instead of refusing")
    assert result.returncode == 2
    assert "--workers" in result.stderr and "PostgreSQL" in result.stderr


MIGRATE = "from app.migrate import upgrade; import sys; upgrade(sys.argv[1])"


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the kind under test: a new SQLite file, or a new PostgreSQL schema."""
    base = os.environ.get("JOBMATRIX_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path}/fresh.db"
        return
    schema = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{base}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def test_processes_starting_together_migrate_once(fresh_database):
    processes = [subprocess.Popen([sys.executable, "-c", MIGRATE, fresh_database], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    assert [code for code, _ in results] == [0, 0, 0, 0], [err[-400:] for _, err in results]
    engine = create_engine(fresh_database.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        assert len(versions) == 1
        assert conn.execute(text("SELECT count(*) FROM staff")).scalar() == 0  # the schema is there
    engine.dispose()
