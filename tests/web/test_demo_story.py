"""The demo page tells the whole story, in a real browser (Debian's Chromium via Playwright):
what people type shows in their own chat, a resident's private conversation with the Official
Account opens beside the groups, a card click is answered in the column clicked, a legend
explains the codes, and `/` leads to the demo, the dashboard and the docs."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.web.test_demo_page import ARGS, CHROMIUM, demo  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts"


@pytest.fixture
def browser_page():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page, errors
        browser.close()


def test_home_links_the_demo_the_dashboard_and_the_docs(demo, browser_page):  # noqa: F811
    page, errors = browser_page
    page.goto(demo.base_url + "/")
    hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href'))")
    assert "/demo" in hrefs and "/dashboard" in hrefs
    handbook = [h for h in hrefs if h.startswith("/handbook/")]
    assert "/handbook/relay.md" in handbook
    page.click("a[href='/handbook/relay.md']")
    assert "Group tasks" in page.inner_text("body")
    assert httpx.get(demo.base_url + "/handbook/..%2Fpyproject.toml").status_code == 404
    assert errors == []


def test_a_residents_note_the_stewards_click_and_their_chats_on_the_page(demo, browser_page):  # noqa: F811
    page, errors = browser_page
    page.goto(demo.base_url + "/demo")
    page.wait_for_selector("#pick-township option", state="attached")
    legend = page.inner_text(".legend")
    assert "S12" in legend and "求职信息" in legend and "J7" in legend and "招聘信息" in legend
    page.select_option("#pick-township", label="青年路街道")
    page.select_option("#pick-village", label="建设路社区")
    note = "本人李秀英 女 50岁 会做保洁 想在县城找保洁的活 电话 150 1234 8765"
    village_form = page.locator("form[data-tier=village]")
    village_form.locator("select").select_option(label="新群众（扫码入群）")
    village_form.locator("input").fill(note)
    village_form.locator("button").click()
    # The resident's own conversation with the Official Account opens beside the groups:
    # what they typed, and the bot's answer with the note's code.
    private = page.locator("#private [data-kind=private]")
    private.locator(".said", has_text="会做保洁").wait_for(timeout=20000)
    private.locator(".said", has_text="扫描").wait_for(timeout=20000)  # the scan, then the welcome
    private.locator(".botreply", has_text="欢迎").wait_for(timeout=20000)
    private.locator(".botreply", has_text="编号S").wait_for(timeout=20000)
    # A steward types a command: it shows in the steward's own chat with the app.
    steward_form = page.locator("form[data-tier=township]")
    steward_form.locator("select").select_option(index=0)
    steward_form.locator("input").fill("帮助")
    steward_form.locator("button").click()
    page.locator("#township .said", has_text="帮助").first.wait_for(timeout=20000)
    # The steward clicks 通过 on the card: the answer shows under the township column, not elsewhere.
    page.locator("#village .reply").wait_for()
    village_reply_before = page.inner_text("#village .reply")
    approve = page.locator("#township .card button", has_text="通过").first
    approve.wait_for(timeout=20000)
    approve.click()
    page.wait_for_function("document.querySelector('#township .reply').textContent.includes('点击后回复')")
    assert page.inner_text("#village .reply") == village_reply_before
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "demo-story.png"), full_page=True)
    assert errors == []
