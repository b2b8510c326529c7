"""Rate limits per channel and target, so a fan-out never provokes the platform's limits.

The platform's own limits (wecom-platform.md §2.4, §2.5, §3.2): a group robot takes 20 messages a
minute (45009 beyond); a member gets at most 30 app messages a minute and 1000 an hour, and each
member of an appchat group at most 200 group messages a minute — the excess of those two is
*dropped without an error*, so pacing is the only protection. We pace on our side a little below
each figure, because the platform's window and ours do not start at the same instant.

`Pacer` is process-local. Across processes the dispatcher's claim adds a database guard for
robots (see dispatch_store.claim): at most one delivery per target is in flight anywhere, and
a robot key with 20 sends in the last minute is not claimed at all.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: float


# channel → windows that apply per target (key, userid, chatid).
LIMITS: dict[str, tuple[Window, ...]] = {
    "robot": (Window(19, 60.0),),  # §2.5: 20/min per robot
    "app": (Window(28, 60.0), Window(950, 3600.0)),  # §3.2: 30/min, 1000/h per member
    "appchat": (Window(190, 60.0),),  # §2.4: 200/min per member in groups
}


class Pacer:
    """Sliding windows per (channel, target); thread-safe."""

    def __init__(self, limits: dict[str, tuple[Window, ...]] | None = None) -> None:
        self._limits = LIMITS if limits is None else limits
        self._hits: dict[tuple[str, str, float], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def reserve(self, channel: str, target: str, now: float) -> float:
        """0 and one send counted if the target may take a message at `now`, else seconds to wait."""
        windows = self._limits.get(channel, ())
        with self._lock:
            wait = max((self._wait(channel, target, w, now) for w in windows), default=0.0)
            if wait <= 0:
                for window in windows:
                    self._hits[(channel, target, window.seconds)].append(now)
            return wait

    def record_extra(self, channel: str, target: str, now: float, count: int) -> None:
        """Count `count` more messages: a long text went out as several parts (limits.split_text)."""
        with self._lock:
            for window in self._limits.get(channel, ()):
                self._hits[(channel, target, window.seconds)].extend([now] * count)

    def block(self, channel: str, target: str, now: float, seconds: float) -> None:
        """The platform said 45009 anyway (another sender shares the robot): stay away `seconds`."""
        with self._lock:
            for window in self._limits.get(channel, ()):
                hits = self._hits[(channel, target, window.seconds)]
                hits.clear()
                # A full window whose oldest hit leaves at now + seconds.
                hits.extend([now + seconds - window.seconds] * window.limit)

    def _wait(self, channel: str, target: str, window: Window, now: float) -> float:
        hits = self._hits[(channel, target, window.seconds)]
        while hits and hits[0] <= now - window.seconds:
            hits.popleft()
        if len(hits) < window.limit:
            return 0.0
        return hits[len(hits) - window.limit] + window.seconds - now
