"""Shared fixtures: a migrated real database (SQLite by default, PostgreSQL when
JOBMATRIX_TEST_DATABASE_URL is set), a data cipher, and a clean slate for every test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

import app.models  # noqa: F401
from app.db import Base, make_engine, make_session_factory
from app.migrate import upgrade
from app.privacy import DataCipher, install_cipher

TEST_DATA_KEY = Fernet.generate_key().decode()

# CI replays the same examples on every run (a red CI must be reproducible); locally each run
# explores new ones. `--hypothesis-seed` still overrides either.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def _fresh_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("JOBMATRIX_TEST_DATABASE_URL")
    if url:
        _fresh_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def data_key() -> str:
    install_cipher(DataCipher([TEST_DATA_KEY]))
    return TEST_DATA_KEY


@pytest.fixture(scope="session")
def engine(database_url: str, data_key: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _wipe(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def session_factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A clean database for one test; every table is emptied afterwards."""
    _wipe(engine)
    yield make_session_factory(engine)
    _wipe(engine)


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()
