"""Fixtures for app tests: our server over real HTTP on the test database, and a small org."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from app.main import create_app
from app.settings import load_settings
from tests.conftest import TEST_DATA_KEY
from tests.support import callbacks as cb
from tests.support.factories import make_small_org
from tests.support.http import serve


@pytest.fixture
def make_server(database_url, session_factory):
    @contextmanager
    def start(clock=None, **overrides):
        values = {**cb.SETTINGS, **overrides, "JOBMATRIX_DATABASE_URL": database_url, "JOBMATRIX_DATA_KEY": TEST_DATA_KEY}
        settings = load_settings(**values)
        kwargs = {"clock": clock} if clock else {}
        with serve(create_app(settings, session_factory=session_factory, **kwargs)) as base:
            yield base

    return start


@pytest.fixture
def server(make_server):
    with make_server() as base:
        yield base


@pytest.fixture
def org(db):
    return make_small_org(db)


