"""What each target received, in order, and call counters — the inspection side of the emulator."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from typing import Any

# Target names used by the inspection API: "<kind>:<id>".
USER, APPCHAT, ROBOT, OPENID, AIBOT = "user", "appchat", "robot", "openid", "aibot"


def target(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


class Inbox:
    """Delivered messages with a global sequence number; entries may be updated (cards)."""

    def __init__(self) -> None:
        self._entries: list[dict[str, Any]] = []
        self._seq = 0

    def deliver(self, *, to: str, api: str, msgtype: str, message: dict, now: float, **extra: Any) -> dict:
        self._seq += 1
        body = message.get(msgtype) if isinstance(message.get(msgtype), dict) else {}
        entry: dict[str, Any] = {
            "seq": self._seq,
            "target": to,
            "api": api,
            "msgtype": msgtype,
            "content": body.get("content") if msgtype in ("text", "markdown") else None,
            "time": now,
            "message": copy.deepcopy(message),
        }
        entry.update(extra)
        self._entries.append(entry)
        return entry

    def received(self, to: str | None = None) -> list[dict]:
        """Copies of the entries for one target (or all), oldest first."""
        return [copy.deepcopy(e) for e in self._entries if to is None or e["target"] == to]

    def targets(self) -> dict[str, dict]:
        summary: dict[str, dict] = {}
        for entry in self._entries:
            item = summary.setdefault(entry["target"], {"count": 0, "msgtypes": Counter(), "last_seq": 0})
            item["count"] += 1
            item["msgtypes"][entry["msgtype"]] += 1
            item["last_seq"] = entry["seq"]
        return {k: {**v, "msgtypes": dict(v["msgtypes"])} for k, v in summary.items()}


class Counters:
    """Calls per endpoint and outcomes (errcode, "http:500", "dropped") per endpoint."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.outcomes: dict[str, Counter[str]] = defaultdict(Counter)
        self.events: Counter[str] = Counter()

    def record(self, endpoint: str, outcome: int | str) -> None:
        self.calls[endpoint] += 1
        self.outcomes[endpoint][str(outcome)] += 1

    def note(self, event: str, n: int = 1) -> None:
        """Things that happen without an error: silent drops, duplicates suppressed."""
        self.events[event] += n

    def snapshot(self) -> dict:
        errcodes: Counter[str] = Counter()
        for outcomes in self.outcomes.values():
            errcodes.update(outcomes)
        return {
            "calls": dict(self.calls),
            "by_endpoint": {k: dict(v) for k, v in self.outcomes.items()},
            "errcodes": dict(errcodes),
            "events": dict(self.events),
        }
