"""Fixtures for the outbound client: a WeCom/OA server on loopback, a shared token store,
a call recorder and a clock whose sleeps are recorded and (almost) skipped."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bots.client import MemoryCallRecorder, MemoryTokenStore, MpClient, RobotClient, WeComClient

from .fake_wecom import AGENT_ID, CORP_ID, MP_APP_ID, MP_SECRET, ROBOT_KEY, SECRET, FakeServer


class FastClock:
    """Real time, but `sleep` only records: retries back off for seconds, tests must not."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        time.sleep(min(seconds, 0.005))  # still yield, so waiting threads can make progress


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    server = FakeServer().start()
    yield server
    server.stop()


@pytest.fixture
def store() -> MemoryTokenStore:
    """The token store all 'workers' of one deployment share."""
    return MemoryTokenStore()


@pytest.fixture
def recorder() -> MemoryCallRecorder:
    return MemoryCallRecorder()


@pytest.fixture
def clock() -> FastClock:
    return FastClock()


@pytest.fixture
def make_wecom(fake, store, recorder, clock):
    """A factory: each call is a new client, as a separate worker process would build."""
    clients: list[WeComClient] = []

    def make(**overrides) -> WeComClient:
        options = dict(
            corp_id=CORP_ID,
            agent_id=AGENT_ID,
            secret=SECRET,
            api_base=fake.wecom_api_base,
            token_store=store,
            recorder=recorder,
            clock=clock,
        )
        client = WeComClient(**{**options, **overrides})
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def wecom(make_wecom) -> WeComClient:
    return make_wecom()


@pytest.fixture
def mp(fake, store, recorder, clock) -> Iterator[MpClient]:
    with MpClient(
        app_id=MP_APP_ID,
        app_secret=MP_SECRET,
        api_base=fake.mp_api_base,
        token_store=store,
        recorder=recorder,
        clock=clock,
    ) as client:
        yield client


@pytest.fixture
def robot(fake, recorder, clock) -> Iterator[RobotClient]:
    with RobotClient(
        webhook_key=ROBOT_KEY, api_base=fake.wecom_api_base, recorder=recorder, clock=clock
    ) as client:
        yield client
