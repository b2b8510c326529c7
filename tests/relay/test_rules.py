"""The time rules with a controllable clock: the day boundary, service and quiet hours, the cutoff."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from relay.rules import (
    DeadlinePolicy,
    auto_approves_on_timeout,
    cutoff_of,
    decided_on_time,
    in_quiet_hours,
    local_day_bounds,
    policy_for,
    send_windows,
    sent_same_day,
    township_due_at,
    township_reminder_at,
    village_send_time,
)

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()


def at(day: int, hh: int, mm: int) -> datetime:
    """A Shanghai wall-clock moment on 2026-11-<day>, as the UTC value the database stores."""
    return datetime(2026, 11, day, hh, mm, tzinfo=SH).astimezone(UTC)


@pytest.mark.parametrize(
    ("arrived", "expected"),
    [
        (at(25, 23, 50), at(26, 7, 30)),  # late night: next opening
        (at(26, 0, 10), at(26, 7, 30)),  # after midnight: the same calendar day's opening
        (at(25, 7, 29), at(25, 7, 30)),
        (at(25, 7, 30), at(25, 7, 30)),  # the opening minute is in service hours
        (at(25, 20, 29), at(25, 20, 29)),
        (at(25, 20, 31), at(25, 20, 31)),  # after the cutoff but still in service hours: same day
        (at(25, 21, 1), at(26, 7, 30)),
        (at(25, 21, 0), at(26, 7, 30)),  # 21:00 itself is closed
    ],
)
def test_village_send_time_across_the_day(arrived, expected):
    assert village_send_time(arrived, POLICY) == expected
    assert not in_quiet_hours(expected, POLICY)


def test_send_time_is_utc_and_crosses_the_utc_date_line():
    # 07:30 Shanghai is 23:30 UTC of the previous day: the local day decides, not the UTC one.
    assert village_send_time(at(25, 23, 50), POLICY) == datetime(2026, 11, 25, 23, 30, tzinfo=UTC)


def test_quiet_hours_inside_service_hours_are_never_crossed():
    policy = policy_for([{"service_hours": "07:00-22:00", "quiet_hours": "12:00-14:00"}])
    assert send_windows(policy) == [(420, 720), (840, 1320)]
    assert village_send_time(at(25, 12, 30), policy) == at(25, 14, 0)
    assert in_quiet_hours(at(25, 13, 59), policy) and not in_quiet_hours(at(25, 14, 0), policy)


def test_org_file_style_overrides_nearest_node_wins():
    district = {"service_hours": "08:00-20:00", "quiet_hours": "21:30-07:30"}
    village = {"service_hours": "07:00-12:00"}
    policy = policy_for([district, {}, village])
    assert policy.service_hours == "07:00-12:00" and policy.quiet_hours == "21:30-07:30"
    assert send_windows(policy) == [(450, 720)]  # quiet until 07:30 trims the 07:00 opening
    assert village_send_time(at(25, 12, 5), policy) == at(26, 7, 30)


def test_auto_approve_override_names():
    assert policy_for([{"auto_approve": False}]).auto_approve_on_timeout is False
    assert policy_for([{"auto_approve_on_timeout": False}]).auto_approve_on_timeout is False
    assert policy_for([{"requires_approval": False}]).requires_approval is False


def test_bad_hours_fail_when_the_policy_is_built():
    with pytest.raises(ValueError):
        policy_for([{"service_hours": "7.30 to 21"}])


def test_township_reminder_and_deadline():
    arrived = at(25, 23, 50)  # the clock runs in service hours only (issue 11, item 8)
    assert township_reminder_at(arrived, POLICY) == at(26, 7, 50)
    assert township_due_at(arrived, POLICY) == at(26, 8, 0)
    assert township_due_at(at(25, 10, 0), POLICY) == at(25, 10, 30)


def test_seeker_notes_are_never_auto_approved():
    assert auto_approves_on_timeout("job", POLICY) and auto_approves_on_timeout("policy", POLICY)
    assert not auto_approves_on_timeout("seeker", POLICY)
    assert not auto_approves_on_timeout("job", policy_for([{"auto_approve": False}]))


def test_cutoff_and_day_bounds_are_local():
    assert cutoff_of(date(2026, 11, 25), POLICY) == at(25, 20, 30)
    assert local_day_bounds(date(2026, 11, 25), POLICY) == (at(25, 0, 0), at(26, 0, 0))


def test_on_time_rules():
    arrived = at(25, 10, 0)
    assert decided_on_time(arrived, arrived + timedelta(minutes=30), "steward", POLICY)
    assert not decided_on_time(arrived, arrived + timedelta(minutes=31), "steward", POLICY)
    assert not decided_on_time(arrived, arrived + timedelta(minutes=30), "timeout", POLICY)
    assert not decided_on_time(arrived, None, "", POLICY)
    assert sent_same_day(at(25, 20, 29), at(25, 23, 59), POLICY)
    assert not sent_same_day(at(25, 20, 29), at(26, 0, 1), POLICY)
    assert not sent_same_day(at(25, 20, 29), None, POLICY)


def test_a_customer_groups_last_batch_leaves_time_to_confirm_before_cutoff_and_closing():
    from relay.rules import last_batch_at, next_day_opening

    assert last_batch_at(date(2026, 11, 25), DeadlinePolicy()) == at(25, 19, 0)  # 20:30 − 90 min
    # The example district: posts stop at 20:00, before the 20:30 cutoff: confirm by 20:00.
    closes_early = policy_for([{"service_hours": "08:00-20:00", "quiet_hours": "21:30-07:30"}])
    assert last_batch_at(date(2026, 11, 25), closes_early) == at(25, 18, 30)
    assert last_batch_at(date(2026, 11, 25), policy_for([{"confirm_allowance_minutes": 30}])) == at(25, 20, 0)
    assert next_day_opening(at(25, 22, 0), closes_early) == at(26, 8, 0)
