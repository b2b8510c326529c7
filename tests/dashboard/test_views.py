"""The dashboard's HTTP side over real HTTP: the admin token, the period, JSON and CSV."""

from __future__ import annotations

from contextlib import contextmanager

import httpx
import pytest

from app.main import create_app
from app.settings import load_settings
from tests.conftest import TEST_DATA_KEY
from tests.dashboard.support import at, hop, make_org
from tests.support import callbacks as cb
from tests.support.http import serve

TOKEN = "s3cret-admin-token"
NOW = at("03-10 18:00")


@pytest.fixture
def make_server(database_url, session_factory):
    @contextmanager
    def start(token: str):
        settings = load_settings(**cb.SETTINGS, JOBMATRIX_DATABASE_URL=database_url, JOBMATRIX_DATA_KEY=TEST_DATA_KEY,
                                 JOBMATRIX_ADMIN_TOKEN=token)
        with serve(create_app(settings, session_factory=session_factory, clock=lambda: NOW)) as base:
            yield base

    return start


@pytest.fixture
def server(make_server):
    with make_server(TOKEN) as base:
        yield base


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("path", ["/api/metrics", "/api/metrics.csv"])
def test_without_or_with_a_wrong_token_is_401(server, path):
    assert httpx.get(server + path).status_code == 401
    assert httpx.get(server + path, headers=bearer("wrong")).status_code == 401
    assert httpx.get(server + path, headers={"Authorization": TOKEN}).status_code == 401  # no scheme


def test_no_token_configured_is_503_whatever_is_sent(make_server):
    with make_server("") as base:
        assert httpx.get(base + "/api/metrics").status_code == 503
        assert httpx.get(base + "/api/metrics", headers=bearer("anything")).status_code == 503


def test_metrics_default_to_this_month_on_the_app_clock(server, db):
    org = make_org(db)
    hop(db, org, "A", arrived=at("03-10 10:00"), decided=at("03-10 10:29"), by="stew_a")
    db.commit()
    response = httpx.get(server + "/api/metrics", headers=bearer(TOKEN))
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"from": "2026-03-01", "to": "2026-03-10", "timezone": "Asia/Shanghai",
                              "start": "2026-02-28T16:00:00+00:00", "end": "2026-03-10T16:00:00+00:00"}
    on_time = next(h for h in data["headline"] if h["key"] == "township_on_time")
    assert (on_time["value"], on_time["numerator"], on_time["denominator"]) == (1.0, 1, 1)
    assert on_time["definition"].startswith("期内到达乡镇")


def test_period_from_the_query_and_bad_periods(server):
    data = httpx.get(server + "/api/metrics?from=2026-02-01&to=2026-02-28", headers=bearer(TOKEN)).json()
    assert (data["period"]["from"], data["period"]["to"]) == ("2026-02-01", "2026-02-28")
    bad = httpx.get(server + "/api/metrics?from=2026-03-10&to=2026-03-01", headers=bearer(TOKEN))
    assert bad.status_code == 400 and bad.json()["detail"] == "结束日期早于开始日期"
    assert httpx.get(server + "/api/metrics?from=10.3.2026", headers=bearer(TOKEN)).status_code == 400


def test_csv_export_opens_in_excel_with_definitions(server):
    response = httpx.get(server + "/api/metrics.csv?from=2026-03-01&to=2026-03-10", headers=bearer(TOKEN))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "jobmatrix-metrics-2026-03-01-2026-03-10.csv" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff统计期间,2026-03-01,2026-03-10")
    assert "村级岗位信息覆盖率" in text and "种子系统：42% → 84.6%" in text and "暂无数据（尚未记录）" in text


def test_page_is_served_without_the_token_and_holds_no_secret(server):
    page = httpx.get(server + "/dashboard")
    assert page.status_code == 200 and "数据看板" in page.text and TOKEN not in page.text
    script = httpx.get(server + "/dashboard/dashboard.js")
    assert script.status_code == 200 and "sessionStorage" in script.text
