"""Time as a dependency: the client reads the clock and sleeps only through this object.

Retries back off for seconds and tokens live for two hours; tests inject a clock whose `sleep`
records the delay instead of waiting (STYLE.md "What to absorb" 9).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, for durations and deadlines."""

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` (or pretend to)."""


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
