"""The demo page in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import shutil

import pytest

from app.demo.environment import DemoEnvironment
from tests.conftest import TEST_DATA_KEY

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
# Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture
def demo(database_url, session_factory):
    with DemoEnvironment(database_url=database_url, data_key=TEST_DATA_KEY) as env:
        yield env


@pytest.fixture
def page():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser.new_page(viewport={"width": 1400, "height": 900})
        browser.close()


def test_resident_types_a_note_on_the_page_and_sees_the_masked_ack(demo, page, tmp_path):
    page.goto(demo.base_url + "/demo")
    page.wait_for_selector("#pick-township option", state="attached")
    assert "青年路街道" in page.inner_text("#pick-township")
    village_form = page.locator("form[data-tier=village]")
    village_form.locator("select").select_option(index=0)
    village_form.locator("input").fill("俺会电焊 干了十年 想在中牟县城找活 电话 139 8765 4321")
    village_form.locator("button").click()
    reply = page.locator("#village .reply")
    reply.wait_for(state="visible")
    page.wait_for_function("document.querySelector('#village .reply').textContent.includes('机器人回复')")
    text = reply.inner_text()
    # the ack shows the note as it will be relayed: no digit of the phone (联系 S.. asks first)
    assert "4321" not in text and "13987654321" not in text and "【求职】" in text
    page.screenshot(path=str(tmp_path / "demo.png"), full_page=True)


def test_steward_clicks_the_approval_card_on_the_page_and_the_note_reaches_the_district(demo, page):
    page.goto(demo.base_url + "/demo")
    page.wait_for_selector("#pick-township option", state="attached")
    page.select_option("#pick-township", label="青年路街道")
    page.select_option("#pick-village", label="建设路社区")
    village_form = page.locator("form[data-tier=village]")
    village_form.locator("select").select_option(label="新群众（扫码入群）")
    village_form.locator("input").fill("本人李秀英 女 50岁 会做保洁 想在县城找保洁的活 电话 150 1234 8765")
    village_form.locator("button").click()
    page.wait_for_function("document.querySelector('#village .reply').textContent.includes('编号S')")
    approve = page.locator("#township .card button", has_text="通过").first
    approve.wait_for(timeout=20000)  # the relay worker routes the note and the dispatcher sends the card
    approve.click()
    page.locator("#township .card button[disabled]", has_text="已通过").first.wait_for(timeout=20000)
    # The district group is a customer group: the note waits on its owner's phone (群发助手) ...
    task = page.locator("#district [data-kind=phone] .msg", has_text="保洁").first
    task.wait_for(timeout=20000)
    group = page.locator("#district [data-kind=group]")
    assert group.locator(".msg", has_text="保洁").count() == 0
    text = task.inner_text()
    # employers see no digit of the phone; they ask with 联系 S12 and the resident decides (docs/outcomes.md)
    assert "电话已隐藏" in text and "8765" not in text and "李秀英" not in text and "联系 S" in text
    task.locator("button", has_text="确认发送").click()
    # ... and is in the group only once the owner confirmed it.
    group.locator(".msg", has_text="保洁").first.wait_for(timeout=20000)
    assert page.locator("#district [data-kind=phone] .msg", has_text="保洁").count() == 0
