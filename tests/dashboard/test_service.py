"""Dashboard figures on crafted rows, judged on a fixed clock in Asia/Shanghai."""

from __future__ import annotations

from datetime import date

import pytest

from app.dashboard.period import make_period
from app.dashboard.report import get_metrics
from tests.dashboard.support import at, hop, make_org, post

DAY = make_period(first=date(2026, 3, 10), last=date(2026, 3, 10), timezone="Asia/Shanghai")
NEXT_MORNING = at("03-11 10:00")


@pytest.fixture
def org(db):
    return make_org(db)


def figures(db, now=NEXT_MORNING, period=DAY) -> dict:
    db.commit()
    return get_metrics(session=db, period=period, now=now)


def head(metrics: dict, key: str) -> dict:
    return next(h for h in metrics["headline"] if h["key"] == key)


def town(metrics: dict, name: str) -> dict:
    return next(t for t in metrics["townships"] if t["name"] == name)


def township_hops(db, org) -> None:
    hop(db, org, "A", arrived=at("03-10 10:00"), decided=at("03-10 10:29"), by="stew_a")  # on time
    hop(db, org, "A", arrived=at("03-10 10:00"), decided=at("03-10 10:31"), by="stew_a")  # 31 min: late
    hop(db, org, "A", arrived=at("03-10 11:00"), decided=at("03-10 11:30"), by="timeout")  # auto-approved: late
    hop(db, org, "A", arrived=at("03-10 12:00"), decided=at("03-10 12:05"), by="backup_a", status="rejected")
    hop(db, org, "A", arrived=at("03-10 15:00"))  # nobody decided
    hop(db, org, "A", arrived=at("03-10 15:00"), decided=at("03-10 15:00"), by="rule", needs_approval=False)
    hop(db, org, "B", arrived=at("03-10 09:00"), decided=at("03-10 09:30"), by="stew_b")  # exactly 30 min
    hop(db, org, "B", arrived=at("03-10 00:30"), decided=at("03-10 00:45"), by="stew_b")  # UTC says 03-09
    hop(db, org, "B", arrived=at("03-11 00:10"), decided=at("03-11 00:20"), by="stew_b")  # UTC says 03-10


def test_township_on_time_counts_29_minutes_not_31_nor_timeouts(db, org):
    township_hops(db, org)
    metrics = figures(db)
    overall = head(metrics, "township_on_time")
    assert (overall["numerator"], overall["denominator"], overall["open"]) == (4, 7, 0)
    assert overall["value"] == pytest.approx(4 / 7)
    a, b = town(metrics, "甲镇"), town(metrics, "乙镇")
    assert (a["hops_on_time"], a["hops"], a["on_time_rate"]) == (2, 5, pytest.approx(0.4))
    assert (b["hops_on_time"], b["hops"], b["on_time_rate"]) == (2, 2, 1.0)


def test_a_hop_still_within_its_30_minutes_is_neither_on_time_nor_late(db, org):
    township_hops(db, org)
    metrics = figures(db, now=at("03-10 15:10"))
    a = town(metrics, "甲镇")
    assert (a["hops_on_time"], a["hops"], a["hops_open"]) == (2, 4, 1)
    assert head(metrics, "township_on_time")["open"] == 1


def test_per_staff_work_counts_decisions_and_timeouts_in_their_township(db, org):
    township_hops(db, org)
    rows = {r["userid"]: r for r in figures(db)["staff"]}
    assert set(rows) == {"stew_a", "backup_a", "stew_b"}  # village staff are not in the incentive table
    assert (rows["stew_a"]["decisions"], rows["stew_a"]["on_time"], rows["stew_a"]["approved"]) == (2, 1, 2)
    assert (rows["backup_a"]["decisions"], rows["backup_a"]["on_time"], rows["backup_a"]["rejected"]) == (1, 1, 1)
    assert rows["stew_a"]["timeouts_in_township"] == rows["backup_a"]["timeouts_in_township"] == 1
    assert (rows["stew_b"]["decisions"], rows["stew_b"]["on_time"], rows["stew_b"]["timeouts_in_township"]) == (2, 2, 0)


def village_posts(db, org) -> None:
    post(db, org, "a1", planned=at("03-10 23:30"), sent=at("03-10 23:55"))  # same day
    post(db, org, "a1", planned=at("03-10 23:30"), sent=at("03-11 00:05"))  # next day, though UTC says 03-10
    post(db, org, "a2", planned=at("03-10 07:30"), sent=at("03-10 08:00"), kind="policy")  # UTC says 03-09 → 03-10
    post(db, org, "a2", planned=at("03-10 10:00"), status="failed", kind="policy", errcode=45009)
    post(db, org, "b1", planned=at("03-10 12:00"), sent=at("03-10 12:01"))
    post(db, org, "b1", planned=at("03-10 12:00"), status="cancelled")  # withdrawn item: not counted
    post(db, org, "b2", planned=at("03-10 12:00"), sent=at("03-10 12:01"), purpose="reminder")  # not a post
    post(db, org, "A", planned=at("03-10 12:00"), sent=at("03-11 09:00"))  # steward group, not residents
    post(db, org, "b2", planned=at("03-11 08:00"), sent=at("03-11 08:00"))  # planned for the next day


def test_village_same_day_is_judged_on_the_local_calendar_across_midnight(db, org):
    village_posts(db, org)
    metrics = figures(db)
    overall = head(metrics, "village_same_day")
    assert (overall["numerator"], overall["denominator"]) == (3, 5)
    a, b = town(metrics, "甲镇"), town(metrics, "乙镇")
    assert (a["village_same_day"], a["village_posts"]) == (2, 4)
    assert (b["village_same_day"], b["village_posts"], b["same_day_rate"]) == (1, 1, 1.0)


def test_an_unsent_post_whose_day_is_not_over_is_left_out(db, org):
    post(db, org, "a1", planned=at("03-10 10:00"))
    post(db, org, "a1", planned=at("03-10 09:00"), sent=at("03-10 09:01"))
    overall = head(figures(db, now=at("03-10 20:00")), "village_same_day")
    assert (overall["numerator"], overall["denominator"], overall["open"]) == (1, 1, 1)
    overall = head(figures(db, now=at("03-11 00:01")), "village_same_day")
    assert (overall["numerator"], overall["denominator"], overall["open"]) == (1, 2, 0)


def test_village_coverage_counts_villages_sent_a_job(db, org):
    village_posts(db, org)
    metrics = figures(db)
    coverage = head(metrics, "village_coverage")
    # a1 and b1 got a job; a2 only a policy, a3 has no resident group, b2 only a reminder and a job next day.
    assert (coverage["numerator"], coverage["denominator"], coverage["value"]) == (2, 5, pytest.approx(0.4))
    assert coverage["baseline"] == "种子系统：42% → 84.6%"
    a, b = town(metrics, "甲镇"), town(metrics, "乙镇")
    assert (a["villages_reached"], a["villages"], b["villages_reached"], b["villages"]) == (1, 3, 1, 2)


def test_nothing_happened_shows_no_data_never_a_number(db, org):
    metrics = figures(db)
    for key in ("township_on_time", "village_same_day", "recruitment_cycle_days"):
        assert head(metrics, key)["value"] is None and head(metrics, key)["note"] == "暂无数据"
    assert head(metrics, "village_coverage")["value"] == 0.0  # five villages, none reached: a real 0%
    assert head(metrics, "jobs_posted")["value"] == 0
    for key in ("hire_cycle_days", "first_contact_hours", "satisfaction", "training_conversion"):
        assert head(metrics, key)["value"] is None and head(metrics, key)["note"] == "暂无数据"
    assert head(metrics, "placements")["value"] == 0  # hires are recorded: none is a real 0
    assert head(metrics, "staff_training_sessions")["note"] == "暂无数据（尚未记录）"
    assert all(t["on_time_rate"] is None and t["same_day_rate"] is None for t in metrics["townships"])
