"""Each headline figure by week or by month, for the charts: the same rules as the headline cards
(app.dashboard.service / traffic), run once per bucket, so a point on a chart and the card for
that period can never disagree.

A township steward's charts cover only their township: the three promise figures filtered to it;
the district-wide counts (jobs, employers, cycle) are left out for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from app.dashboard import service, traffic
from app.dashboard.period import Period, make_period
from app.dashboard.service import Policies, Tally
from app.dashboard.settled import SettledFigures
from app.dashboard.table import Table
from relay.org_view import load_org
from relay.rules import DeadlinePolicy, local

GRAINS = ("week", "month")
MAX_BUCKETS = 53

# The seed system's before/after values (DESIGN.md, the bureau's goals), drawn as reference lines.
# Rates are fractions like the series. Employers per month only make sense on the monthly chart.
REFERENCES: dict[str, list[tuple[str, float]]] = {
    "village_coverage": [("种子系统推行前 42%", 0.42), ("种子系统推行后 84.6%", 0.846)],
    "recruitment_cycle_days": [("种子系统推行前 23.5 天", 23.5), ("种子系统推行后 9.2 天", 9.2)],
    "employers_posting": [("种子系统推行前 每月 40 家", 40.0), ("种子系统推行后 每月 120 家", 120.0)],
}
# Figures the system does not record yet: their reference values are stated on the page, not charted.
UNCHARTED_REFERENCES = [
    ("培训转化就业率", "种子系统 21.3% → 54.2%"),
    ("群众满意度", "种子系统 92.2%"),
    ("就业人数", "种子系统 2,400 人"),
]

SERIES = [  # key, label, unit, district-wide (hidden from a township steward)
    ("township_on_time", "乡镇30分钟转译及时率", "rate", False),
    ("village_same_day", "村级信息当日送达率", "rate", False),
    ("village_coverage", "村级岗位信息覆盖率", "rate", False),
    ("jobs_posted", "招聘信息数", "count", True),
    ("employers_posting", "发布招聘的企业数", "count", True),
    ("recruitment_cycle_days", "招聘周期（中位数，天）", "days", True),
]


class TrendError(ValueError):
    """A trend the page cannot ask for; shown as it is."""


@dataclass(frozen=True)
class Bucket:
    label: str
    period: Period
    partial: bool  # clipped at today: the week or month is not over


def buckets(*, grain: str, count: int, today: date, timezone: str) -> list[Bucket]:
    """The last `count` weeks (Monday first) or calendar months up to `today`, oldest first."""
    if grain not in GRAINS:
        raise TrendError("粒度只能是 week（按周）或 month（按月）")
    if not 1 <= count <= MAX_BUCKETS:
        raise TrendError(f"最多显示 {MAX_BUCKETS} 个周期")
    out = []
    if grain == "week":
        monday = today - timedelta(days=today.weekday())
        for back in range(count - 1, -1, -1):
            first = monday - timedelta(weeks=back)
            last = min(first + timedelta(days=6), today)
            out.append(Bucket(f"{first.month}月{first.day}日起", make_period(first=first, last=last, timezone=timezone),
                              last != first + timedelta(days=6)))
        return out
    month = today.replace(day=1)
    starts = []
    for _ in range(count):
        starts.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    for first in reversed(starts):
        following = (first + timedelta(days=32)).replace(day=1)
        last = min(following - timedelta(days=1), today)
        out.append(Bucket(f"{first.year}年{first.month}月", make_period(first=first, last=last, timezone=timezone),
                          last != following - timedelta(days=1)))
    return out


def _total(tallies: dict, township_id: int | None) -> Tally:
    total = Tally()
    for key, tally in tallies.items():
        if township_id is None or key == township_id:
            total = total.add(tally)
    return total


def _point(session: Session, bucket: Bucket, now: datetime, policies: Policies, township_id: int | None) -> dict:
    period = bucket.period
    hops = service.township_on_time(session=session, period=period, now=now, policies=policies)
    posts = service.village_same_day(session=session, period=period, now=now, policies=policies)
    coverage = service.village_coverage(session=session, period=period, org=policies.org)
    point = {
        "township_on_time": _total(hops, township_id).rate,
        "village_same_day": _total(posts, township_id).rate,
        "village_coverage": _total(coverage, township_id).rate,
    }
    if township_id is None:
        point["jobs_posted"] = traffic.items_by_kind(session=session, period=period)["job"]
        point["employers_posting"] = traffic.employers_posting(session=session, start=period.start, end=period.end)
        point["recruitment_cycle_days"] = traffic.recruitment_cycle(session=session, period=period)[0]
    return point


def get_trends(*, session: Session, grain: str, count: int, now: datetime, timezone: str,
               township_id: int | None = None, settled: SettledFigures | None = None) -> dict:
    """{labels, partial, series: [{key, label, unit, values, references}]}; values are None where
    a bucket has nothing to count (a gap in the line, never a zero)."""
    policy = DeadlinePolicy(timezone=timezone)
    periods = buckets(grain=grain, count=count, today=local(now, policy).date(), timezone=timezone)
    policies = Policies(load_org(session=session), policy)
    settled = settled or SettledFigures(ttl=0)

    def point(bucket: Bucket) -> dict:
        key = ("trend", bucket.period.first, bucket.period.last, timezone, township_id)
        return settled.get(key, period_end=bucket.period.end, now=now,
                           compute=lambda: _point(session, bucket, now, policies, township_id))

    points = [point(bucket) for bucket in periods]
    series = []
    for key, label, unit, district_wide in SERIES:
        if district_wide and township_id is not None:
            continue
        references = REFERENCES.get(key, [])
        if key == "employers_posting" and grain == "week":
            references = []  # the seed figures are per month
        series.append({"key": key, "label": label, "unit": unit, "values": [p[key] for p in points],
                       "references": [{"label": text, "value": value} for text, value in references]})
    return {"grain": grain, "labels": [b.label for b in periods], "partial": [b.partial for b in periods],
            "from": periods[0].period.first.isoformat(), "to": periods[-1].period.last.isoformat(),
            "series": series, "uncharted_references": [{"label": a, "value": b} for a, b in UNCHARTED_REFERENCES]}


def trend_table(trends: dict) -> Table:
    """The charts' numbers as a table (one row per week or month), for export and for screen readers."""
    columns = [("period", "周期")] + [(s["key"], s["label"]) for s in trends["series"]]
    rows = []
    for index, label in enumerate(trends["labels"]):
        row: dict = {"period": label + ("（未满）" if trends["partial"][index] else "")}
        for s in trends["series"]:
            value = s["values"][index]
            if value is None:
                row[s["key"]] = "暂无数据"
            elif s["unit"] == "rate":
                row[s["key"]] = f"{value * 100:.1f}%"
            elif s["unit"] == "days":
                row[s["key"]] = round(value, 1)
            else:
                row[s["key"]] = value
        rows.append(row)
    title = "按周趋势" if trends["grain"] == "week" else "按月趋势"
    return Table(f"trends-{trends['grain']}", title, columns, rows)
