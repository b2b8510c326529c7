"""Fixtures for the outbound client: a WeCom/OA server on loopback, a shared token store,
a call recorder and a clock whose sleeps are recorded and (almost) skipped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bots.client import MemoryCallRecorder, MemoryTokenStore, MpClient, RobotClient, WeComClient

from .fake_wecom import AGENT_ID, CORP_ID, MP_APP_ID, MP_SECRET, ROBOT_KEY, SECRET, FakeServer
from .support import FastClock


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeServer]:
    server = FakeServer().start()
    yield server
    server.stop()


@pytest.fixture
def fake(fake_server: FakeServer) -> FakeServer:
    fake_server.state.reset()
    return fake_server


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
