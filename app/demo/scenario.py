"""The scripted part of the demo: people of the example org talk to the bot, a steward approves
one relay from a WeCom card and lets another time out on an accelerated clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.org.models import HAND_CHANNELS
from bots.wire.envelope import parse_xml
from relay import deadlines
from relay.models import Delivery, GroupTask, Hop, Item
from sandbox.emulator.routes_msg_template import confirm_task
from sandbox.phone import CallbackResult

VILLAGE = "zm-qnl-01"  # 建设路社区 of 青年路街道 in examples/zhongmu.yaml
RESIDENT = "o_demo_scenario_resident"
EMPLOYER = "o_demo_employer_0001"
STEWARD = "zm_qnl_steward"
SEEKER_NOTE = "本人张卫东 男 46岁 会开叉车有证5年 想在中牟新区找仓库的活 电话138 1234 5678"
JOB_POST = "招叉车工3名 月薪5000-6500 包吃住 年龄25-50 地点青年路街道物流园 联系电话13800000001 周经理"


@dataclass
class Outcome:
    replies: list[str] = field(default_factory=list)
    results: list[CallbackResult] = field(default_factory=list)
    seeker_code: str = ""
    job_code: str = ""


def reply_text(result: CallbackResult) -> str:
    if result.reply is None:
        return "(无回复)" if result.ok else f"(失败: HTTP {result.status}, {result.errors})"
    try:
        return parse_xml(result.reply).get("Content", result.reply)
    except Exception:  # the AI bot answers JSON
        return result.reply


def wait_for(check: Callable[[], object], *, timeout: float = 30.0, what: str = "") -> object:
    """Poll until `check()` is truthy: the relay works in background threads."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"the demo waited {timeout:.0f} s for {what or 'the relay'}")


def play(env, *, log=print) -> Outcome:
    out = Outcome()
    phone = env.phone

    def say(who: str, text: str, send: Callable[[], CallbackResult]) -> str:
        result = send()
        out.results.append(result)
        out.replies.append(reply_text(result))
        log(f"\n▶ {who}: {text}\n  ◀ 机器人: {out.replies[-1]}")
        return out.replies[-1]

    say("新群众扫村里的二维码", f"(扫码 {VILLAGE})", lambda: phone.oa_subscribe(RESIDENT, scene=VILLAGE))
    say("群众发求职信息", SEEKER_NOTE, lambda: phone.oa_text(RESIDENT, SEEKER_NOTE))
    out.seeker_code = _latest_code(env, "seeker")
    say("企业发招聘", JOB_POST, lambda: phone.oa_text(EMPLOYER, JOB_POST))
    out.job_code = _latest_code(env, "job")
    if not (out.seeker_code and out.job_code):
        return out
    task_id = wait_for(lambda: _card_task(env, out.seeker_code), what="the steward's approval card")
    wait_for(lambda: env.emulator.state.card(task_id), what="the card to reach the steward")
    log(f"\n· 信息管家收到两张审批卡片（{out.seeker_code} 求职、{out.job_code} 招聘），30分钟内处理")
    say("信息管家点「通过」", f"(卡片 {out.seeker_code})", lambda: phone.card_click(STEWARD, task_id, _approve_key(env, task_id)))
    confirmed = confirm_group_tasks(env, out.seeker_code, "district")
    log(f"\n· 区企业群是客户群：区信息员在手机「群发助手」确认了 {confirmed} 个群发任务，群里才看到 {out.seeker_code}")
    log("\n· 招聘那张卡片没人点：演示把时间拨快31分钟，超时规则自动通过")
    _pretend_minutes_passed(env, out.job_code, minutes=31)
    touched = deadlines.apply_timeouts(session_factory=env.session_factory, now=datetime.now(UTC))
    log(f"  超时处理了 {touched} 条")
    confirmed = confirm_group_tasks(env, out.job_code, "village")
    log(f"· 村群是客户群或普通微信群：群主确认群发、专员转发后点「已转发」，共 {confirmed} 个群")
    reached = wait_for(lambda: _village_posts_sent(env, out.job_code), timeout=60, what="the job in the village groups")
    log(f"\n✔ {out.job_code} 已发到 {reached} 个村群；{out.seeker_code}（已脱敏）已发到区企业群")
    if _waits_for_tomorrow(env, out.job_code):
        log(f"  区企业群今天已收到一次群发（企业微信每个客户群每天限一次），{out.job_code} 明天再请群主确认")
    return out


def confirm_group_tasks(env, code: str, tier: str, *, timeout: float = 60) -> int:
    """Play the people a group task waits for: each customer group's owner taps 发送 in 群发助手,
    each manual group's relayer pastes the text and clicks 已转发. Returns how many groups.

    Only the item's groups of `tier`: the district group takes one send a day, so a job's post
    there, after the seeker note's, waits for tomorrow — as it would in WeCom."""
    item_id = int(code[1:])
    of_item = (Delivery.item_id == item_id, Hop.tier == tier)

    def tasks() -> list[GroupTask] | None:
        with env.session_factory() as session:
            waiting = session.scalar(select(func.count()).select_from(Delivery).join(Hop, Hop.id == Delivery.hop_id)
                                     .where(*of_item, Delivery.channel.in_(HAND_CHANNELS),
                                            Delivery.status == "queued"))
            found = session.scalars(select(GroupTask).join(Delivery, Delivery.group_task_id == GroupTask.id)
                                    .join(Hop, Hop.id == Delivery.hop_id).where(*of_item).distinct()).all()
            ready = all(t.status == "pending" and (t.msgid or t.kind == "manual") for t in found)
            return list(found) if not waiting and ready else None

    found = wait_for(tasks, timeout=timeout, what=f"the group tasks of {code}")
    for task in found or []:
        if task.kind == "customer":
            confirm_task(env.emulator.state, task.sender, task.msgid)
        else:
            wait_for(lambda t=task: env.emulator.state.card(t.card_task_id), what="the relayer's card")
            env.phone.card_click(task.sender, task.card_task_id, f"relayed:{task.id}")
    return len(found or [])


def _pretend_minutes_passed(env, code: str, *, minutes: int) -> None:
    """The accelerated clock of the demo: the item's pending township hops arrived `minutes` earlier.

    Moving the hops back, rather than the clock forward, keeps every other timestamp real, so
    the deliveries the timeout releases are due now and the dispatcher sends them at once."""
    shift = timedelta(minutes=minutes)
    with env.session_factory() as session:
        for hop in session.scalars(select(Hop).where(Hop.item_id == int(code[1:]), Hop.status == "pending")):
            hop.arrived_at -= shift
            if hop.due_at is not None:
                hop.due_at -= shift
        session.commit()


def _waits_for_tomorrow(env, code: str) -> bool:
    with env.session_factory() as session:
        row = session.scalar(select(Delivery).join(Hop, Hop.id == Delivery.hop_id).where(
            Delivery.item_id == int(code[1:]), Hop.tier == "district", Delivery.purpose == "relay"))
        return row is not None and row.status == "queued" and row.next_attempt_at > datetime.now(UTC)


def _latest_code(env, kind: str) -> str:
    with env.session_factory() as session:
        item = session.scalar(select(Item).where(Item.kind == kind).order_by(Item.id.desc()))
        return item.code if item else ""


def _card_task(env, code: str) -> str:
    with env.session_factory() as session:
        item_id = int(code[1:])
        return session.scalar(select(Hop.card_task_id).where(Hop.item_id == item_id, Hop.card_task_id.is_not(None))) or ""


def _approve_key(env, task_id: str) -> str:
    with env.session_factory() as session:
        return f"approve:{session.scalar(select(Hop.id).where(Hop.card_task_id == task_id))}"


def _village_posts_sent(env, code: str) -> int:
    with env.session_factory() as session:
        item_id = int(code[1:])
        sent = session.scalar(
            select(func.count()).select_from(Delivery).join(Hop, Hop.id == Delivery.hop_id)
            .where(Delivery.item_id == item_id, Hop.tier == "village", Delivery.status == "sent")
        )
        pending = session.scalar(
            select(func.count()).select_from(Delivery).join(Hop, Hop.id == Delivery.hop_id)
            .where(Delivery.item_id == item_id, Hop.tier == "village",
                   Delivery.status.in_(("queued", "sending", "awaiting")))
        )
        return sent if sent and not pending else 0
