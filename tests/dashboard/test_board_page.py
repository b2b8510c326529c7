"""The bureau's board in real Chromium: log in through the emulator's WeCom OAuth as each role,
see only what the role may, drill down to a village, export (the downloaded files' contents),
no console errors. Screenshots are kept under var/test-artefacts/board/ (gitignored).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.demo.environment import DemoEnvironment
from app.org.models import ChatGroup, Node, Staff
from relay.models import Delivery, Hop, Item
from tests.conftest import TEST_DATA_KEY
from tests.dashboard.test_page import CHROMIUM, browser  # noqa: F401 - the shared Chromium fixture

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts" / "board"
RESIDENT_NAME, RESIDENT_PHONE = "莫志强", "13800001001"  # a resident of 建设路社区 in examples/zhongmu.yaml


def node(session, code: str) -> Node:
    return session.scalars(select(Node).where(Node.code == code)).one()


def add_history(env) -> str:
    """One job that went district → 青年路街道 (steward on time) → 建设路社区 (sent into the group a
    minute ago), and → 东风路街道 (timed out) → one of its villages. Returns the job's code."""
    now = datetime.now(UTC)
    with env.session_factory() as session:
        district, qnl, dfl = node(session, "zm"), node(session, "zm-qnl"), node(session, "zm-dfl")
        qnl01, dfl01 = node(session, "zm-qnl-01"), node(session, "zm-dfl-01")
        job = Item(kind="job", status="relaying", origin_node_id=district.id, masked_text="招叉车工", title="叉车工",
                   author_kind="staff", author_ref="zm_officer01", created_at=now - timedelta(minutes=12))
        session.add(job)
        session.flush()
        hops = [Hop(item_id=job.id, to_node_id=qnl.id, tier="township", needs_approval=True, text="招叉车工",
                    arrived_at=now - timedelta(minutes=10), decided_at=now - timedelta(minutes=6),
                    decided_by="zm_qnl_steward", status="approved"),
                Hop(item_id=job.id, to_node_id=dfl.id, tier="township", needs_approval=True, text="招叉车工",
                    arrived_at=now - timedelta(minutes=10), decided_at=now - timedelta(minutes=5),
                    decided_by="timeout", status="approved"),
                Hop(item_id=job.id, to_node_id=qnl01.id, tier="village", text="招叉车工", status="approved",
                    arrived_at=now - timedelta(minutes=6), decided_at=now - timedelta(minutes=6), decided_by="rule"),
                Hop(item_id=job.id, to_node_id=dfl01.id, tier="village", text="招叉车工", status="approved",
                    arrived_at=now - timedelta(minutes=5), decided_at=now - timedelta(minutes=5), decided_by="rule")]
        session.add_all(hops)
        session.flush()
        for village, village_hop in ((qnl01, hops[2]), (dfl01, hops[3])):
            group = session.scalars(select(ChatGroup).where(ChatGroup.node_id == village.id,
                                                            ChatGroup.purpose == "residents")).one()
            session.add(Delivery(item_id=job.id, hop_id=village_hop.id, purpose="relay", channel=group.channel,
                                 target=group.address or f"g{group.id}", group_id=group.id, payload={"msgtype": "text"},
                                 dedupe_key=f"board-test:{village.code}", status="sent",
                                 not_before=now - timedelta(minutes=4), next_attempt_at=now - timedelta(minutes=4),
                                 sent_at=now - timedelta(minutes=1), created_at=now - timedelta(minutes=4)))
        session.commit()
        return f"J{job.id}"


@pytest.fixture(scope="module")
def board(tmp_path_factory, database_url):
    with DemoEnvironment(database_url=database_url, data_key=TEST_DATA_KEY,
                         workdir=tmp_path_factory.mktemp("board")) as env:
        env.job_code = add_history(env)
        yield env


@pytest.fixture
def page(request, board, monkeypatch, tmp_path):
    monkeypatch.setenv("FONTCONFIG_FILE", str(chinese_fonts(tmp_path)))  # before Chromium starts
    context = request.getfixturevalue("browser").new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)  # a phone
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(f"{msg.text} {msg.location.get('url', '')}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def chinese_fonts(folder: Path) -> Path:
    """A fontconfig file adding the Noto Sans SC that a dependency ships (pylopdf-fonts-zh-cn), so the
    screenshots are readable on a machine without CJK fonts; the system's fonts stay included."""
    import pylopdf_fonts_zh_cn

    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<dir>{Path(pylopdf_fonts_zh_cn.__file__).parent}</dir></fontconfig>")
    return conf


def login_as(page, env, userid: str) -> None:
    page.goto(env.base_url + "/board/login")
    page.click("#wecom-login")
    page.wait_for_selector("#member")  # the emulator's authorize page, reached with appid, state, redirect_uri
    assert page.url.startswith(env.emulator.base_url + "/connect/oauth2/authorize?")
    page.fill("#member", userid)
    page.click("#authorize")
    page.wait_for_selector("body[data-loaded]")


def shot(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def column(page, box: str, index: int = 0) -> list[str]:
    return page.locator(f"#{box} tr td:nth-child({index + 1})").all_inner_texts()


def download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def no_private_data(page) -> None:
    text = page.locator("body").inner_text()
    assert RESIDENT_NAME not in text and RESIDENT_PHONE not in text
    for forbidden in ("appchat/send", "published", "customer_group", "township_steward"):
        assert forbidden not in text


def test_a_township_steward_sees_only_their_township(page, board):
    login_as(page, board, "zm_qnl_steward")
    assert "青年路街道乡镇信息管家" in page.inner_text("#who")
    assert page.locator("#charts .chart").count() == 3  # the district-wide counts are not theirs
    assert page.inner_text("#crumbs") == "青年路街道"
    villages = column(page, "drill")
    assert villages[:5] == ["建设路社区", "文化苑社区", "青年里社区", "学苑社区", "新华社区"]
    assert set(column(page, "idle")) == {"青年路街道"}  # idle villages: their own only
    assert "建设路社区" not in column(page, "idle", 1) and "文化苑社区" in column(page, "idle", 1)
    assert set(column(page, "scoreboard")) == {"青年路街道"}
    no_private_data(page)
    shot(page, "steward-phone")

    sheet = download(page, "#drill-section .export-csv").decode("utf-8-sig")
    assert "建设路社区" in sheet and "东风路街道" not in sheet
    # Another township by hand-typed address: refused by the server, not just hidden by the page.
    with board.session_factory() as session:
        other = node(session, "zm-dfl").id
    answer = page.request.get(f"{board.base_url}/board/api/drill?node={other}")
    assert answer.status == 404 and "无权查看" in answer.json()["detail"]
    # The item browser shows the job's path through their township only.
    page.fill("#code", board.job_code)
    page.click("#item-form button")
    page.wait_for_selector("#item table")
    places = column(page, "item", 1)
    assert places == ["青年路街道", "建设路社区"]
    assert column(page, "item", 4)[0] == "方冬梅（信息管家）"
    assert page.errors == []

    # A steward who leaves loses the board at once, though their cookie is still good for hours.
    login_as(page, board, "zm_qnl_backup")
    set_active(board, "zm_qnl_backup", False)
    try:
        answer = page.request.get(f"{board.base_url}/board/api/me")
        assert answer.status == 401 and answer.json()["detail"] == "您的岗位已变更，请重新登录"
    finally:
        set_active(board, "zm_qnl_backup", True)


def set_active(env, userid: str, active: bool) -> None:
    with env.session_factory() as session:
        session.scalars(select(Staff).where(Staff.userid == userid)).one().active = active
        session.commit()


def test_a_district_officer_drills_down_to_a_village_and_exports(page, board):
    login_as(page, board, "zm_officer01")
    assert "区级信息员（只读）" in page.inner_text("#who")
    assert page.locator("#charts .chart").count() == 6
    assert page.locator("#charts canvas").count() == 6
    assert "42% → 84.6%" in page.inner_text("#reference-note")
    townships = column(page, "drill")
    assert "青年路街道" in townships and "东风路街道" in townships
    row = page.locator("#drill tr", has_text="青年路街道")
    assert "100.0%" in row.inner_text()  # its one hop was decided in 4 minutes

    page.click("#drill button[data-node]:text('青年路街道')")
    page.wait_for_function("document.querySelector('#drill').dataset.kind === 'township'")
    page.click("#drill button[data-node]:text('建设路社区')")
    page.wait_for_function("document.querySelector('#drill').dataset.kind === 'village'")
    assert page.inner_text("#crumbs").replace(" ", "") == "中牟县›青年路街道›建设路社区"
    assert column(page, "drill") == [board.job_code]
    assert column(page, "drill", 5) == ["已发进群"]
    shot(page, "officer-village-phone")

    book = load_workbook(io.BytesIO(download(page, "#drill-section .export-xlsx")))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1] == ("编号", "类别", "岗位", "计划发送", "发进群时间", "状态", "当日送达")
    assert rows[2][0] == board.job_code and rows[2][1:3] == ("招聘", "叉车工") and rows[2][5:] == ("已发进群", "是")

    scores = download(page, "#score-section .export-csv").decode("utf-8-sig").splitlines()
    steward = next(line for line in scores if "方冬梅" in line)
    assert steward.split(",")[3:6] == ["1", "1", "100.0%"]  # handled, on time, rate
    trends = download(page, "#trends-section .export-csv").decode("utf-8-sig").splitlines()
    assert trends[1].startswith("周期,乡镇30分钟转译及时率") and len(trends) == 2 + 12
    no_private_data(page)
    assert page.errors == []


def test_the_admin_token_logs_in_and_a_wrong_one_or_a_village_head_is_refused(page, board):
    page.goto(board.base_url + "/board")
    assert page.url.endswith("/board/login")  # no session: back to the login page
    page.click("summary")
    page.fill("#token", "wrong")
    page.click("#token-form button")
    assert page.inner_text("#message") == "管理令牌无效"
    page.click("summary")
    page.fill("#token", board.settings.admin_token)
    page.click("#token-form button")
    page.wait_for_selector("body[data-loaded]")
    assert "区人社局管理员" in page.inner_text("#who")
    report = page.context.new_page()
    report.goto(board.base_url + "/board/report")
    assert "就业服务矩阵月报" in report.inner_text("h1")
    assert report.locator("table[data-table=townships] tr").count() > 10
    report.close()

    page.context.clear_cookies()
    page.goto(board.base_url + "/board/login")
    page.click("#wecom-login")
    page.fill("#member", "zm_qnl01_head")
    page.click("#authorize")
    assert "没有查看看板的权限" in page.inner_text("#message")
    # The only console lines are the two refusals' own HTTP statuses (401 token, 403 callback).
    assert [e.split(" (")[0].rsplit(" ", 1)[-1] for e in page.errors] == ["401", "403"]


def test_the_emulated_oauth_code_is_good_once_like_wecoms(board):
    emulator, cfg = board.emulator.base_url, board.emulator.config
    form = {"member": "zm_officer01", "appid": cfg.corp_id, "redirect_uri": "http://app.example/cb",
            "response_type": "code", "scope": "snsapi_base", "state": "s1"}
    answer = httpx.post(emulator + "/connect/oauth2/authorize", data=form, follow_redirects=False)
    assert answer.status_code == 302
    location = httpx.URL(answer.headers["location"])
    assert location.params["state"] == "s1"
    token = httpx.get(emulator + "/cgi-bin/gettoken", params={"corpid": cfg.corp_id, "corpsecret": cfg.secret}).json()
    ask = {"access_token": token["access_token"], "code": location.params["code"]}
    assert httpx.get(emulator + "/cgi-bin/auth/getuserinfo", params=ask).json()["userid"] == "zm_officer01"
    assert httpx.get(emulator + "/cgi-bin/auth/getuserinfo", params=ask).json()["errcode"] == 40029
    assert httpx.get(emulator + "/cgi-bin/auth/getuserinfo",
                     params={"access_token": token["access_token"]}).json()["errcode"] == 41008
    wrong = httpx.post(emulator + "/connect/oauth2/authorize", data=dict(form, appid="wwother"),
                       follow_redirects=False)
    assert wrong.status_code == 200 and "appid" in wrong.text
    # A forged callback (no state cookie from this browser) does not log anyone in.
    forged = httpx.get(board.base_url + "/board/login/callback", params={"code": "x", "state": "s1"})
    assert forged.status_code == 400 and "jm_dashboard" not in forged.headers.get("set-cookie", "")
