"""Ops tests use the app tests' real server on the test database."""

from tests.app.conftest import make_server, org, server  # noqa: F401
