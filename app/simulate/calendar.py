"""The simulation's clock and the rhythm of a rural district's year.

Every part that reads the time during a simulation (the webhook's replay check, the relay jobs,
the emulator's quotas and tokens, the phone's callback timestamps) reads one `SimClock`, so a
simulated day takes seconds and every stored timestamp is simulated time. When the simulation
reaches the present the clock follows the wall clock again, so a demo can go on live.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class SimClock:
    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)
        self._live = False
        self._lock = threading.Lock()

    def now(self) -> datetime:
        if self._live:
            return datetime.now(UTC)
        with self._lock:
            return self._now

    def timestamp(self) -> float:
        return self.now().timestamp()

    def advance_to(self, moment: datetime) -> None:
        with self._lock:
            if moment > self._now:  # time never runs backwards: rows written earlier must stay in the past
                self._now = moment.astimezone(UTC)

    def go_live(self) -> None:
        """From now on the wall clock (the simulation has caught up with the present)."""
        self._live = True


# Relative activity by month, from how rural labour moves in central China: after the Spring
# Festival (Feb-Mar) everyone looks for work; the wheat harvest (June) and the autumn harvest
# (Sep-Oct) keep people on the fields; winter building sites stop hiring (Dec-Jan).
SEEKER_SEASON = {1: 0.6, 2: 1.6, 3: 1.4, 4: 1.0, 5: 0.9, 6: 0.5, 7: 0.9, 8: 1.0, 9: 0.6, 10: 0.7, 11: 1.0, 12: 0.7}
HIRING_SEASON = {1: 0.5, 2: 1.5, 3: 1.5, 4: 1.1, 5: 1.0, 6: 0.8, 7: 0.9, 8: 1.0, 9: 1.1, 10: 1.0, 11: 0.9, 12: 0.6}
WEEKEND = 0.5  # fewer posts on Saturdays and Sundays, and stewards answer later (see driver.py)

DAY_START_HOUR, DAY_END_HOUR = 7, 22  # the simulated part of each day; the night is skipped


def seeker_factor(day: date) -> float:
    return SEEKER_SEASON[day.month] * (WEEKEND if day.weekday() >= 5 else 1.0)


def hiring_factor(day: date) -> float:
    return HIRING_SEASON[day.month] * (WEEKEND if day.weekday() >= 5 else 1.0)


def days_ending_today(days: int, timezone: str, today: date | None = None) -> list[date]:
    """The `days` local days before today (the simulated past ends where the present begins)."""
    today = today or datetime.now(ZoneInfo(timezone)).date()
    return [today - timedelta(days=n) for n in range(days, 0, -1)]


def local_moment(day: date, hour: int, minute: int, timezone: str) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def ticks_of(day: date, timezone: str, step_minutes: int) -> list[datetime]:
    """The moments of a day at which the simulated people act and the relay's jobs run."""
    first = local_moment(day, DAY_START_HOUR, 0, timezone)
    count = (DAY_END_HOUR - DAY_START_HOUR) * 60 // step_minutes
    return [first + timedelta(minutes=step_minutes * n) for n in range(count + 1)]
