"""Chart series on a hand-built three weeks, each point worked out by hand (Asia/Shanghai clock).

Week 1 (3月2日起): township A decides one hop in 10 min and one in 45 (1/2 on time); a1's post
goes out the day it was planned, b1's the day after (1/2 same day); a1 and b1 got a job (2/5
villages); two jobs posted by two employers, filled after 3 and 5 days (median 4).
Week 2: nothing happens. Week 3 (today is Wednesday 3月18日): B decides in 20 min, a2's post goes
out on time, one new job.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.dashboard.settled import SettledFigures
from app.dashboard.trends import TrendError, buckets, get_trends
from tests.dashboard.support import at, hop, three_weeks

NOW = at("03-18 10:00")
TZ = "Asia/Shanghai"


@pytest.fixture
def history(db):
    return three_weeks(db)


def series(trends: dict) -> dict[str, list]:
    return {s["key"]: s["values"] for s in trends["series"]}


def test_weekly_series_have_the_hand_worked_values(db, history):
    trends = get_trends(session=db, grain="week", count=3, now=NOW, timezone=TZ)
    assert trends["labels"] == ["3月2日起", "3月9日起", "3月16日起"]
    assert trends["partial"] == [False, False, True]
    values = series(trends)
    assert values["township_on_time"] == [0.5, None, 1.0]  # an empty week is a gap, never 0%
    assert values["village_same_day"] == [0.5, None, 1.0]
    assert values["village_coverage"] == [pytest.approx(2 / 5), 0.0, pytest.approx(1 / 5)]
    assert values["jobs_posted"] == [2, 0, 1]
    assert values["employers_posting"] == [2, 0, 1]
    assert values["recruitment_cycle_days"] == [pytest.approx(4.0), None, None]


def test_monthly_series_and_the_seed_systems_reference_lines(db, history):
    trends = get_trends(session=db, grain="month", count=2, now=NOW, timezone=TZ)
    assert trends["labels"] == ["2026年2月", "2026年3月"]
    values = series(trends)
    assert values["township_on_time"] == [None, pytest.approx(2 / 3)]
    assert values["village_same_day"] == [None, pytest.approx(2 / 3)]
    assert values["village_coverage"] == [0.0, pytest.approx(3 / 5)]
    # Every hop and post of the history hangs on a job item created 3月1日: 3 + 3 + the 3 jobs above.
    assert values["jobs_posted"] == [0, 9]
    assert values["employers_posting"] == [0, 3]
    refs = {s["key"]: [r["value"] for r in s["references"]] for s in trends["series"]}
    assert refs["village_coverage"] == [0.42, 0.846]
    assert refs["recruitment_cycle_days"] == [23.5, 9.2]
    assert refs["employers_posting"] == [40.0, 120.0]
    assert refs["township_on_time"] == []


def test_employers_per_month_reference_is_not_drawn_on_weekly_charts(db, history):
    trends = get_trends(session=db, grain="week", count=1, now=NOW, timezone=TZ)
    assert next(s for s in trends["series"] if s["key"] == "employers_posting")["references"] == []


def test_a_township_steward_sees_only_their_townships_series(db, history):
    trends = get_trends(session=db, grain="week", count=3, now=NOW, timezone=TZ, township_id=history.towns["A"].id)
    values = series(trends)
    assert set(values) == {"township_on_time", "village_same_day", "village_coverage"}
    assert values["township_on_time"] == [0.5, None, None]  # week 3's hop was township B's
    assert values["village_same_day"] == [1.0, None, 1.0]
    assert values["village_coverage"] == [pytest.approx(1 / 3), 0.0, pytest.approx(1 / 3)]


def test_bad_grain_or_count_is_refused_in_chinese():
    with pytest.raises(TrendError, match="粒度"):
        buckets(grain="day", count=3, today=date(2026, 3, 18), timezone=TZ)
    with pytest.raises(TrendError, match="最多"):
        buckets(grain="week", count=54, today=date(2026, 3, 18), timezone=TZ)


def test_settled_weeks_are_kept_and_the_open_week_is_always_counted_again(db, history):
    clock = [0.0]
    settled = SettledFigures(ttl=600, clock=lambda: clock[0])
    first = get_trends(session=db, grain="week", count=3, now=NOW, timezone=TZ, settled=settled)
    # A late correction in week 1 (settled: over for more than SETTLE_AFTER) and one in this week.
    hop(db, history, "A", arrived=at("03-05 10:00"), decided=at("03-05 10:05"), by="stew_a")
    hop(db, history, "A", arrived=at("03-18 09:00"), decided=at("03-18 09:45"), by="stew_a")  # late
    db.commit()
    again = series(get_trends(session=db, grain="week", count=3, now=NOW, timezone=TZ, settled=settled))
    assert again["township_on_time"][0] == series(first)["township_on_time"][0] == 0.5  # kept
    assert again["township_on_time"][2] == 0.5  # this week is counted again: 1.0 before
    clock[0] = 601.0  # the kept figures expire: the correction shows within TTL_SECONDS
    later = series(get_trends(session=db, grain="week", count=3, now=NOW, timezone=TZ, settled=settled))
    assert later["township_on_time"][0] == pytest.approx(2 / 3)
