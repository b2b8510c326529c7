"""`jobmatrix emulator` runs in the foreground, prints its base URLs and stops on SIGTERM."""

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
# app/cli/__init__.py may not import the command module yet; import it explicitly.
LAUNCH = "import app.cli.emulator; from app.cli import cli; cli()"


def test_emulator_command_serves_until_sigterm():
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            LAUNCH,
            "emulator",
            "--port",
            "0",
            "--user",
            "zhangsan",
            "--robot",
            "k1=村群",
            "--text-overflow",
            "error",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert match, first
        base = match.group(0)
        assert f"WECOM_API_BASE={base}/cgi-bin/" in proc.stdout.readline()
        token = httpx.get(
            f"{base}/cgi-bin/gettoken",
            trust_env=False,
            params={"corpid": "wwemulatorcorp0001", "corpsecret": "emulator-app-secret"},
        ).json()
        send = httpx.post(
            f"{base}/cgi-bin/message/send",
            params={"access_token": token["access_token"]},
            json={
                "touser": "zhangsan",
                "msgtype": "text",
                "agentid": 1000002,
                "text": {"content": "a" * 2049},
            },
            trust_env=False,
        ).json()
        assert send["errcode"] == 45002
        hook = httpx.post(
            f"{base}/cgi-bin/webhook/send",
            params={"key": "k1"},
            trust_env=False,
            json={"msgtype": "text", "text": {"content": "hi"}},
        ).json()
        assert hook["errcode"] == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert proc.wait(timeout=10) is not None
        assert time.monotonic() - started < 10
