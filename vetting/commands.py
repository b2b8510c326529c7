"""Officers' text commands that only vetting knows (pure): 暂停 E12 原因, 恢复 E12."""

from __future__ import annotations

import re
from typing import Any

_LIFECYCLE = (
    ("suspend", re.compile(r"(?:暂停|停用|暂停认证)\s*#?\s*(?P<target>[Ee]\d{1,10})(?:\s*[:：,，]?\s*(?P<rest>.+))?", re.S)),
    ("reinstate", re.compile(r"(?:恢复|恢复认证|解除暂停)\s*#?\s*(?P<target>[Ee]\d{1,10})\s*(?P<rest>.*)", re.S)),
)


def parse_lifecycle(text: str) -> dict[str, Any] | None:
    """{'command', 'target', 'text'} for 暂停/恢复 E12, else None."""
    body = text.strip()
    for name, pattern in _LIFECYCLE:
        m = pattern.fullmatch(body)
        if m:
            return {"command": name, "target": m["target"].upper(), "text": (m["rest"] or "").strip() or None}
    return None
