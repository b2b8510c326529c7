"""The dashboard page in a real browser, on the full demo after its scenario has played."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from app.demo import scenario
from app.demo.environment import DemoEnvironment
from relay import deadlines
from tests.conftest import TEST_DATA_KEY

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
# Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture
def demo(database_url, session_factory, tmp_path):
    # Its own workdir: a send journal left by another run (or another test process) must not apply here.
    with DemoEnvironment(database_url=database_url, data_key=TEST_DATA_KEY, workdir=tmp_path / "demo") as env:
        outcome = scenario.play(env, log=lambda *_: None)
        if not outcome.job_code:
            officer_posts_a_job_that_times_out(env)
        yield env


def officer_posts_a_job_that_times_out(env) -> None:
    """More figures for the page when the scenario's employer may not post (not certified yet):
    the district officer posts the job instead, and the township hops time out as in the scenario."""
    env.phone.app_text("zm_officer01", scenario.JOB_POST)
    code = scenario.wait_for(lambda: scenario._latest_code(env, "job"), what="the officer's job")
    scenario.wait_for(lambda: scenario._card_task(env, code), what="the job's approval cards")
    scenario._pretend_minutes_passed(env, code, minutes=31)
    deadlines.apply_timeouts(session_factory=env.session_factory, now=datetime.now(UTC))
    scenario.wait_for(lambda: scenario._village_posts_sent(env, code), timeout=60, what="the job in the village groups")


@pytest.fixture
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def settled_metrics(env) -> dict:
    """/api/metrics once two reads in a row agree: the relay threads may still be finishing a send."""
    headers = {"Authorization": f"Bearer {env.settings.admin_token}"}
    previous = None
    for _ in range(40):
        data = httpx.get(env.base_url + "/api/metrics", headers=headers).json()
        data.pop("generated_at")
        if data == previous:
            return data
        previous = data
        time.sleep(0.25)
    raise AssertionError("the figures kept changing")


def confirmed_village_posts(env) -> int:
    """Posts the villages really got: each customer group's timeline in the emulator (an owner
    confirmed), plus each manual group's batch its relayer marked 已转发."""
    from sqlalchemy import func, select

    from app.org.models import ChatGroup
    from relay.models import GroupTask

    with env.session_factory() as session:
        groups = session.scalars(select(ChatGroup).where(ChatGroup.purpose == "residents")).all()
        in_timelines = sum(len(env.emulator.state.received(f"customer_group:{g.address}"))
                           for g in groups if g.kind == "customer")
        relayed = session.scalar(select(func.count()).select_from(GroupTask).join(ChatGroup)
                                 .where(ChatGroup.purpose == "residents", GroupTask.kind == "manual",
                                        GroupTask.status == "confirmed"))
    return in_timelines + int(relayed or 0)


def shown(head: dict) -> str:
    """The page's rendering of a headline value (dashboard.js formatValue)."""
    value = head["value"]
    if value is None:
        return head["note"]
    return {"rate": f"{value * 100:.1f}%", "days": f"{value:.1f} 天"}.get(head["unit"], str(value))


def test_headline_numbers_on_the_page_are_those_of_the_api(demo, browser, tmp_path):
    expected = settled_metrics(demo)
    values = {h["key"]: h["value"] for h in expected["headline"]}
    assert values["seeker_notes"] >= 1 and values["jobs_posted"] >= 1 and values["village_coverage"] > 0
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{demo.base_url}/dashboard#token={demo.settings.admin_token}")
    page.wait_for_selector("body[data-loaded]")
    assert "token" not in page.url  # the fragment is dropped once the token is in sessionStorage
    for head in expected["headline"]:
        card = page.locator(f".card[data-key={head['key']}]")
        assert card.locator(".label").inner_text() == head["label"]
        assert card.locator(".value").inner_text() == shown(head), head["key"]
        raw = card.locator(".value").get_attribute("data-value")
        assert (raw == "") if head["value"] is None else float(raw) == pytest.approx(head["value"])
    assert "参照 种子系统：42% → 84.6%" in page.locator(".card[data-key=village_coverage]").inner_text()
    # Village posts: only what owners confirmed or relayers marked 已转发 counts, the rest side by side.
    same_day = next(h for h in expected["headline"] if h["key"] == "village_same_day")
    assert page.locator(".card[data-key=village_same_day] .states").inner_text() == (
        f"已确认 {same_day['confirmed']} · 等待群主确认 {same_day['awaiting']} · 未送达 {same_day['missed']}")
    assert same_day["confirmed"] + same_day["awaiting"] + same_day["missed"] == same_day["denominator"] + same_day["open"]
    assert same_day["confirmed"] == confirmed_village_posts(demo) > 0
    assert page.locator("#townships tr").count() == len(expected["townships"]) + 1
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#csv")
    sheet = Path(download.value.path()).read_text(encoding="utf-8")
    assert sheet.startswith(f"\ufeff统计期间,{expected['period']['from']},{expected['period']['to']}")

    page.reload()  # the token stays for the tab, without the fragment
    page.wait_for_selector("body[data-loaded]")
    assert page.locator("#board").is_visible() and not page.locator("#login").is_visible()


def test_without_a_token_the_page_asks_for_it_and_a_wrong_one_is_refused(demo, browser):
    page = browser.new_page()
    page.goto(demo.base_url + "/dashboard")
    page.locator("#token").wait_for(state="visible")
    page.fill("#token", "wrong")
    page.click("#login-form button")
    page.wait_for_function("document.querySelector('#status').textContent.includes('管理令牌无效')")
    page.fill("#token", demo.settings.admin_token)
    page.click("#login-form button")
    page.wait_for_selector("body[data-loaded]")
    assert page.locator(".card[data-key=township_on_time] .label").inner_text() == "乡镇30分钟转译及时率"
