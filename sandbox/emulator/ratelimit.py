"""Sliding-window counters for the per-minute limits (§2.5 robot, §3.2 per member)."""

from __future__ import annotations

from collections import defaultdict, deque


class SlidingWindow:
    """At most `limit` events per `seconds` for each key; only allowed events are counted."""

    def __init__(self, *, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str, now: float) -> bool:
        hits = self._hits[key]
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True

    def clear(self) -> None:
        self._hits.clear()
