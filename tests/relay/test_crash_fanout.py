"""Crash test (issue 4): one job fanned out to 400 village groups; the dispatcher process is killed
with SIGKILL several times mid-flight and restarted; every group ends with the job exactly once.

The emulator runs in this process, so it outlives the kills; the dispatcher is `jobmatrix dispatch`
in a subprocess pointed at it (WECOM_API_BASE) and at the test database.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from sqlalchemy import select

from relay.channels import ASSUMED
from relay.models import Delivery
from tests.conftest import TEST_DATA_KEY
from tests.relay.dispatch_helpers import create_chats, make_channels, make_org, queue, start_emulator, text

GROUPS = 400
KILLS = 4


def _dispatcher(database_url: str, emu, journal: str, *, until_idle: bool) -> subprocess.Popen:
    cfg = emu.config
    env = {**os.environ, "WECOM_API_BASE": emu.wecom_api_base, "WECOM_CORP_ID": cfg.corp_id,
           "WECOM_SECRET": cfg.secret, "WECOM_AGENT_ID": str(cfg.agent_id), "JOBMATRIX_DATABASE_URL": database_url,
           "JOBMATRIX_DATA_KEY": TEST_DATA_KEY}
    args = ["dispatch", "--concurrency", "8", "--lease-seconds", "3", "--journal-dir", journal,
            "--backoff-base", "0.1", "--backoff-cap", "1"] + (["--until-idle"] if until_idle else [])
    code = "import app.cli.relay; from app.cli import main; main()"
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)


def _delivered(emu) -> int:
    return sum(v["count"] for k, v in emu.state.targets().items() if k.startswith("appchat:"))


def test_sigkill_mid_fanout_delivers_every_group_exactly_once(database_url, session_factory, tmp_path) -> None:
    emu = start_emulator()
    rng = random.Random()
    try:
        with session_factory() as session:
            groups = make_org(session, villages=GROUPS)
            chats = [c for c in groups if c.startswith("chat")]
            channels = make_channels(emu, session_factory)
            create_chats(channels, chats)
            channels.close()
            queue(session, [dict(channel="appchat", target=c, group_id=groups[c], item_id=groups["__item__"],
                                 dedupe_key=f"relay:{groups['__item__']}:-:appchat:{c}",
                                 payload=text(f"J{groups['__item__']} 招聘叉车工2名 → {c}")) for c in chats])
        journal = str(tmp_path / "journal")
        kills = 0
        while kills < KILLS and _delivered(emu) < GROUPS - 60:
            before = _delivered(emu)
            proc = _dispatcher(database_url, emu, journal, until_idle=False)
            target = before + rng.randint(15, 60)
            deadline = time.monotonic() + 30
            while _delivered(emu) < target and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.05))  # a random point inside the stream of sends
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            kills += 1
        final = _dispatcher(database_url, emu, journal, until_idle=True)
        output, _ = final.communicate(timeout=60)
        assert final.returncode == 0, output.decode()
        assert kills == KILLS
        counts = {c: len(emu.state.received(f"appchat:{c}")) for c in chats}
        assert {c: n for c, n in counts.items() if n > 1} == {}  # never twice: the contract
        with session_factory() as session:
            assert set(session.scalars(select(Delivery.status))) == {"sent"}
            assumed = set(session.scalars(select(Delivery.target).where(Delivery.last_error == ASSUMED)))
        # The residual (docs/dispatcher.md): a request complete on the wire when the process died
        # is taken as delivered; the emulator (uvicorn) drops one whose client vanished before
        # its handler read the body. Such rows are flagged, never silent, and rare.
        missing = {c for c, n in counts.items() if n == 0}
        assert missing <= assumed
        assert len(missing) <= 2, missing
    finally:
        emu.stop()
