"""Customer and manual groups end to end over real HTTP: the emulator plays WeCom and the owners'
phones, one controlled clock drives the relay, the dispatcher and the emulator (issue 9).

A post reaches a customer group only when its owner confirms the add_msg_template task; until
then it is awaiting, the owner is reminded and the township steward told at the configured times.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.dashboard.period import make_period
from app.dashboard.report import get_metrics
from app.outbound.store import SqlTokenStore
from bots.client import MemoryCallRecorder, WeComClient
from relay import customer_groups, group_tasks, service
from relay.channels import ChannelConfig, Channels
from relay.dispatcher import Dispatcher, DispatcherConfig
from relay.figures import village_deliveries
from relay.models import Delivery, GroupTask, Hop
from relay.org_view import load_org
from relay.rules import DeadlinePolicy
from sandbox.emulator import EmulatorConfig, EmulatorServer
from tests.relay.support import JOB, understood
from tests.relay.test_rules import at

STAFF = ["officer01", "steward_a", "backup_a", "steward_b", "head_a1", "hr_a1", "head_b1"]
BASE = DeadlinePolicy()  # cutoff 20:30, last batch 90 min before it, reminder +30, escalation +60


class SharedClock:
    """One moment for the relay, the dispatcher and the emulator (which calls it for seconds)."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> float:
        return self.moment.timestamp()

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> datetime:
        assert moment >= self.moment
        self.moment = moment
        return moment


@pytest.fixture
def clock():
    return SharedClock(at(25, 13, 30))


@pytest.fixture
def emu(clock):
    from tests.support.callbacks import CORP_ID

    with EmulatorServer(EmulatorConfig(users=STAFF, clock=clock, corp_id=CORP_ID)) as server:
        server.state.seed_customer_group(name="前庄村群众求职群", owner="head_b1", chat_id="cg-b1")
        yield server


@pytest.fixture
def wecom(emu, session_factory):
    cfg = emu.config
    client = WeComClient(corp_id=cfg.corp_id, agent_id=cfg.agent_id, secret=cfg.secret,
                         api_base=emu.wecom_api_base, token_store=SqlTokenStore(session_factory),
                         recorder=MemoryCallRecorder())
    yield client
    client.close()


@pytest.fixture
def dispatch(emu, session_factory, clock, tmp_path: Path):
    """Send what is due now to the emulator, like the relay worker's dispatcher thread."""
    cfg = emu.config
    channels = Channels(ChannelConfig(corp_id=cfg.corp_id, agent_id=cfg.agent_id, secret=cfg.secret,
                                      wecom_api_base=emu.wecom_api_base), token_store=SqlTokenStore(session_factory))
    config = DispatcherConfig(backoff_base=0.05, backoff_cap=0.5, idle_sleep=0.02, journal_dir=str(tmp_path))

    def run() -> None:
        Dispatcher(session_factory=session_factory, channels=channels, config=config, now=clock.now).run(until_idle=True)

    yield run
    channels.close()


def approved_job(session_factory, rorg, clock, *, township: str = "b", approve_at: datetime | None = None,
                 author: str = "x") -> int:
    """A job posted at 13:30 and approved by the township's steward at 14:00."""
    town = rorg.town_b if township == "b" else rorg.town_a
    with session_factory() as s:
        item = service.submit_item(session=s, kind="job", origin_node_id=rorg.district.id, author_ref=author,
                                   author_kind="staff", understanding=understood(JOB, "staff"), now=clock.now(),
                                   target_township_ids=[town.id])
        s.commit()
        item_id = item.id
    clock.set(approve_at or at(25, 14, 0))
    with session_factory() as s:
        hop = s.scalar(select(Hop).where(Hop.item_id == item_id, Hop.to_node_id == town.id))
        service.approve_hop(session=s, hop_id=hop.id, actor_userid=f"steward_{township}", now=clock.now(), base=BASE)
        s.commit()
    return item_id


def run_round(session_factory, wecom, clock, moment: datetime) -> int:
    clock.set(moment)
    return customer_groups.run_round(session_factory=session_factory, client=wecom, now=moment, base=BASE)


def village_row(db, target: str) -> Delivery:
    db.expire_all()
    return db.scalar(select(Delivery).where(Delivery.target == target, Delivery.purpose == "relay"))


def texts(emu, who: str) -> list[str]:
    return [e["content"] for e in emu.state.received(who) if e["msgtype"] == "text"]


def figures(db, clock) -> dict:
    """The dashboard's village figures for 2026-11-25 (/api/metrics' headline), judged now."""
    db.expire_all()
    period = make_period(first=date(2026, 11, 25), last=date(2026, 11, 25), timezone=BASE.timezone)
    metrics = get_metrics(session=db, period=period, now=clock.now(), base=BASE)
    same_day = next(h for h in metrics["headline"] if h["key"] == "village_same_day")
    coverage = next(h for h in metrics["headline"] if h["key"] == "village_coverage")
    relay_view = village_deliveries(session=db, org=load_org(session=db), day=date(2026, 11, 25), policy=BASE,
                                    now=clock.now())
    figures = {"confirmed": same_day["confirmed"], "awaiting": same_day["awaiting"], "missed": same_day["missed"],
               "same_day": same_day["numerator"], "villages_reached": coverage["numerator"]}
    assert {k: relay_view[k] for k in ("confirmed", "awaiting", "missed", "same_day")} == {
        k: figures[k] for k in ("confirmed", "awaiting", "missed", "same_day")}  # the digest agrees
    return figures


def test_a_customer_group_gets_the_job_only_when_its_owner_confirms(session_factory, db, rorg, emu, wecom, clock,
                                                                  dispatch):
    approved_job(session_factory, rorg, clock)
    # 14:00: the group receives one send a day, so the day's batch waits for 19:00 (20:30 − 90 min).
    run_round(session_factory, wecom, clock, at(25, 14, 0))
    row = village_row(db, "cg-b1")
    assert (row.status, row.next_attempt_at) == ("queued", at(25, 19, 0))
    assert emu.state.received("customer_group:cg-b1") == []

    run_round(session_factory, wecom, clock, at(25, 19, 0))
    dispatch()
    row = village_row(db, "cg-b1")
    task = db.get(GroupTask, row.group_task_id)
    assert (row.status, task.status, task.sender) == ("awaiting", "pending", "head_b1")
    assert [t["msgid"] for t in httpx.get(f"{emu.base_url}/_emulator/group_msgs/pending",
                                          params={"userid": "head_b1"}).json()["tasks"]] == [task.msgid]
    [ask] = texts(emu, "user:head_b1")
    assert "群发助手" in ask and f"J{row.item_id}" in ask and "19:30" in ask
    assert emu.state.received("customer_group:cg-b1") == []  # a created task delivers nothing
    assert figures(db, clock)["awaiting"] == 1 and figures(db, clock)["confirmed"] == 0
    assert figures(db, clock)["villages_reached"] == 0  # coverage too counts only confirmed posts

    run_round(session_factory, wecom, clock, at(25, 19, 29))
    dispatch()
    assert len(texts(emu, "user:head_b1")) == 1
    run_round(session_factory, wecom, clock, at(25, 19, 30))
    dispatch()
    assert "还等待群主确认" in texts(emu, "user:head_b1")[-1] and "20:00" in texts(emu, "user:head_b1")[-1]
    assert texts(emu, "user:steward_b") == []
    run_round(session_factory, wecom, clock, at(25, 20, 0))
    dispatch()
    [escalation] = texts(emu, "user:steward_b")
    assert "前庄村" in escalation and "head_b1" in escalation and "【上报】" in escalation

    clock.set(at(25, 20, 5))  # the owner taps 发送 on the phone
    confirmed = httpx.post(f"{emu.base_url}/_emulator/group_msgs/confirm",
                           json={"userid": "head_b1", "msgid": task.msgid}).json()
    assert confirmed["send_list"][0]["status"] == 1
    [post] = emu.state.received("customer_group:cg-b1")
    assert f"编号J{row.item_id}" in post["content"]
    assert village_row(db, "cg-b1").status == "awaiting"  # we only know once we read it back

    run_round(session_factory, wecom, clock, at(25, 20, 20))  # within the poll back-off's cap
    row = village_row(db, "cg-b1")
    assert (row.status, row.sent_at) == ("sent", at(25, 20, 5))
    assert figures(db, clock)["confirmed"] == 1 and figures(db, clock)["awaiting"] == 0
    assert figures(db, clock)["same_day"] == 1 and figures(db, clock)["villages_reached"] == 1


def test_a_spent_quota_is_retried_the_next_day_and_the_steward_told(session_factory, db, rorg, emu, wecom, clock,
                                                                     dispatch):
    approved_job(session_factory, rorg, clock)
    # The owner already group-sent something else into the group today (their own 群发).
    emu.state.group_msgs.create(sender="head_b1", chat_ids=["cg-b1"], text="今晚村委会停水", now=clock())
    other = next(iter(emu.state.group_msgs.tasks.values()))
    emu.state.group_msgs.confirm(other, clock())

    run_round(session_factory, wecom, clock, at(25, 19, 0))
    dispatch()
    row = village_row(db, "cg-b1")
    refused = db.scalar(select(GroupTask).where(GroupTask.status == "refused"))
    assert (refused.last_errcode, row.status, row.next_attempt_at) == (41048, "queued", at(26, 7, 30))
    assert row.last_errcode == 41048
    [told] = texts(emu, "user:steward_b")
    assert "群发次数已用完" in told and "11-26 07:30" in told
    assert figures(db, clock)["missed"] == 0 and figures(db, clock)["awaiting"] == 1  # not dropped: still on its way

    run_round(session_factory, wecom, clock, at(26, 7, 30))  # next morning: today's single batch waits for 19:00
    assert village_row(db, "cg-b1").next_attempt_at == at(26, 19, 0)
    run_round(session_factory, wecom, clock, at(26, 19, 0))
    row = village_row(db, "cg-b1")
    assert row.status == "awaiting" and db.get(GroupTask, row.group_task_id).status == "pending"


@pytest.fixture
def manual_a1(db, rorg):
    """甲一村's residents are in an ordinary WeChat group; 钱专员 (hr_a1) relays into it by hand."""
    from app.org.models import ChatGroup

    group = db.scalar(select(ChatGroup).where(ChatGroup.address == "robot-a1"))
    group.kind, group.channel, group.address, group.owner_userid = "manual", "manual", "manual:t-a-01", "hr_a1"
    group.internal_pilot = False
    db.commit()
    return group


@pytest.fixture
def phone_on_server(make_server, emu, clock):
    """Our webhook over HTTP, and a phone whose clicks the emulator issues (its ResponseCode)."""
    from sandbox.phone import Phone, Receiver
    from tests.support import callbacks as cb

    with make_server(clock=clock.now, JOBMATRIX_CALLBACK_MAX_SKEW=0) as base:
        phone = Phone(wecom=Receiver(base + "/wecom/callback", cb.WECOM_TOKEN, cb.WECOM_AES, cb.CORP_ID),
                      emulator_url=emu.base_url, corp_id=cb.CORP_ID, agent_id=cb.AGENT_ID, clock=clock)
        yield phone
        phone.close()


def reply_of(result) -> str:
    from bots.wire.envelope import parse_xml

    assert result.ok, result.errors
    return parse_xml(result.reply).get("Content", "")


def test_a_manual_group_is_delivered_by_the_relayers_click(session_factory, db, rorg, manual_a1, emu, wecom, clock,
                                                          dispatch, phone_on_server):
    item_id = approved_job(session_factory, rorg, clock, township="a", author="officer01")
    run_round(session_factory, wecom, clock, at(25, 14, 0))  # no quota: handed over at once
    dispatch()
    row = village_row(db, "manual:t-a-01")
    assert row.status == "awaiting"
    paste, card = emu.state.received("user:hr_a1")
    assert paste["content"].startswith("请把下面这段复制转发到") and f"编号J{item_id}" in paste["content"]
    template = card["message"]["template_card"]
    assert [b["text"] for b in template["button_list"]] == ["已转发"]
    assert figures(db, clock)["awaiting"] == 1
    clock.set(at(25, 14, 5))
    assert f"J{item_id}" in (mine := reply_of(phone_on_server.app_text("officer01", "我的发布")))
    assert "1 个群等待群主确认" in mine

    run_round(session_factory, wecom, clock, at(25, 14, 30))
    dispatch()
    assert "还没转发到" in texts(emu, "user:hr_a1")[-1]

    clock.set(at(25, 14, 40))  # 钱专员 pasted the text into the WeChat group, then taps 已转发
    button = template["button_list"][0]["key"]
    assert "已记录：1 条信息已转发" in reply_of(phone_on_server.card_click("hr_a1", template["task_id"], button))
    row = village_row(db, "manual:t-a-01")
    assert (row.status, row.sent_at) == ("sent", at(25, 14, 40))
    assert figures(db, clock)["confirmed"] == 1 and figures(db, clock)["same_day"] == 1
    clock.set(at(25, 14, 41))
    assert "已经记录为已转发" in reply_of(phone_on_server.card_click("hr_a1", template["task_id"], button))
    run_round(session_factory, wecom, clock, at(25, 15, 30))  # confirmed: nobody is chased any more
    dispatch()
    assert texts(emu, "user:steward_a") == []


def test_a_creation_interrupted_after_wecom_answered_is_adopted_not_repeated(session_factory, db, rorg, emu, wecom,
                                                                            clock):
    """The round died after add_msg_template succeeded and before the msgid was saved: the next
    attempt finds the task in get_groupmsg_list_v2 instead of asking the owner twice."""
    approved_job(session_factory, rorg, clock)
    clock.set(at(25, 19, 0))
    with session_factory() as s:
        org = load_org(session=s)
        [task] = group_tasks.plan(session=s, org=org, now=clock.now(), base=BASE)
        task.checks = 1  # claimed once already: that attempt's answer was lost with its process
        s.commit()
        content = task.content
    lost = wecom.group_msgs.add_msg_template(sender="head_b1", chat_ids=["cg-b1"], content=content)

    run_round(session_factory, wecom, clock, at(25, 19, 1))
    row = village_row(db, "cg-b1")
    assert db.get(GroupTask, row.group_task_id).msgid == lost.msgid
    assert len(emu.state.group_msgs.tasks) == 1  # the owner has one task to confirm, not two


def test_a_task_never_sent_is_missed_after_three_days_and_polling_stops(session_factory, db, rorg, emu, wecom, clock,
                                                                        dispatch):
    approved_job(session_factory, rorg, clock)
    run_round(session_factory, wecom, clock, at(25, 19, 0))
    assert figures(db, clock)["awaiting"] == 1
    run_round(session_factory, wecom, clock, at(26, 9, 0))  # the next day: the promise of the 25th is missed
    assert (figures(db, clock)["missed"], figures(db, clock)["confirmed"]) == (1, 0)
    assert village_row(db, "cg-b1").status == "awaiting"  # the owner may still send it late
    run_round(session_factory, wecom, clock, at(28, 19, 0))
    dispatch()
    row = village_row(db, "cg-b1")
    assert row.status == "failed" and db.get(GroupTask, row.group_task_id).status == "failed"
    assert any("3 天内没有" in t for t in texts(emu, "user:steward_b"))
    polls = emu.state.counters_snapshot()["calls"].get("externalcontact/get_groupmsg_task", 0)
    run_round(session_factory, wecom, clock, at(28, 20, 0))
    assert emu.state.counters_snapshot()["calls"].get("externalcontact/get_groupmsg_task", 0) == polls


def test_a_group_stored_without_owner_fails_loudly_not_silently(session_factory, db, rorg, emu, wecom, clock):
    """A customer group migrated from before group kinds has no owner: nobody can confirm its sends."""
    from app.org.models import ChatGroup

    db.scalar(select(ChatGroup).where(ChatGroup.address == "cg-b1")).owner_userid = None
    db.commit()
    approved_job(session_factory, rorg, clock)
    run_round(session_factory, wecom, clock, at(25, 19, 0))
    row = village_row(db, "cg-b1")
    assert row.status == "failed" and "no owner" in row.last_error
    [alert] = db.scalars(select(Delivery).where(Delivery.purpose == "alert", Delivery.target == "officer01")).all()
    assert "前庄村" in alert.payload["content"] and "owner" in alert.payload["content"]
    assert emu.state.group_msgs.tasks == {}


@pytest.mark.parametrize(("chat_id", "says"), [("cg-nope", "找不到这个客户群"),
                                               ("cg-other", "群主是 steward_b，组织文件写的是 head_b1")])
def test_a_group_wecom_does_not_know_as_the_org_file_says_fails_with_the_reason(
        session_factory, db, rorg, emu, wecom, clock, dispatch, chat_id, says):
    """fail_list / 41048 look the same for a wrong chat_id, another owner and a spent quota: the
    relay asks groupchat/get which it is, and retries only the quota (tomorrow)."""
    from app.org.models import ChatGroup

    emu.state.seed_customer_group(name="别的群", owner="steward_b", chat_id="cg-other")
    db.scalar(select(ChatGroup).where(ChatGroup.address == "cg-b1")).address = chat_id
    db.commit()
    approved_job(session_factory, rorg, clock)
    run_round(session_factory, wecom, clock, at(25, 19, 0))
    dispatch()
    row = village_row(db, chat_id)
    assert row.status == "failed"
    [told] = texts(emu, "user:steward_b")
    assert says in told and "前庄村" in told
    assert any(says in t for t in texts(emu, "user:officer01"))


def test_a_task_another_batch_already_holds_is_not_adopted(session_factory, db, rorg, emu, wecom, clock):
    """Same owner, same text, but that WeCom task is already another group's batch: create a new one."""
    approved_job(session_factory, rorg, clock)
    clock.set(at(25, 19, 0))
    with session_factory() as s:
        [task] = group_tasks.plan(session=s, org=load_org(session=s), now=clock.now(), base=BASE)
        task.checks = 1
        content, group_id = task.content, task.group_id
        s.commit()
    other = wecom.group_msgs.add_msg_template(sender="head_b1", chat_ids=["cg-b1"], content=content)
    with session_factory() as s:
        s.add(GroupTask(group_id=group_id, kind="customer", sender="head_b1", status="confirmed", day="2026-11-25",
                        content=content, msgid=other.msgid, created_at=clock.now(), next_check_at=clock.now(),
                        checks=0, last_error=""))
        s.commit()
    run_round(session_factory, wecom, clock, at(25, 19, 1))
    row = village_row(db, "cg-b1")
    assert db.get(GroupTask, row.group_task_id).msgid not in ("", other.msgid)
    assert len(emu.state.group_msgs.tasks) == 2
