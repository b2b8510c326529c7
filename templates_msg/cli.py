"""`jobmatrix parse`: JSON lines {"id","text"} in, {"id","kind","fields","masked","red_flags"} out."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from templates_msg.model import Understanding
from templates_msg.understand import parse_fields, understand

FORMAT_HELP = """\
Input (stdin): one JSON object per line, {"id": ..., "text": "..."}; optional "author":
{"role": "resident|employer|steward|officer", "channel": "oa|district|village"}. Blank lines
are skipped. Output (stdout): one JSON line per input line, in order:
{"id", "kind", "fields", "masked", "red_flags"} (+ "unsure": true when the bot would ask the
author whether they seek or offer work, "hold_reason", "input_problem" when there is one).
kind is seeker | job | policy | query | command | other.
A line that cannot be read gives {"id", "line", "error"} on stdout and "line N: <error>" on
stderr; the next lines are still processed and the exit status is 1 if any line failed."""


def red_flags_of(u: Understanding) -> list[str]:
    """Review 3's red-flag codes (vetting's pure rules) for a job ad, and for a note that may be
    one (unsure): an ad written like a note still shows its fees or under-age hiring. Other
    kinds have none."""
    if u.kind != "job" and not u.unsure:
        return []
    from vetting.redflags import flag_codes

    if not u.unsure:
        return flag_codes(u.original, u.fields)
    # Only the wording that is wrong whoever wrote it: a note is not expected to name a workplace
    # or a business phone, and 女 50 in a note is the writer, not a requirement.
    job_fields = u.fields if u.kind == "job" else parse_fields("job", u.original, list(u.findings))
    return [code for code in flag_codes(u.original, job_fields) if code in _ANY_AUTHOR_FLAGS]


_ANY_AUTHOR_FLAGS = frozenset(
    {"fee_required", "scam_task", "overseas", "id_collection", "wage_withholding", "underage"}
)


def _author(record: dict[str, Any]) -> tuple[str | None, str | None]:
    author = record.get("author")
    if not isinstance(author, dict):
        return None, None
    role, channel = author.get("role"), author.get("channel")
    return (role if isinstance(role, str) else None), (channel if isinstance(channel, str) else None)


def parse_line(line: str | bytes) -> dict[str, Any]:
    """One output record for one input line; a line that cannot be read becomes {"id", "error"}."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return {"id": None, "error": f"not UTF-8 text: {exc}"}
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc}"}
    if not isinstance(record, dict):
        return {"id": None, "error": f"each line must be a JSON object, got {type(record).__name__}"}
    msg_id = record.get("id")
    text = record.get("text")
    if not isinstance(text, str):
        return {"id": msg_id, "error": f"'text' must be a string, got {type(text).__name__}"}
    role, channel = _author(record)
    try:
        u = understand(text, author_role=role, channel=channel)
    except Exception as exc:  # one bad message must not stop a bulk check
        return {"id": msg_id, "error": f"{type(exc).__name__}: {exc}"}
    out: dict[str, Any] = {"id": msg_id, "kind": u.kind, "fields": u.fields, "masked": u.masked}
    out["red_flags"] = red_flags_of(u)
    for key, value in (("unsure", u.unsure), ("hold_reason", u.hold_reason), ("input_problem", u.input_problem)):
        if value:
            out[key] = value
    return out


def run_parse_stream(lines: Iterable[str | bytes], stdout: TextIO, stderr: TextIO | None = None) -> int:
    """Process every non-blank line in order; returns the number of lines that failed.

    Each failure is also written to `stderr` as "line N: <the whole parser message>".
    """
    errors = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        out = parse_line(line)
        if "error" in out:
            errors += 1
            out["line"] = number
            if stderr is not None:
                stderr.write(f"line {number}: {out['error']}\n")
                stderr.flush()
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return errors
