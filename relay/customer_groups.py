"""Customer groups (客户群): create add_msg_template tasks and read back whether their owners sent them.

    run_round(session_factory=factory, client=wecom_client, now=now)   # every few seconds

One round: plan due posts into group tasks (relay/group_tasks.py), create the customer ones on WeCom
and ask their owners to confirm, hand the manual ones to their relayers (relay/manual_relay.py),
poll pending tasks with back-off (get_groupmsg_task, then get_groupmsg_send_result), and chase
the unconfirmed. All state is in the database (group_tasks), so a restart continues where it left.

API calls happen outside any transaction; each answer is saved in its own short one. A crash after
WeCom created a task and before its msgid was saved leaves the task `creating`: the next attempt
first looks for it with get_groupmsg_list_v2 (same sender, same text) and adopts it. Only if that
look-up misses it (WeCom lists it late) does the owner see the batch twice, and the group's daily
quota lets at most one through (docs/dispatcher.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.db import session_scope
from app.org.models import ChatGroup
from bots.client import PermanentApiError, TransientApiError, WeComClient
from bots.client.group_msgs import SEND_OVER_QUOTA, SEND_SENT, TASK_SENT, CreatedTask
from relay import group_messages as say
from relay import group_tasks, manual_relay, outbox
from relay.models import GroupTask
from relay.org_view import load_org
from relay.rules import DeadlinePolicy, local

log = logging.getLogger(__name__)
LOOKBACK_SECONDS = 24 * 3600  # how far back an interrupted creation is looked for
QUOTA_SPENT = 41048  # 无可发送的客户: no group of the request may receive another send today (§2.7)


@dataclass(frozen=True)
class PollConfig:
    first_poll_seconds: float = 60.0  # owners rarely confirm within the first minute
    poll_cap_seconds: float = 900.0  # back-off doubles up to this
    retry_seconds: float = 60.0  # after a transient failure, doubled per attempt up to the cap
    give_up_days: int = 3  # a task still unsent then is failed (rows missed, steward told); polls stop


def run_round(*, session_factory: sessionmaker[Session], client: WeComClient, now: datetime,
              base: DeadlinePolicy | None = None, config: PollConfig | None = None) -> int:
    """Everything due at `now`; returns how many tasks or rows it touched."""
    config = config or PollConfig()
    with session_scope(session_factory) as session:
        org = load_org(session=session)
        planned = group_tasks.plan(session=session, org=org, now=now, base=base)
        for task in planned:
            if task.kind == "manual":
                manual_relay.hand_over(session=session, org=org, task=task, now=now, base=base)
    touched = len(planned)
    touched += _create_tasks(session_factory, client, now, base, config)
    touched += _poll_tasks(session_factory, client, now, base, config)
    with session_scope(session_factory) as session:
        touched += group_tasks.chase(session=session, org=load_org(session=session), now=now, base=base)
    return touched


def _backoff(checks: int, config: PollConfig, first: float) -> timedelta:
    return timedelta(seconds=min(config.poll_cap_seconds, first * 2 ** max(0, checks)))


def _create_tasks(session_factory: sessionmaker[Session], client: WeComClient, now: datetime,
                  base: DeadlinePolicy | None, config: PollConfig) -> int:
    with session_scope(session_factory) as session:
        todo = [(t.id, t.sender, chat_id, t.content) for t, chat_id in session.execute(
            select(GroupTask, ChatGroup.address).join(ChatGroup, ChatGroup.id == GroupTask.group_id)
            .where(GroupTask.kind == "customer", GroupTask.status == "creating", GroupTask.next_check_at <= now)
            .order_by(GroupTask.id))]
    for task_id, sender, chat_id, content in todo:
        tried_before = _claim(session_factory, task_id, now, config)
        if tried_before is None:
            continue  # another process's round took it
        try:
            created = _created_earlier(session_factory, client, sender, content, now) if tried_before else None
            created = created or client.group_msgs.add_msg_template(sender=sender, chat_ids=[chat_id],
                                                                     content=content)
            outcome: tuple[str, object] = ("created", created)
            if chat_id in created.fail_list:
                outcome = _why_refused(client, chat_id, sender)
        except PermanentApiError as exc:
            outcome = _why_refused(client, chat_id, sender) if int(exc.errcode) == QUOTA_SPENT else ("failed", exc)
        except (TransientApiError, OSError) as exc:
            outcome = ("retry", exc)
        with session_scope(session_factory) as session:
            _save_creation(session, session.get(GroupTask, task_id), chat_id, outcome, now, base, config)
    return len(todo)


def _claim(session_factory: sessionmaker[Session], task_id: int, now: datetime, config: PollConfig) -> int | None:
    """Move the task's next check past this call, so a concurrent round does not create it twice.
    Returns how many earlier attempts there were (None: another round has it)."""
    with session_scope(session_factory) as session:
        result = session.execute(
            update(GroupTask).where(GroupTask.id == task_id, GroupTask.status == "creating",
                                    GroupTask.next_check_at <= now)
            .values(next_check_at=now + timedelta(seconds=config.poll_cap_seconds), checks=GroupTask.checks + 1))
        if not getattr(result, "rowcount", 0):
            return None
        return int(session.scalar(select(GroupTask.checks).where(GroupTask.id == task_id)) or 1) - 1


def _created_earlier(session_factory: sessionmaker[Session], client: WeComClient, sender: str, content: str,
                     now: datetime) -> CreatedTask | None:
    """An earlier attempt may have created the task and died before saving its msgid: adopt that
    task instead of making the owner confirm the same batch twice (get_groupmsg_list_v2). A task
    another of our batches already holds (same owner, same text, another group) is not it."""
    end = int(now.timestamp())
    try:
        records = client.group_msgs.get_groupmsg_list_v2(start_time=end - LOOKBACK_SECONDS, end_time=end,
                                                         creator=sender)
    except PermanentApiError:  # the look-up is not allowed: create, at worst the owner sees it twice
        return None
    with session_scope(session_factory) as session:
        held = set(session.scalars(select(GroupTask.msgid).where(
            GroupTask.sender == sender, GroupTask.msgid != "",
            GroupTask.created_at >= now - timedelta(seconds=LOOKBACK_SECONDS))))
    match = [r for r in records if r.content == content and r.msgid not in held]
    return CreatedTask(msgid=match[-1].msgid, fail_list=()) if match else None


def _why_refused(client: WeComClient, chat_id: str, sender: str) -> tuple[str, object]:
    """WeCom answers a group it will not send to the same way whatever the reason (fail_list or
    41048): an unknown chat_id, a group the sender does not own, or a quota spent today. Only the
    last is worth retrying tomorrow; groupchat/get tells them apart."""
    try:
        owner = str(client.groupchat.get(chat_id=chat_id)["group_chat"]["owner"])
    except PermanentApiError as exc:
        return ("failed", Mismatch(int(exc.errcode), f"customer group {chat_id} unknown to WeCom ({exc.errcode})",
                                   "unknown"))
    except (TransientApiError, OSError) as exc:
        return ("retry", exc)
    if owner.lower() != sender.lower():
        return ("failed", Mismatch(QUOTA_SPENT, f"customer group {chat_id} is owned by {owner}, not {sender}",
                                   "owner", owner))
    return ("refused", None)


@dataclass(frozen=True)
class Mismatch:
    """The org file and WeCom disagree about a customer group: no retry will help."""

    errcode: int
    message: str
    reason: str  # unknown | owner
    owner: str = ""

    def __str__(self) -> str:
        return self.message


def _save_creation(session: Session, task: GroupTask | None, chat_id: str, outcome: tuple[str, object],
                   now: datetime, base: DeadlinePolicy | None, config: PollConfig) -> None:
    if task is None or task.status != "creating":
        return
    kind, value = outcome
    org = load_org(session=session)
    if kind == "created":
        created = value
        task.status, task.msgid, task.checks = "pending", created.msgid, 0  # type: ignore[attr-defined]
        task.next_check_at = now + timedelta(seconds=config.first_poll_seconds)
        _ask_owner(session, task, now, base)
    elif kind == "refused":
        group_tasks.requeue_next_day(session=session, org=org, task=task, now=now, errcode=QUOTA_SPENT, base=base)
    elif kind == "failed":
        exc = value
        text = None
        if isinstance(exc, Mismatch):
            group = session.get(ChatGroup, task.group_id)
            text = say.group_mismatch(group.name if group else chat_id, group_tasks.codes_of(session, task),
                                      task.sender, exc.reason, exc.owner)
        group_tasks.fail(session=session, org=org, task=task, now=now, errcode=int(exc.errcode), error=str(exc),  # type: ignore[attr-defined]
                         text=text)
    else:
        task.last_error = str(value)[:300]  # checks was counted when the attempt was claimed
        task.next_check_at = now + _backoff(task.checks - 1, config, config.retry_seconds)


def _ask_owner(session: Session, task: GroupTask, now: datetime, base: DeadlinePolicy | None) -> None:
    group = session.get(ChatGroup, task.group_id)
    assert group is not None
    policy = load_org(session=session).policy(group.node_id, base)
    times = group_tasks.times_of(task, policy)
    text = say.owner_request(group.name, group_tasks.codes_of(session, task), local(times.remind_at, policy))
    outbox.to_person(session=session, purpose="group_task", userid=task.sender, content=text, now=now,
                     key=f"grouptask:{task.id}:owner")


def _poll_tasks(session_factory: sessionmaker[Session], client: WeComClient, now: datetime,
                base: DeadlinePolicy | None, config: PollConfig) -> int:
    """Pending customer tasks whose poll is due — or whose reminder or escalation is, so nobody is
    chased for a send they already made."""
    with session_scope(session_factory) as session:
        org = load_org(session=session)
        todo = []
        for task, chat_id, node_id in session.execute(
            select(GroupTask, ChatGroup.address, ChatGroup.node_id).join(ChatGroup, ChatGroup.id == GroupTask.group_id)
            .where(GroupTask.kind == "customer", GroupTask.status == "pending",
                   or_(GroupTask.reminded_at.is_(None), GroupTask.escalated_at.is_(None),
                       GroupTask.next_check_at <= now))
            .order_by(GroupTask.id)
        ):
            times = group_tasks.times_of(task, org.policy(node_id, base))
            chase_due = ((task.reminded_at is None and now >= times.remind_at)
                         or (task.escalated_at is None and now >= times.escalate_at))
            if task.next_check_at <= now or chase_due:
                todo.append((task.id, task.msgid, task.sender, chat_id))
    for task_id, msgid, sender, chat_id in todo:
        try:
            outcome = _read_result(client, msgid, sender, chat_id)
        except PermanentApiError as exc:
            outcome = ("failed", exc)
        except (TransientApiError, OSError) as exc:
            outcome = ("waiting", exc)
        with session_scope(session_factory) as session:
            _save_poll(session, session.get(GroupTask, task_id), outcome, now, base, config)
    return len(todo)


def _read_result(client: WeComClient, msgid: str, sender: str, chat_id: str) -> tuple[str, object]:
    mine = [t for t in client.group_msgs.get_groupmsg_task(msgid=msgid) if t.userid.lower() == sender.lower()]
    if not mine or mine[0].status != TASK_SENT:
        return ("waiting", None)
    sends = [s for s in client.group_msgs.get_groupmsg_send_result(msgid=msgid, userid=sender) if s.chat_id == chat_id]
    if sends and sends[0].status == SEND_SENT:
        return ("sent", datetime.fromtimestamp(sends[0].send_time or mine[0].send_time, UTC))
    if sends and sends[0].status == SEND_OVER_QUOTA:
        return ("refused", None)
    status = sends[0].status if sends else "missing"
    return ("failed", PermanentApiError(0, f"sent, but the group's send status is {status}", "get_groupmsg_send_result"))


def _save_poll(session: Session, task: GroupTask | None, outcome: tuple[str, object], now: datetime,
               base: DeadlinePolicy | None, config: PollConfig) -> None:
    if task is None or task.status != "pending":
        return
    kind, value = outcome
    org = load_org(session=session)
    if kind == "sent":
        group_tasks.confirm(session=session, task=task, at=value, now=now)  # type: ignore[arg-type]
    elif kind == "refused":
        group_tasks.requeue_next_day(session=session, org=org, task=task, now=now, errcode=QUOTA_SPENT, base=base)
    elif kind == "failed":
        exc = value
        group_tasks.fail(session=session, org=org, task=task, now=now, errcode=int(getattr(exc, "errcode", 0)),
                         error=str(exc))
    elif now - task.created_at >= timedelta(days=config.give_up_days):
        group = session.get(ChatGroup, task.group_id)
        text = say.never_sent(group.name if group else "", group_tasks.codes_of(session, task), config.give_up_days)
        group_tasks.fail(session=session, org=org, task=task, now=now, errcode=0,
                         error=f"the owner did not send it within {config.give_up_days} days", text=text)
    else:
        task.checks += 1
        if value is not None:
            task.last_error = str(value)[:300]
        task.next_check_at = now + _backoff(task.checks, config, config.first_poll_seconds)
