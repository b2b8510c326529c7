"""`jobmatrix parse`: JSON lines {"id","text"} in, {"id","kind","fields","masked","red_flags"} out."""

from __future__ import annotations

import json
from typing import Any, TextIO

from templates_msg.understand import understand


def _red_flags(kind: str, fields: dict[str, Any], text: str = "") -> list[str]:
    """Review 3's red-flag codes for job ads (vetting's pure rules); other kinds have none."""
    if kind != "job":
        return []
    from vetting.redflags import flag_codes

    return flag_codes(text, fields)


def parse_line(line: str) -> dict[str, Any]:
    """One output record for one input line; errors become {"id", "error"}."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc.msg}"}
    if not isinstance(record, dict):
        return {"id": None, "error": "each line must be a JSON object"}
    msg_id = record.get("id")
    text = record.get("text")
    if not isinstance(text, str):
        return {"id": msg_id, "error": "missing or non-string 'text'"}
    try:
        u = understand(text)
    except Exception as exc:  # one bad message must not stop a bulk check
        return {"id": msg_id, "error": f"{type(exc).__name__}: {exc}"}
    out: dict[str, Any] = {"id": msg_id, "kind": u.kind, "fields": u.fields, "masked": u.masked}
    out["red_flags"] = _red_flags(u.kind, u.fields, text)
    if u.hold_reason:
        out["hold_reason"] = u.hold_reason
    return out


def run_parse_stream(stdin: TextIO, stdout: TextIO) -> int:
    """Process every non-blank line in order; returns the number of error lines."""
    errors = 0
    for line in stdin:
        if not line.strip():
            continue
        out = parse_line(line)
        errors += "error" in out
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return errors
