"""Figures of periods that are over, kept in memory for a while: a chart of 12 months asks for the
same eleven closed months on every load, and their figures cannot change any more.

A period is settled once every rule that judges its rows has run out: the village post's day is
over, the steward's deadline (30 minutes, pushed to the next opening outside service hours, so a
weekend and a holiday at most) has passed. SETTLE_AFTER leaves room for that. Entries also expire
after TTL_SECONDS, so an erasure or a late correction shows within minutes; each worker keeps its
own copy (nothing shared, nothing to invalidate across processes).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import Any

SETTLE_AFTER = timedelta(days=4)
TTL_SECONDS = 600
MAX_ENTRIES = 5000


class SettledFigures:
    def __init__(self, *, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl, self._clock = ttl, clock
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, *, period_end: datetime, now: datetime, compute: Callable[[], Any]) -> Any:
        """compute() for a period still open; for a settled one, the kept answer when still fresh."""
        if now < period_end + SETTLE_AFTER:
            return compute()
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None and self._clock() - kept[0] < self._ttl:
                return kept[1]
        value = compute()
        with self._lock:
            self._entries[key] = (self._clock(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)
        return value
