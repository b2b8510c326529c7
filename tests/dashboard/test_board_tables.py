"""The board's tables on the hand-built history of test_trends (today is Wednesday 3月18日, 10:00
Shanghai; the period is March 1-18), with each value worked out by hand; and what each role sees."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.dashboard import auth
from app.dashboard.auth import Viewer
from app.dashboard.drilldown import DrillError, drill, idle_villages
from app.dashboard.exports import table_csv, table_xlsx
from app.dashboard.period import make_period
from app.dashboard.scoreboard import item_path, scoreboard
from app.dashboard.service import Policies
from app.dashboard.table import Table
from app.settings import load_settings
from relay.models import GroupTask, Hop
from relay.org_view import load_org
from relay.rules import DeadlinePolicy
from tests.dashboard.support import at, item, three_weeks
from tests.dashboard.test_trends import NOW, TZ

MARCH = make_period(first=date(2026, 3, 1), last=date(2026, 3, 18), timezone=TZ)
ADMIN = auth.admin_viewer()


def steward_of(org, town: str) -> Viewer:
    return Viewer(userid=f"stew_{town.lower()}", name="管家", role="steward", township_id=org.towns[town].id,
                  township_name=org.towns[town].name)


@pytest.fixture
def history(db):
    return three_weeks(db)


@pytest.fixture
def policies(db, history):
    return Policies(load_org(session=db), DeadlinePolicy(timezone=TZ))


def rows_by(table: dict | Table, key: str) -> dict:
    rows = table["rows"] if isinstance(table, dict) else table.rows
    return {row[key]: row for row in rows}


def test_district_drill_down_has_each_townships_figures(db, history, policies):
    data = drill(session=db, org=policies.org, node_id=None, period=MARCH, now=NOW, policies=policies, viewer=ADMIN)
    assert data["path"] == [{"id": history.district.id, "name": "测试区", "kind": "district"}]
    towns = rows_by(data["table"], "name")
    assert towns["甲镇"]["on_time"] == "50.0%" and towns["甲镇"]["hops"] == "1 / 2"
    assert towns["甲镇"]["same_day"] == "100.0%" and towns["甲镇"]["posts"] == "2 / 2"
    assert towns["甲镇"]["coverage"] == "66.7%" and towns["甲镇"]["villages"] == "2 / 3"
    assert towns["乙镇"]["on_time"] == "100.0%" and towns["乙镇"]["same_day"] == "0.0%"
    # b1's post went into the group a day late: in the group (confirmed), but not the same day.
    assert (towns["乙镇"]["confirmed"], towns["乙镇"]["missed"], towns["乙镇"]["villages"]) == (1, 0, "1 / 2")


def test_township_and_village_drill_down(db, history, policies):
    data = drill(session=db, org=policies.org, node_id=history.towns["A"].id, period=MARCH, now=NOW,
                 policies=policies, viewer=ADMIN)
    villages = rows_by(data["table"], "name")
    assert list(villages) == ["a1村", "a2村", "a3村"]
    assert villages["a1村"]["reached"] == "是" and villages["a3村"]["reached"] == "否"
    assert villages["a3村"]["group"] == "无" and villages["a3村"]["same_day"] == "暂无数据"
    data = drill(session=db, org=policies.org, node_id=history.villages["b1"].id, period=MARCH, now=NOW,
                 policies=policies, viewer=ADMIN)
    assert [step["name"] for step in data["path"]] == ["测试区", "乙镇", "b1村"]
    [post] = data["table"]["rows"]
    assert post["planned"] == "2026-03-03 09:00" and post["sent"] == "2026-03-04 09:00" and post["state"] == "已发进群"
    assert post["same_day"] == "否"


def test_a_steward_cannot_open_another_township_or_the_district(db, history, policies):
    steward = steward_of(history, "A")
    data = drill(session=db, org=policies.org, node_id=None, period=MARCH, now=NOW, policies=policies, viewer=steward)
    assert data["node"]["name"] == "甲镇" and [s["name"] for s in data["path"]] == ["甲镇"]
    for node in (history.towns["B"], history.villages["b1"], history.district):
        with pytest.raises(DrillError, match="无权查看"):
            drill(session=db, org=policies.org, node_id=node.id, period=MARCH, now=NOW, policies=policies,
                  viewer=steward)


def test_idle_villages_are_those_without_a_job_since_monday(db, history, policies):
    table = idle_villages(session=db, org=policies.org, now=NOW, timezone=TZ, viewer=ADMIN)
    assert table.title == "本周（3月16日起）没有收到招聘的村"
    idle = rows_by(table, "village")
    assert set(idle) == {"a1村", "a3村", "b1村", "b2村"}  # a2 got a job on Tuesday
    assert idle["a1村"]["last_job"] == "2026-03-03 09:05" and idle["a3村"]["last_job"] == "从未"
    assert idle["a3村"]["group"] == "无"
    mine = idle_villages(session=db, org=policies.org, now=NOW, timezone=TZ, viewer=steward_of(history, "B"))
    assert {r["village"] for r in mine.rows} == {"b1村", "b2村"}


def test_scoreboard_counts_relays_on_time_and_confirmations(db, history, policies):
    db.add_all([GroupTask(group_id=history.groups["a1"].id, kind="customer", sender="stew_a", status="confirmed",
                          day="2026-03-03", content="x", confirmed_at=at("03-03 09:05")),
                GroupTask(group_id=history.groups["a1"].id, kind="customer", sender="stew_a", status="pending",
                          day="2026-03-04", content="x")])
    db.commit()
    board = rows_by(scoreboard(session=db, period=MARCH, policies=policies, viewer=ADMIN), "name")
    assert (board["甲管家"]["handled"], board["甲管家"]["on_time"], board["甲管家"]["on_time_rate"]) == (2, 1, "50.0%")
    assert board["甲管家"]["confirmations"] == 1  # the pending task is not a confirmation
    assert board["乙管家"]["on_time_rate"] == "100.0%" and board["甲备岗"]["on_time_rate"] == "暂无数据"
    assert board["甲管家"]["role"] == "信息管家"
    theirs = scoreboard(session=db, period=MARCH, policies=policies, viewer=steward_of(history, "B"))
    assert [r["name"] for r in theirs.rows] == ["乙管家"]


def test_item_path_shows_each_tier_with_who_decided(db, history, policies):
    job = item(db, history, created=at("03-17 08:00"), title="叉车工")
    db.add_all([Hop(item_id=job.id, to_node_id=history.towns["A"].id, tier="township", needs_approval=True, text="x",
                    arrived_at=at("03-17 08:00"), decided_at=at("03-17 08:10"), decided_by="stew_a", status="approved"),
                Hop(item_id=job.id, to_node_id=history.towns["B"].id, tier="township", needs_approval=True, text="x",
                    arrived_at=at("03-17 08:00"), decided_at=at("03-17 08:30"), decided_by="timeout",
                    status="approved")])
    db.commit()
    data = item_path(session=db, code=f"j{job.id}", now=NOW, policies=policies, viewer=ADMIN, timezone=TZ)
    assert data["item"]["kind"] == "招聘" and data["item"]["title"] == "叉车工"
    assert [(r["place"], r["arrived"], r["decided"], r["by"], r["status"]) for r in data["table"]["rows"]] == [
        ("甲镇", "2026-03-17 08:00", "2026-03-17 08:10", "甲管家（信息管家）", "已通过"),
        ("乙镇", "2026-03-17 08:00", "2026-03-17 08:30", "超时自动通过", "已通过")]
    theirs = item_path(session=db, code=f"J{job.id}", now=NOW, policies=policies, viewer=steward_of(history, "B"),
                       timezone=TZ)
    assert [r["place"] for r in theirs["table"]["rows"]] == ["乙镇"]
    with pytest.raises(DrillError, match="格式"):
        item_path(session=db, code="12", now=NOW, policies=policies, viewer=ADMIN, timezone=TZ)
    with pytest.raises(DrillError, match="没有编号为 S"):
        item_path(session=db, code=f"S{job.id}", now=NOW, policies=policies, viewer=ADMIN, timezone=TZ)


def test_exports_keep_labels_values_and_defuse_formulas():
    table = Table("t", "各村", [("name", "村"), ("n", "条数")], [{"name": "=HYPERLINK(1)", "n": 3}, {"name": "甲村", "n": 0}])
    sheet = table_csv(table, heading="统计期间 2026-03-01 至 2026-03-18")
    assert sheet.startswith("\ufeff各村,统计期间 2026-03-01 至 2026-03-18\r\n村,条数\r\n'=HYPERLINK(1),3\r\n甲村,0")
    rows = list(load_workbook(io.BytesIO(table_xlsx(table, heading="h"))).active.iter_rows(values_only=True))
    assert rows == [("各村", "h"), ("村", "条数"), ("'=HYPERLINK(1)", 3), ("甲村", 0)]


def test_session_cookie_is_refused_when_tampered_or_expired():
    settings = load_settings(JOBMATRIX_DATA_KEY="", JOBMATRIX_ADMIN_TOKEN="t0ken")
    viewer = Viewer(userid="stew_a", name="甲管家", role="steward", township_id=7, township_name="甲镇")
    cookie = auth.sign(viewer, settings, now=1000.0)
    assert auth.verify(cookie, settings, now=1001.0).township_id == 7
    assert auth.verify(cookie, settings, now=1000.0 + auth.SESSION_SECONDS) is None
    raw, mac = cookie.rsplit(".", 1)
    forged = auth.sign(Viewer(userid="x", name="x", role="admin"), load_settings(JOBMATRIX_ADMIN_TOKEN="other"))
    assert auth.verify(forged, settings, now=1001.0) is None
    assert auth.verify(raw[:-2] + "AA." + mac, settings, now=1001.0) is None


def test_monthly_report_of_a_steward_covers_their_township_only(db, history):
    from app.dashboard.monthly import monthly_report

    mine = monthly_report(session=db, month="2026-03", now=NOW, timezone=TZ, viewer=steward_of(history, "B"))
    assert "就业服务矩阵月报 · 2026年3月" in mine and "统计期间 2026-03-01 至 2026-03-18" in mine
    assert "<td>乙镇</td>" in mine and "<td>甲镇</td>" not in mine and "主要指标" not in mine
    everything = monthly_report(session=db, month="2026-03", now=NOW, timezone=TZ, viewer=ADMIN)
    assert "<td>甲镇</td>" in everything and "主要指标" in everything and "种子系统：42% → 84.6%" in everything
