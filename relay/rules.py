"""The bureau's time rules in one place (pure: no database, no clock of its own).

Moments are stored in UTC and compared in the deployment's local time zone, so "the same day"
and "service hours" mean what a villager's wall clock says. Asia/Shanghai has no DST, but the
arithmetic goes through zoneinfo anyway so another zone would still be handled honestly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
DAY_MINUTES = 24 * 60
Window = tuple[int, int]  # [start, end) in minutes after local midnight


@dataclass(frozen=True)
class DeadlinePolicy:
    """Defaults of the bureau's promises; a node's `overrides` change any of them."""

    timezone: str = "Asia/Shanghai"
    requires_approval: bool = True  # township hops wait for the steward
    auto_approve_on_timeout: bool = True  # jobs and policies only; seeker notes never
    reminder_minutes: int = 20
    deadline_minutes: int = 30  # 30分钟双向转译
    service_hours: str = "07:30-21:00"
    quiet_hours: str | None = None  # None: everything outside service hours
    cutoff: str = "20:30"  # 信息不过夜: the sweep that pushes or escalates what is left
    digest_at: str = "08:00"
    # Customer groups (§2.7): sends a group may receive per day, and how long before the cutoff the
    # day's last batch is created so its owner can confirm it in time (信息不过夜).
    group_daily_quota: int = 1
    confirm_allowance_minutes: int = 90
    confirm_reminder_minutes: int = 30  # after a group task is created: remind its owner / relayer
    confirm_escalation_minutes: int = 60  # then tell the township steward
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# Override keys as the org file spells them; `auto_approve` is the example file's short name.
_KEYS = {
    "requires_approval": ("requires_approval", bool),
    "auto_approve": ("auto_approve_on_timeout", bool),
    "auto_approve_on_timeout": ("auto_approve_on_timeout", bool),
    "reminder_minutes": ("reminder_minutes", int),
    "deadline_minutes": ("deadline_minutes", int),
    "service_hours": ("service_hours", str),
    "quiet_hours": ("quiet_hours", str),
    "cutoff": ("cutoff", str),
    "digest_at": ("digest_at", str),
    "group_daily_quota": ("group_daily_quota", int),
    "confirm_allowance_minutes": ("confirm_allowance_minutes", int),
    "confirm_reminder_minutes": ("confirm_reminder_minutes", int),
    "confirm_escalation_minutes": ("confirm_escalation_minutes", int),
}


def policy_for(chain: Iterable[Mapping[str, Any]], *, base: DeadlinePolicy | None = None) -> DeadlinePolicy:
    """Apply overrides from the district down to the node (the nearest node wins)."""
    policy = base or DeadlinePolicy()
    for overrides in chain:
        changes: dict[str, Any] = {}
        for key, value in (overrides or {}).items():
            if key in _KEYS and value is not None:
                name, kind = _KEYS[key]
                changes[name] = kind(value)
        policy = replace(policy, **changes)
    parse_span(policy.service_hours)  # fail loudly on a bad org file, not at 20:30
    parse_clock(policy.cutoff)
    return policy


def parse_clock(text: str) -> int:
    """'20:30' -> minutes after midnight."""
    m = _CLOCK.match(text)
    if not m or int(m[1]) > 24 or int(m[2]) > 59:
        raise ValueError(f"not a time of day: {text!r}")
    return int(m[1]) * 60 + int(m[2])


def clock_text(text: str) -> str:
    """'8:00' -> '08:00': one spelling per time of day (the scheduler keys its jobs by it)."""
    minutes = parse_clock(text) % DAY_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_span(text: str) -> list[Window]:
    """'07:30-21:00' -> [(450, 1260)]; a span across midnight ('21:30-07:30') gives two windows."""
    m = _SPAN.match(text)
    if not m:
        raise ValueError(f"not a span of hours: {text!r}")
    start, end = parse_clock(f"{m[1]}:{m[2]}"), parse_clock(f"{m[3]}:{m[4]}")
    if start == end:
        return [(0, DAY_MINUTES)]
    return [(start, end)] if start < end else [(start, DAY_MINUTES), (0, end)]


def _subtract(windows: list[Window], holes: list[Window]) -> list[Window]:
    out = windows
    for h_start, h_end in holes:
        nxt: list[Window] = []
        for start, end in out:
            nxt += [(s, e) for s, e in ((start, min(end, h_start)), (max(start, h_end), end)) if s < e]
        out = nxt
    return sorted(out)


def send_windows(policy: DeadlinePolicy) -> list[Window]:
    """When a resident group may receive posts: service hours minus quiet hours."""
    quiet = parse_span(policy.quiet_hours) if policy.quiet_hours else []
    return _subtract(parse_span(policy.service_hours), quiet)


def local(moment: datetime, policy: DeadlinePolicy) -> datetime:
    return moment.astimezone(policy.tz)


def _at(day: date, minutes: int, policy: DeadlinePolicy) -> datetime:
    naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return naive.replace(tzinfo=policy.tz).astimezone(UTC)


def in_quiet_hours(moment: datetime, policy: DeadlinePolicy) -> bool:
    """True when nothing may be posted to a resident group."""
    here = local(moment, policy)
    minute = here.hour * 60 + here.minute
    return not any(start <= minute < end for start, end in send_windows(policy))


def village_send_time(arrived: datetime, policy: DeadlinePolicy) -> datetime:
    """The earliest moment a post that reached a village at `arrived` may go to its group."""
    windows = send_windows(policy)
    if not windows:
        raise ValueError("service hours and quiet hours leave no time to post")
    here = local(arrived, policy)
    minute = here.hour * 60 + here.minute
    for offset in range(2):
        day = here.date() + timedelta(days=offset)
        for start, end in windows:
            if offset == 0 and start <= minute < end:
                return arrived.astimezone(UTC)
            if offset > 0 or start > minute:
                return _at(day, start, policy)
    raise AssertionError("unreachable: a non-empty window recurs every day")


def after_service_minutes(start: datetime, minutes: int, policy: DeadlinePolicy) -> datetime:
    """The moment `minutes` of the node's service hours have passed since `start`.

    The clock stops outside service hours: a job posted at 23:00 has its 30 minutes from 07:30
    to 08:00, so nothing is auto-approved, reminded or escalated at night (issue 11, item 8).
    """
    windows = sorted(parse_span(policy.service_hours))
    remaining = timedelta(minutes=minutes)
    day = local(start, policy).date() - timedelta(days=1)  # yesterday's window may run past midnight
    for offset in range(minutes + 2):  # every day has at least a minute of service
        for w_start, w_end in windows:
            opens, closes = _at(day + timedelta(days=offset), w_start, policy), _at(day + timedelta(days=offset), w_end, policy)
            if closes <= start:
                continue
            begin = max(start, opens)
            if begin + remaining <= closes:
                return begin + remaining
            remaining -= closes - begin
    raise AssertionError("unreachable: service hours recur every day")


def township_reminder_at(arrived: datetime, policy: DeadlinePolicy) -> datetime:
    return after_service_minutes(arrived, policy.reminder_minutes, policy)


def township_due_at(arrived: datetime, policy: DeadlinePolicy) -> datetime:
    return after_service_minutes(arrived, policy.deadline_minutes, policy)


def auto_approves_on_timeout(kind: str, policy: DeadlinePolicy) -> bool:
    """Seeker notes carry a person's situation: a human always decides (never auto-published)."""
    return kind in ("job", "policy") and policy.auto_approve_on_timeout


def cutoff_of(day: date, policy: DeadlinePolicy) -> datetime:
    """The cutoff moment (UTC) of a local day."""
    return _at(day, parse_clock(policy.cutoff), policy)


def last_batch_at(day: date, policy: DeadlinePolicy) -> datetime:
    """When a customer group's last batch of the day is created: early enough to be confirmed by
    the cutoff (信息不过夜) and while the group may still receive posts (its send windows)."""
    last_open = max((end for _, end in send_windows(policy)), default=DAY_MINUTES)
    deadline = min(parse_clock(policy.cutoff), last_open)
    return _at(day, deadline, policy) - timedelta(minutes=policy.confirm_allowance_minutes)


def next_day_opening(moment: datetime, policy: DeadlinePolicy) -> datetime:
    """The first send window of the local day after `moment`'s."""
    start, _ = local_day_bounds(local(moment, policy).date() + timedelta(days=1), policy)
    return village_send_time(start, policy)


def local_day_bounds(day: date, policy: DeadlinePolicy) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day, in UTC."""
    return _at(day, 0, policy), _at(day + timedelta(days=1), 0, policy)


def yesterday(now: datetime, policy: DeadlinePolicy) -> date:
    return local(now, policy).date() - timedelta(days=1)


def decided_on_time(arrived: datetime, decided: datetime | None, decided_by: str, policy: DeadlinePolicy) -> bool:
    """A township hop is on time when a person decided it within the deadline; a timeout is not."""
    if decided is None or decided_by in ("timeout", ""):
        return False
    return decided <= township_due_at(arrived, policy)  # in service minutes, like the deadline itself


def sent_same_day(planned: datetime, sent: datetime | None, policy: DeadlinePolicy) -> bool:
    """A village post is on time when it went out on the local day it was planned for."""
    return sent is not None and local(sent, policy).date() == local(planned, policy).date()


def rate(hits: int, total: int) -> float | None:
    return None if total == 0 else hits / total
