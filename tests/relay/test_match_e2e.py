"""Matching as residents and employers notice it, end to end over real HTTP: the phone talks to our
server, our dispatcher sends through the emulator (strict about the Official Account's 48-hour
window), one manual clock drives the server, the phone, the emulator and the dispatcher."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from app.demo.scenario import reply_text, wait_for
from app.main import create_app
from app.settings import load_settings
from relay.dispatcher import Dispatcher, DispatcherConfig
from relay.intake import start_queued_items
from relay.match import query
from relay.match.models import MatchPush
from relay.models import Delivery, Item
from sandbox.emulator import EmulatorConfig, EmulatorServer
from sandbox.emulator.config import ManualClock
from sandbox.phone import Phone, Receiver
from tests.conftest import TEST_DATA_KEY
from tests.relay.conftest import make_relay_org
from tests.relay.dispatch_helpers import make_channels
from tests.support import callbacks as cb
from tests.support.http import serve

RESIDENT = "o_res_a1"  # 甲一村 of 甲镇
# 2026-12-02 10:00 in Asia/Shanghai: inside the villages' service hours (07:30-21:00).
MORNING = datetime(2026, 12, 2, 2, 0, tzinfo=UTC).timestamp()
STAFF = ["officer01", "steward_a", "backup_a", "steward_b", "head_a1", "hr_a1", "head_b1"]


@dataclass
class World:
    emulator: EmulatorServer
    phone: Phone
    clock: ManualClock
    session_factory: object
    journal: Path

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def resident(self, text: str) -> str:
        result = self.phone.oa_text(RESIDENT, text)
        assert result.ok, result.errors
        return reply_text(result)

    def officer(self, text: str) -> str:
        result = self.phone.app_text("officer01", text)
        assert result.ok, result.errors
        return reply_text(result)

    def post_job(self, text: str) -> str:
        """The district officer posts a job; the relay worker routes it (jobs need no steward here)."""
        reply = self.officer(text)
        code = re.search(r"编号(J\d+)", reply)
        assert code, reply
        start_queued_items(session_factory=self.session_factory, now=self.now())
        return code.group(1)

    def dispatch(self) -> None:
        """Our dispatcher, at the world's time, sends what is due; relays to village groups are not
        this test's concern and are cancelled first."""
        with self.session_factory() as session:
            session.execute(update(Delivery).where(Delivery.purpose.in_(("relay", "card", "card_update")),
                                                   Delivery.status == "queued").values(status="cancelled"))
            session.commit()
        channels = make_channels(self.emulator, self.session_factory)
        config = DispatcherConfig(backoff_base=0.05, backoff_cap=0.5, idle_sleep=0.05, journal_dir=str(self.journal))
        Dispatcher(session_factory=self.session_factory, channels=channels, config=config, now=self.now).run(until_idle=True)

    def texts_to(self, openid: str, kind: str = "openid") -> list[str]:
        return [e["message"]["text"]["content"] for e in self.emulator.state.received(f"{kind}:{openid}")
                if e["msgtype"] == "text"]

    def deliver_late_reply(self) -> None:
        """Wait for the answer the search thread queues after the passive reply, then send it."""
        def queued():
            with self.session_factory() as session:
                return session.scalar(select(Delivery).where(Delivery.purpose == "reply", Delivery.target == RESIDENT))

        wait_for(queued, timeout=10, what="the late answer")
        self.dispatch()

    def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta.total_seconds())


@pytest.fixture
def world(database_url, session_factory, db, tmp_path) -> Iterator[World]:
    make_relay_org(db)
    clock = ManualClock(MORNING)
    config = EmulatorConfig(corp_id=cb.CORP_ID, mp_app_id=cb.MP_APP_ID, users=STAFF, clock=clock)
    with EmulatorServer(config) as emulator:
        settings = load_settings(
            **cb.SETTINGS, JOBMATRIX_DATABASE_URL=database_url, JOBMATRIX_DATA_KEY=TEST_DATA_KEY,
            WECOM_SECRET=emulator.config.secret, WECOM_API_BASE=emulator.wecom_api_base,
            MP_APP_SECRET=emulator.config.mp_app_secret, MP_API_BASE=emulator.mp_api_base,
        )
        app = create_app(settings, session_factory=session_factory, clock=lambda: datetime.fromtimestamp(clock(), UTC))
        with serve(app) as base:
            phone = Phone.for_emulator(
                emulator, clock=clock,
                wecom=Receiver(base + "/wecom/callback", cb.WECOM_TOKEN, cb.WECOM_AES, cb.CORP_ID),
                mp=Receiver(base + "/mp/callback", cb.MP_TOKEN, cb.MP_AES, cb.MP_APP_ID),
            )
            yield World(emulator, phone, clock, session_factory, tmp_path)
            phone.close()


CLEANING = ["招保洁员2名 月薪3000-3500 年龄50岁以下 地点甲镇敬老院 联系电话1380000100{}",
            "招保洁阿姨 月薪2800 地点雁鸣湖镇物流园 联系电话1380000200{}"]


def test_a_question_gets_five_ranked_jobs_with_codes_and_reasons_and_more_pages_on(world):
    assert "暂时没有正在招的保洁员岗位" in world.resident("有没有保洁的活")
    near = [world.post_job(CLEANING[0].format(i)) for i in range(4)]
    far = [world.post_job(CLEANING[1].format(i)) for i in range(3)]
    world.post_job("招叉车工2名 月薪6000-8000 地点甲镇物流园 联系电话13800003000")

    answer = world.resident("有没有保洁的活")
    lines = [line for line in answer.splitlines() if line[:1] == "J"]
    codes = [line.split()[0] for line in lines]
    assert len(codes) == 5 and "回复「更多」" in answer
    assert codes[:4] == list(reversed(near))  # 甲镇 first (the newest first among equals), then 雁鸣湖镇
    assert codes[4] == far[-1]
    assert "（同镇 · 想干保洁员 · 今天发布）" in answer and "13800001000" in answer  # employers' numbers are public
    more = world.resident("更多")
    assert [line.split()[0] for line in more.splitlines() if line[:1] == "J"] == list(reversed(far[:2]))
    assert "已经是全部了" in more
    assert "没有更多了" in world.resident("更多")
    # a question naming a place ranks that place first
    there = world.resident("雁鸣湖镇附近招不招保洁")
    assert [line.split()[0] for line in there.splitlines() if line[:1] == "J"][:3] == list(reversed(far))


def test_more_without_a_question_says_how_to_ask(world):
    assert "请先问一句想找什么活" in world.resident("更多")


def test_a_welding_question_finds_the_narrower_welding_jobs(world):
    argon = world.post_job("招氩弧焊工3名 月薪8000-10000 地点甲镇钢构厂 联系电话13800004000")
    answer = world.resident("有没有焊工的活")
    assert f"{argon} 招氩弧焊工" in answer and "招氩弧焊工" in answer.split("（")[-1]


def test_daily_pay_question_without_an_occupation(world):
    daily = world.post_job("招装卸工5名 日结200元 地点甲镇物流园 联系电话13800005000")
    world.post_job("招装卸工5名 月薪5000 地点甲镇物流园 联系电话13800005001")
    answer = world.resident("日结的有吗")
    assert [line.split()[0] for line in answer.splitlines() if line[:1] == "J"] == [daily]
    assert "日结" in answer.split(daily)[1]


def test_a_slow_answer_arrives_as_a_customer_service_message(world, monkeypatch):
    job = world.post_job(CLEANING[0].format(9))
    monkeypatch.setattr(query, "REPLY_BUDGET_SECONDS", 0.0)  # as if the search took longer than WeChat waits
    assert "正在为您查找" in world.resident("有没有保洁的活")
    world.deliver_late_reply()
    [late] = [t for t in world.texts_to(RESIDENT) if "正在招的岗位" in t]
    assert job in late and "同镇" in late


def test_subscription_pushes_inside_the_window_never_in_quiet_hours_and_stops_on_unsubscribe(world):
    reply = world.resident("订阅 电焊")
    assert "已订阅「电焊工」" in reply and "07:30-21:00" in reply and "每天最多 3 条" in reply
    first = world.post_job("招电焊工2名 月薪7000-9000 地点甲镇钢构厂 联系电话13800006000")
    world.post_job("招叉车工1名 月薪6000 地点甲镇 联系电话13800006001")  # not what they asked for
    world.dispatch()
    pushes = [t for t in world.texts_to(RESIDENT) if "订阅推送" in t]
    assert len(pushes) == 1 and first in pushes[0] and "13800006000" in pushes[0] and "同镇" in pushes[0]

    world.advance(timedelta(hours=12))  # 22:00 in 甲一村: quiet hours
    night = world.post_job("招焊工1名 月薪9000 地点甲镇 联系电话13800006002")  # 焊工 ⊃ 电焊工: it fits
    world.dispatch()
    assert not any(night in t for t in world.texts_to(RESIDENT))
    world.advance(timedelta(hours=9, minutes=31))  # 07:31 next morning, still inside the 48 h window
    world.dispatch()
    assert any(night in t for t in world.texts_to(RESIDENT))

    assert "已退订：电焊工" in world.resident("退订")
    after = world.post_job("招电焊工1名 月薪8000 地点甲镇 联系电话13800006003")
    world.dispatch()
    assert not any(after in t for t in world.texts_to(RESIDENT))
    assert "没有订阅" in world.resident("退订")


def test_outside_the_window_nothing_is_sent_and_the_day_has_a_limit(world, db):
    world.resident("订阅 保洁")
    codes = [world.post_job(CLEANING[0].format(i)) for i in range(4)]
    world.dispatch()
    pushed = [t for t in world.texts_to(RESIDENT) if "订阅推送" in t]
    assert len(pushed) == 3 and codes[3] not in "".join(pushed)  # at most 3 a day
    world.advance(timedelta(hours=49))  # no message from the resident for 49 h: the window closed
    late = world.post_job(CLEANING[0].format(8))
    world.dispatch()
    assert not any(late in t for t in world.texts_to(RESIDENT))
    statuses = dict(db.execute(select(Item.id, MatchPush.status).join(MatchPush, MatchPush.item_id == Item.id)).all())
    assert sorted(statuses.values()) == ["daily_limit", "no_window", "queued", "queued", "queued"]


def test_subscribing_needs_an_occupation_we_know(world):
    assert "想订阅哪类岗位" in world.resident("订阅")
    assert "没有听懂「天上飞」" in world.resident("订阅 天上飞")
    assert "只对在公众号上登记的求职群众开放" in world.officer("订阅 电焊")


def test_an_approved_note_brings_the_seeker_jobs_and_a_new_job_brings_its_poster_the_seeker(world):
    early = world.post_job("招叉车工2名 月薪6000-8000 年龄25-50岁 地点甲镇物流园 联系电话13800007000")
    ack = world.resident("本人男 45岁 会开叉车 有叉车证 想在甲镇找叉车的活 电话13912345678")
    seeker = re.search(r"编号(S\d+)", ack).group(1)
    start_queued_items(session_factory=world.session_factory, now=world.now())
    world.dispatch()
    assert not any("已审核通过" in t for t in world.texts_to(RESIDENT))  # nothing before the steward decides
    result = world.phone.app_text("steward_a", f"通过 {seeker}")
    assert result.ok and "通过" in reply_text(result)
    world.dispatch()
    [jobs] = [t for t in world.texts_to(RESIDENT) if "已审核通过" in t]
    assert seeker in jobs and early in jobs and "同镇 · 有叉车证 · 年龄符合" in jobs

    later = world.post_job("招叉车工1名 月薪6500 年龄30-55岁 地点甲镇 联系电话13800007001")
    world.dispatch()
    [to_poster] = [t for t in world.texts_to("officer01", "user") if f"您的岗位 {later} 已发布" in t]
    assert seeker in to_poster and "有叉车证" in to_poster and "年龄符合" in to_poster
    assert "5678" not in to_poster and "1391234" not in to_poster  # no digit of the seeker's phone


def test_a_search_that_fails_late_still_gets_an_answer(world, monkeypatch):
    def failing(*args, **kwargs):
        time.sleep(0.2)  # past the (shortened) budget, then the database gives up
        raise OperationalError("SELECT", {}, Exception("the database went away"))

    monkeypatch.setattr(query, "REPLY_BUDGET_SECONDS", 0.05)
    monkeypatch.setattr(query, "_search", failing)
    assert "正在为您查找" in world.resident("有没有保洁的活")
    world.deliver_late_reply()
    assert any("没能查到岗位" in t for t in world.texts_to(RESIDENT))
