"""`jobmatrix parse`: JSON lines in, one JSON line out per input, in order; bad lines continue."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from templates_msg.cli import run_parse_stream

LINES = [
    {"id": 1, "text": "本人男45岁会开叉车有证5年想找中牟新区仓库的活儿 电话138 2746 9153"},
    "this is not json",
    {"id": "j2", "text": "急招普工20名 月薪4500-6000 包吃住 地点中牟汽车产业园 电话13969258147"},
    {"id": 3},
    {"id": 4, "text": "通过 123"},
]


def _stdin() -> io.StringIO:
    return io.StringIO(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in LINES) + "\n"
    )


def test_stream_keeps_order_and_reports_bad_lines() -> None:
    out = io.StringIO()
    errors = run_parse_stream(_stdin(), out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r.get("id") for r in rows] == [1, None, "j2", 3, 4]
    assert errors == 2
    assert "error" in rows[1] and "error" in rows[3]
    seeker, job, command = rows[0], rows[2], rows[4]
    assert set(seeker) >= {"id", "kind", "fields", "masked", "red_flags"}
    assert seeker["kind"] == "seeker" and seeker["red_flags"] == []
    assert "13827469153" not in seeker["masked"].replace(" ", "") and "138****9153" in seeker["masked"]
    assert seeker["fields"]["phone"] == "13827469153"
    assert job["kind"] == "job" and "13969258147" in job["masked"]
    assert job["fields"]["salary_min"] == 4500 and job["fields"]["headcount"] == 20
    assert command["fields"] == {"command": "approve", "target": "123", "text": None}


def test_cli_entry_point_runs() -> None:
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", "parse"],
        input=_stdin().getvalue(),
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == len(LINES)
    assert rows[0]["kind"] == "seeker"
