"""`jobmatrix serve --workers 2`: whichever worker answers a scrape, it counts every worker's callbacks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_DATA_KEY
from tests.ops.scrape import scrape, value
from tests.support import callbacks as cb
from tests.support.http import free_port

CHECKS = 24


def _url_check(base: str) -> int:
    timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**9))
    sealed = cb.wecom.encrypt("1616140317555161061", timestamp=timestamp, nonce=nonce)
    with httpx.Client() as fresh:  # a new connection each time, so the kernel spreads them over the workers
        return fresh.get(base + "/wecom/callback", params={"msg_signature": sealed.signature, "timestamp": timestamp,
                                                           "nonce": nonce, "echostr": sealed.encrypt}).status_code


def test_two_workers_report_the_same_totals(tmp_path: Path, database_url: str):
    # Several web workers need PostgreSQL (on SQLite `serve --workers 2` refuses: one process only).
    if not database_url.startswith("postgresql"):
        pytest.skip("several web workers run on PostgreSQL only; CI runs this on PostgreSQL")
    port = free_port()
    env = {**os.environ, **{k: str(v) for k, v in cb.SETTINGS.items()},
           "JOBMATRIX_DATABASE_URL": database_url, "JOBMATRIX_DATA_KEY": TEST_DATA_KEY}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
                              cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        files: list[Path] = []
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        sent = 0
        # Keep sending until both workers have counted something (each worker writes its own file).
        while time.monotonic() < deadline and (sent < CHECKS or len(files) < 2):
            assert _url_check(base) == 200
            sent += 1
            files = list((tmp_path / "var" / "prometheus-multiproc").glob("counter_*.db"))
        assert len(files) >= 2, "only one worker served the callbacks"
        for _ in range(6):  # any worker may answer a scrape; all must agree
            samples = scrape(base)
            assert value(samples, "jobmatrix_callbacks_total", channel="wecom", kind="url_check",
                         outcome="accepted") == sent
            assert value(samples, "jobmatrix_callback_seconds_count", channel="wecom") == sent
    finally:
        server.terminate()
        server.wait(timeout=30)
