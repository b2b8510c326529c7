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
    assert "139****4321" in text and "13987654321" not in text
    page.screenshot(path=str(tmp_path / "demo.png"), full_page=True)
