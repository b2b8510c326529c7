"""Smoke run of `bench/webhook.py --quick`: both endpoints answer, and every success was stored once.

No skip marker: with wrk missing the script falls back to its asyncio generator, which needs
nothing beyond the standard library, so the run is always possible.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "webhook.py"
ROW = re.compile(
    r"^(?P<label>(bare|full path)\S*(?: \S+)*)\s{2,}(?P<rate>\d+\.\d)\s+(?P<p50>\d+\.\d\d)\s+(?P<p99>\d+\.\d\d)"
    r"\s+(?P<ok>\d+)\s+(?P<errors>\d+)$",
    re.MULTILINE,
)
STORED = re.compile(
    r"^stored=(?P<stored>\d+) successful=(?P<successful>\d+) unanswered=(?P<unanswered>\d+) rejected=(?P<rejected>\d+)",
    re.MULTILINE,
)


def _run_quick() -> str:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=240, check=False
    )
    assert completed.returncode == 0, f"stdout:\n{completed.stdout}\nstderr:\n{completed.stderr}"
    return completed.stdout


def test_quick_run_measures_both_endpoints_and_stores_every_request() -> None:
    out = _run_quick()

    rows = {match["label"]: match for match in ROW.finditer(out)}
    bare = [row for label, row in rows.items() if label.startswith("bare")]
    full = [row for label, row in rows.items() if label.startswith("full path")]
    assert len(bare) == 1 and len(full) == 2, out  # full path at max and at half of max
    for row in bare + full:
        assert float(row["rate"]) > 0 and int(row["ok"]) > 0, out
    assert "ratio full/bare:" in out and "p99 at" in out, out

    counts = STORED.search(out)
    assert counts is not None, out
    stored, successful, unanswered = (int(counts[key]) for key in ("stored", "successful", "unanswered"))
    # Each request was a new message: a dedupe hit would answer 200 without storing a row. A
    # request the generator timed out on may have been stored without its answer being counted.
    assert successful > 0, out
    assert successful <= stored <= successful + unanswered, out
    assert int(counts["rejected"]) == 0, out
