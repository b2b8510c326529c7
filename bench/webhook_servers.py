"""A migrated SQLite database with a small org, and the two uvicorn servers the benchmark loads.

Each server runs in its own process with one worker, so neither shares a GIL with the load
generator or with the other server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from app.db import make_engine, make_session_factory
from app.inbound.models import InboundMessage, RejectedCallbackCount
from app.migrate import upgrade
from app.privacy import DataCipher, install_cipher
from tests.support.callbacks import SETTINGS
from tests.support.factories import make_small_org

ROOT = Path(__file__).resolve().parent.parent
KNOWN_SENDER = "head01"  # the village head make_small_org creates
STARTUP_SECONDS = 30


def server_environment(workdir: Path) -> dict[str, str]:
    """Settings for both servers; the environment wins over any .env in the repository."""
    env = {key: str(value) for key, value in SETTINGS.items()}
    env["JOBMATRIX_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.db'}"
    env["JOBMATRIX_DATA_KEY"] = Fernet.generate_key().decode("ascii")
    return env


def prepare_database(env: dict[str, str]) -> None:
    url = env["JOBMATRIX_DATABASE_URL"]
    upgrade(url)
    install_cipher(DataCipher([env["JOBMATRIX_DATA_KEY"]]))  # contact fields are encrypted at rest
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        make_small_org(session)
    engine.dispose()


def stored_counts(env: dict[str, str]) -> tuple[int, int]:
    """(messages stored, callbacks rejected) in the benchmark database."""
    engine = make_engine(env["JOBMATRIX_DATABASE_URL"])
    with engine.connect() as conn:
        stored = conn.scalar(select(func.count()).select_from(InboundMessage))
        rejected = conn.scalar(select(func.sum(RejectedCallbackCount.count)))
    engine.dispose()
    return int(stored or 0), int(rejected or 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    name: str
    url: str  # base URL, no trailing slash
    log: Path


def _wait_ready(process: subprocess.Popen, server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{server.name} server exited on start:\n{server.log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"{server.name} server not ready after {STARTUP_SECONDS} s:\n{server.log.read_text()[-2000:]}"
    )


@contextmanager
def serve(name: str, factory: str, env: dict[str, str], workdir: Path) -> Iterator[Server]:
    """Run `uvicorn --factory bench.webhook_apps:<factory>` until the block ends."""
    port = free_port()
    server = Server(name, f"http://127.0.0.1:{port}", workdir / f"{name}.log")
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        f"bench.webhook_apps:{factory}",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        # The access log would cost both servers the same per-request write; it is not under test.
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    child_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    with server.log.open("w") as log:
        process = subprocess.Popen(command, cwd=workdir, env=child_env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_ready(process, server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
