"""Group tasks: posts for customer and manual groups wait for a person (docs/relay.md, "Group tasks").

WeCom cannot post by itself into a group that holds residents or employers (wecom-platform.md
§2.4-2.7). So a `relay` delivery to such a group is never sent by the dispatcher: this module
batches the due rows of one group into a GroupTask, and only the task's confirmation — the owner
sent the add_msg_template task (relay/customer_groups.py), or the relayer clicked 已转发
(relay/manual_relay.py) — makes the rows `sent`. Until then they are `awaiting` (等待群主确认).
Unconfirmed tasks get a reminder to their sender, then an escalation to the township steward.

Everything here is database work in the caller's session; the API calls live in customer_groups.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.org.models import HAND_CHANNELS, ChatGroup
from app.org.service import get_staff_by_userid
from bots.client.limits import utf8_len
from relay import group_messages as say
from relay import outbox, people, service
from relay.models import Delivery, GroupTask
from relay.org_view import OrgView
from relay.rules import DeadlinePolicy, last_batch_at, local, next_day_opening

TEXT_LIMIT = 4000  # add_msg_template text bytes (§2.7); a manual paste uses the same batches
SEPARATOR = "\n\n"
USED = ("creating", "pending", "confirmed", "refused")  # tasks that count against the day's quota
OPEN = ("creating", "pending")


@dataclass(frozen=True)
class TaskTimes:
    remind_at: datetime
    escalate_at: datetime


def times_of(task: GroupTask, policy: DeadlinePolicy) -> TaskTimes:
    return TaskTimes(task.created_at + timedelta(minutes=policy.confirm_reminder_minutes),
                     task.created_at + timedelta(minutes=policy.confirm_escalation_minutes))


def due_rows(session: Session, now: datetime) -> dict[int, list[Delivery]]:
    """Queued posts for customer and manual groups whose time has come, by group id, oldest first."""
    rows = session.scalars(
        select(Delivery).where(Delivery.channel.in_(HAND_CHANNELS), Delivery.status == "queued",
                               Delivery.purpose == "relay", Delivery.not_before <= now,
                               Delivery.next_attempt_at <= now, Delivery.group_id.is_not(None))
        .order_by(Delivery.id)
        .with_for_update(skip_locked=True)  # two rounds at once never batch the same row (PostgreSQL)
    )
    by_group: dict[int, list[Delivery]] = {}
    for row in rows:
        by_group.setdefault(int(row.group_id or 0), []).append(row)
    return by_group


def pack(rows: list[Delivery]) -> tuple[str, list[Delivery]]:
    """As many posts as fit in one task's text, in order (at least the first, cut if alone too long)."""
    parts: list[str] = []
    taken: list[Delivery] = []
    for row in rows:
        text = str(row.payload.get("content", ""))
        candidate = SEPARATOR.join([*parts, text])
        if taken and utf8_len(candidate) > TEXT_LIMIT:
            break
        parts.append(text)
        taken.append(row)
    content = SEPARATOR.join(parts)
    while utf8_len(content) > TEXT_LIMIT:  # one post alone over the limit: cut it, never drop it
        content = content[:-50]
    return content, taken


def plan(*, session: Session, org: OrgView, now: datetime, base: DeadlinePolicy | None = None) -> list[GroupTask]:
    """Turn due rows into tasks where the group's quota and the batch time allow; returns the new tasks."""
    created: list[GroupTask] = []
    for group_id, rows in due_rows(session, now).items():
        group = session.get(ChatGroup, group_id)
        if group is None:
            continue
        policy = org.policy(group.node_id, base)
        if not group.owner_userid:  # stored before group kinds: nobody to confirm, say so at once
            _no_owner(session, org, group, rows, now)
            continue
        if group.kind == "customer":
            wait_until = _customer_wait(session, group, policy, now)
            if wait_until is not None:
                for row in rows:
                    row.next_attempt_at = wait_until
                continue
        content, taken = pack(rows)
        task = GroupTask(group_id=group.id, kind="manual" if group.channel == "manual" else "customer",
                         sender=group.owner_userid or "", status="creating", day=local(now, policy).date().isoformat(),
                         content=content, msgid="", created_at=now, next_check_at=now, checks=0, last_error="")
        session.add(task)
        session.flush([task])
        for row in taken:
            row.status, row.group_task_id = "awaiting", task.id
        created.append(task)
    return created


def _customer_wait(session: Session, group: ChatGroup, policy: DeadlinePolicy, now: datetime) -> datetime | None:
    """None when a batch may be created now; else when to look again.

    The group receives `group_daily_quota` sends a day. All but the last go out as posts come; the
    last waits for last_batch_at, so the evening's posts still reach the group the same day.
    """
    today = local(now, policy).date()
    used = session.scalar(select(func.count()).where(GroupTask.group_id == group.id, GroupTask.day == today.isoformat(),
                                                     GroupTask.status.in_(USED))) or 0
    refused = session.scalar(select(func.count()).where(GroupTask.group_id == group.id,
                                                        GroupTask.day == today.isoformat(),
                                                        GroupTask.status == "refused")) or 0
    if used >= policy.group_daily_quota or refused:
        return next_day_opening(now, policy)
    if used == policy.group_daily_quota - 1 and now < last_batch_at(today, policy):
        return last_batch_at(today, policy)
    return None


def _no_owner(session: Session, org: OrgView, group: ChatGroup, rows: list[Delivery], now: datetime) -> None:
    error = "the group has no owner / relay_by: import the org file with the group's kind and owner"
    for row in rows:
        row.status, row.last_error = "failed", error
    text = say.no_owner(group.name)
    for officer in people.district_officers(session=session, node_id=group.node_id, org=org):
        outbox.to_person(session=session, purpose="alert", userid=officer.userid, content=text, now=now,
                         key=f"noowner:{group.id}:{local(now, org.policy(group.node_id)).date()}:{officer.userid}")


def codes_of(session: Session, task: GroupTask) -> list[str]:
    ids = session.scalars(select(Delivery.item_id).where(Delivery.group_task_id == task.id).order_by(Delivery.id))
    return [service.item_code(session=session, item_id=i) for i in ids if i is not None]


def confirm(*, session: Session, task: GroupTask, at: datetime, now: datetime) -> int:
    """The group really got the batch: its rows are sent (at `at`, when WeCom says it went out)."""
    if task.status not in OPEN:
        return 0
    task.status, task.confirmed_at = "confirmed", at
    rows = list(session.scalars(select(Delivery).where(Delivery.group_task_id == task.id, Delivery.status == "awaiting")))
    for row in rows:
        row.status, row.sent_at, row.last_errcode, row.last_error = "sent", at, 0, ""
    return len(rows)


def requeue_next_day(*, session: Session, org: OrgView, task: GroupTask, now: datetime, errcode: int,
                     base: DeadlinePolicy | None = None) -> None:
    """The group's quota was spent: the rows go back to the queue for the next day, and the
    township steward hears why (nothing is dropped)."""
    group = session.get(ChatGroup, task.group_id)
    assert group is not None
    policy = org.policy(group.node_id, base)
    retry = next_day_opening(now, policy)
    codes = codes_of(session, task)
    task.status, task.last_errcode = "refused", errcode
    for row in session.scalars(select(Delivery).where(Delivery.group_task_id == task.id, Delivery.status == "awaiting")):
        row.status, row.group_task_id, row.next_attempt_at = "queued", None, retry
        row.last_errcode, row.last_error = errcode, "customer group quota spent today; retried the next day"
    _tell_stewards(session, org, group, say.quota_refused(group.name, codes, local(retry, policy)), now,
                   key=f"grouptask:{task.id}:refused")


def fail(*, session: Session, org: OrgView, task: GroupTask, now: datetime, errcode: int, error: str,
         text: str | None = None) -> None:
    """WeCom refused the task for good: rows failed (the dashboard shows them missed), people told."""
    group = session.get(ChatGroup, task.group_id)
    assert group is not None
    codes = codes_of(session, task)
    task.status, task.last_errcode, task.last_error = "failed", errcode, error[:300]
    for row in session.scalars(select(Delivery).where(Delivery.group_task_id == task.id, Delivery.status == "awaiting")):
        row.status, row.last_errcode, row.last_error = "failed", errcode, error[:300]
    text = text or say.task_failed(group.name, codes, errcode)
    _tell_stewards(session, org, group, text, now, key=f"grouptask:{task.id}:failed")
    for officer in people.district_officers(session=session, node_id=group.node_id, org=org):
        outbox.to_person(session=session, purpose="alert", userid=officer.userid, content=text, now=now,
                         key=f"grouptask:{task.id}:failed:{officer.userid}")


def _tell_stewards(session: Session, org: OrgView, group: ChatGroup, content: str, now: datetime, *, key: str) -> None:
    township = org.up_to(group.node_id, "township")
    targets = people.stewards(session=session, township_id=township.id) if township else []
    if not targets:
        targets = people.district_officers(session=session, node_id=group.node_id, org=org)
    for person in targets:
        outbox.to_person(session=session, purpose="escalation", userid=person.userid, content=content, now=now,
                         key=f"{key}:{person.userid}")


def chase(*, session: Session, org: OrgView, now: datetime, base: DeadlinePolicy | None = None) -> int:
    """Remind senders of pending tasks past the reminder time; escalate those past the escalation time."""
    touched = 0
    for task in session.scalars(select(GroupTask).where(GroupTask.status == "pending").order_by(GroupTask.id)):
        group = session.get(ChatGroup, task.group_id)
        if group is None:
            continue
        policy = org.policy(group.node_id, base)
        times = times_of(task, policy)
        codes = codes_of(session, task)
        if task.reminded_at is None and now >= times.remind_at:
            text = (say.relayer_reminder(group.name, codes) if task.kind == "manual"
                    else say.owner_reminder(group.name, codes, local(times.escalate_at, policy)))
            outbox.to_person(session=session, purpose="reminder", userid=task.sender, content=text, now=now,
                             key=f"grouptask:{task.id}:reminder")
            task.reminded_at = now
            touched += 1
        if task.escalated_at is None and now >= times.escalate_at:
            who = people_name(session, task.sender)
            _tell_stewards(session, org, group, say.escalation(group.name, who, codes, task.kind == "manual"), now,
                           key=f"grouptask:{task.id}:escalation")
            task.escalated_at = now
            touched += 1
    return touched


def people_name(session: Session, userid: str) -> str:
    staff = get_staff_by_userid(session=session, userid=userid)
    return f"{staff.name}（{userid}）" if staff else userid


def awaiting_count(session: Session, item_id: int) -> int:
    """Groups where this item waits for a person's confirmation (shown in 我的发布)."""
    return int(session.scalar(select(func.count()).where(Delivery.item_id == item_id,
                                                         Delivery.status == "awaiting")) or 0)
