"""The period a dashboard reads: whole local days [first, last], as a UTC range [start, end)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from relay.rules import DeadlinePolicy, local, local_day_bounds

# A year of hops and village posts is still one request; more would hold a worker for long.
MAX_DAYS = 366


class PeriodError(ValueError):
    """A period the bureau cannot ask for; the message is shown on the page as it is."""


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included
    start: datetime  # UTC, local midnight of `first`
    end: datetime  # UTC, local midnight after `last`
    timezone: str

    def months(self) -> list[tuple[str, datetime, datetime, bool]]:
        """(YYYY-MM, start, end, partial) for each calendar month the period touches, clipped to it."""
        out, month = [], self.first.replace(day=1)
        policy = DeadlinePolicy(timezone=self.timezone)
        while month <= self.last:
            following = (month + timedelta(days=32)).replace(day=1)
            first, last = max(month, self.first), min(following - timedelta(days=1), self.last)
            start, end = local_day_bounds(first, policy)[0], local_day_bounds(last, policy)[1]
            out.append((month.strftime("%Y-%m"), start, end, first != month or last != following - timedelta(days=1)))
            month = following
        return out


def make_period(*, first: date, last: date, timezone: str) -> Period:
    """The period of these local days; PeriodError when it is reversed or too long."""
    if last < first:
        raise PeriodError("结束日期早于开始日期")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError(f"统计期间最长 {MAX_DAYS} 天")
    policy = DeadlinePolicy(timezone=timezone)
    return Period(first, last, local_day_bounds(first, policy)[0], local_day_bounds(last, policy)[1], timezone)


def parse_period(*, first: str | None, last: str | None, now: datetime, timezone: str) -> Period:
    """The period named by ?from=&to= (YYYY-MM-DD); by default this month up to today (local)."""
    today = local(now, DeadlinePolicy(timezone=timezone)).date()
    try:
        last_day = date.fromisoformat(last) if last else today
        first_day = date.fromisoformat(first) if first else last_day.replace(day=1)
    except ValueError as exc:
        raise PeriodError("日期格式应为 YYYY-MM-DD") from exc
    return make_period(first=first_day, last=last_day, timezone=timezone)
