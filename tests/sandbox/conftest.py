"""Fixtures: a fresh emulator per test on loopback, an API helper over real HTTP, a threaded server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import httpx
import pytest
import uvicorn

from sandbox.emulator import EmulatorConfig, EmulatorServer, ManualClock

USERS = ["zhangsan", "lisi", "wangwu", "zhaoliu"]


class Api:
    """Thin helper: the real endpoints with the real query/body shapes."""

    def __init__(self, emu: EmulatorServer) -> None:
        self.emu = emu
        self.cfg = emu.config
        self.http = httpx.Client(base_url=emu.base_url, trust_env=False, timeout=10)
        self._token: str | None = None

    def gettoken(self, corpid: str | None = None, secret: str | None = None) -> dict:
        params = {"corpid": corpid or self.cfg.corp_id, "corpsecret": secret or self.cfg.secret}
        return self.http.get("/cgi-bin/gettoken", params=params).json()

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = self.gettoken()["access_token"]
        return self._token

    def post(self, path: str, body: dict | None = None, *, token: str | None = None, **params) -> dict:
        params.setdefault("access_token", token or self.token)
        response = self.http.post("/cgi-bin/" + path, params=params, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def send_text(self, touser: str, content: str, *, token: str | None = None, **extra) -> dict:
        body = {
            "touser": touser,
            "msgtype": "text",
            "agentid": self.cfg.agent_id,
            "text": {"content": content},
        }
        return self.post("message/send", {**body, **extra}, token=token)

    def control(self, path: str, body: dict | None = None) -> dict:
        response = self.http.post("/_emulator/" + path, json=body or {})
        assert response.status_code == 200, response.text
        return response.json()

    def inspect(self, path: str, **params) -> dict:
        response = self.http.get("/_emulator/" + path, params=params)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def make_config(**overrides) -> EmulatorConfig:
    base = EmulatorConfig(users=list(USERS), robots={"robot-key-1": "村群机器人"}, followers=["o_follower_1"])
    return replace(base, **overrides)


@pytest.fixture
def make_emulator(clock):
    """A dedicated emulator for tests that need a non-default configuration."""
    started: list[EmulatorServer] = []

    def make(**overrides) -> EmulatorServer:
        emu = EmulatorServer(make_config(clock=clock, **overrides)).start()
        started.append(emu)
        return emu

    yield make
    for emu in started:
        emu.stop()


@pytest.fixture(scope="session")
def shared_emulator() -> Iterator[EmulatorServer]:
    # One server for the default configuration; stopping uvicorn costs ~0.2 s, so it is reset instead.
    emu = EmulatorServer(make_config()).start()
    yield emu
    emu.stop()


@pytest.fixture
def emu(shared_emulator, clock) -> EmulatorServer:
    shared_emulator.config.clock = clock
    shared_emulator.state.reset()
    return shared_emulator


@pytest.fixture
def api(emu) -> Iterator[Api]:
    helper = Api(emu)
    yield helper
    helper.http.close()


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve an ASGI app on a free loopback port in a thread; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
