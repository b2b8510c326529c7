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


def _run_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        input=stdin, capture_output=True, cwd=root, timeout=120,
    )


def test_cli_reports_each_bad_line_by_number_goes_on_and_exits_non_zero() -> None:
    proc = _run_cli("parse", stdin=_stdin().getvalue().encode())
    assert proc.returncode == 1
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(rows) == len(LINES)
    assert rows[0]["kind"] == "seeker" and rows[4]["kind"] == "command"
    assert (rows[1]["line"], rows[3]["line"]) == (2, 4)
    errors = proc.stderr.decode().splitlines()
    # The whole parser message, not a summary of it.
    assert "line 2: invalid JSON: Expecting value: line 1 column 1 (char 0)" in errors
    assert "line 4: 'text' must be a string, got NoneType" in errors


def test_cli_survives_a_line_that_is_not_utf8() -> None:
    good = json.dumps({"id": 2, "text": "急招普工5名 月薪5000 地点白沙镇 电话13800001234"}, ensure_ascii=False)
    binary_text = json.dumps({"id": 1, "text": "\x00\x01招工\x1b\x7f13800001234"})  # control chars, escaped
    proc = _run_cli("parse", stdin=binary_text.encode() + b"\n\xff\xfe\x00\x81binary\n" + good.encode() + b"\n")
    assert proc.returncode == 1
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r.get("id") for r in rows] == [1, None, 2]
    assert rows[0]["kind"] == "other" and rows[0]["input_problem"] == "binary"
    assert "13800001234" not in rows[0]["masked"]
    assert rows[1]["line"] == 2 and rows[1]["error"].startswith("not UTF-8 text: 'utf-8' codec can't decode")
    assert rows[2]["kind"] == "job"
    assert proc.stderr.decode().startswith("line 2: not UTF-8 text:")


def test_cli_exits_zero_when_every_line_is_read() -> None:
    proc = _run_cli("parse", stdin=json.dumps({"id": 1, "text": "你好"}).encode() + b"\n\n")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] == "other"


def test_cli_help_shows_the_input_and_output_format() -> None:
    proc = _run_cli("parse", "--help")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    for words in ('"text"', '"author"', '"kind"', '"masked"', '"red_flags"', "line N", "exit status"):
        assert words in out


def test_an_ad_written_like_a_note_still_shows_its_red_flags() -> None:
    from templates_msg.cli import parse_line

    pupils = parse_line(json.dumps({"id": 1, "text": "暑假工 初中在读也可 13800001234"}))
    assert pupils["unsure"] and pupils["red_flags"] == ["underage"]
    fee = parse_line(json.dumps({"id": 2, "text": "服务员 交200服装费 13800003333"}))
    assert fee["unsure"] and fee["red_flags"] == ["fee_required"]
    # 女 in a note that may be the writer's own is not a sex requirement.
    own = parse_line(json.dumps({"id": 4, "text": "保洁 女 县城 13800004444"}))
    assert own["unsure"] and own["red_flags"] == []
    # A resident's note says nothing of fees: no flags, and no "missing workplace" for a note.
    note = parse_line(json.dumps({"id": 3, "text": "本人会电焊 想找活 13800004444"}))
    assert note["kind"] == "seeker" and note["red_flags"] == []
