"""Manual groups: an ordinary WeChat group no API reaches, relayed by a staff member by hand.

The relayer gets the batch as a ready-to-paste text and a card with one button, 已转发. The click
is the delivery record: it makes the task's rows `sent` (relay/group_tasks.py). Until then the rows
are awaiting, and the relayer is reminded, then the township steward is told, like a customer
group's owner.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import ChatGroup
from relay import group_messages as say
from relay import group_tasks, outbox
from relay.models import GroupTask
from relay.org_view import OrgView
from relay.rules import DeadlinePolicy

TASK_PREFIX = "relay"  # card task ids: relay<task id>_<random>, so a click finds its task
ACTION = "relayed"


def is_relay_card(task_id: str) -> bool:
    return task_id.startswith(TASK_PREFIX) and "_" in task_id


def hand_over(*, session: Session, org: OrgView, task: GroupTask, now: datetime,
              base: DeadlinePolicy | None = None) -> None:
    """The text to paste and the 已转发 card, to the relayer; the task then waits for the click."""
    group = session.get(ChatGroup, task.group_id)
    assert group is not None
    task.card_task_id = f"{TASK_PREFIX}{task.id}_{secrets.token_hex(6)}"
    task.status, task.next_check_at = "pending", now
    codes = group_tasks.codes_of(session, task)
    outbox.to_person(session=session, purpose="group_task", userid=task.sender,
                     content=say.relayer_text(group.name, task.content), now=now,
                     key=f"grouptask:{task.id}:paste")
    card = {
        "card_type": "button_interaction",
        "main_title": {"title": say.relayer_card_title(group.name), "desc": say.relayer_card_desc(codes)},
        "sub_title_text": task.content[:300],
        "task_id": task.card_task_id,
        "button_list": [{"text": say.RELAYED_BUTTON, "style": 1, "key": f"{ACTION}:{task.id}"}],
    }
    outbox.enqueue(session=session, purpose="group_task", channel="app", target=task.sender,
                   payload={"msgtype": "template_card", "card": card}, now=now,
                   key=f"grouptask:{task.id}:card")


def record_click(*, session: Session, userid: str, task_id: str, event_key: str, now: datetime) -> str:
    """The relayer clicked 已转发: the batch counts as delivered now. Idempotent."""
    task = session.scalar(select(GroupTask).where(GroupTask.card_task_id == task_id))
    if task is None or event_key != f"{ACTION}:{task.id}":
        return say.NOT_YOURS
    if userid.lower() != task.sender.lower():
        return say.NOT_YOURS
    group = session.get(ChatGroup, task.group_id)
    name = group.name if group else ""
    if task.status != "pending":
        return say.relayed_already(name)
    count = group_tasks.confirm(session=session, task=task, at=now, now=now)
    return say.relayed_reply(name, count)
