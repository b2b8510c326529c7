"""企业群发 into customer groups: tasks an owner confirms on the phone, and each group's receive quota.

Facts (wecom-platform.md §2.7, D-92135 and the result APIs D-93338 / D-93339 as SDKs quote them):
- add_msg_template never delivers by itself: it creates a task; the sender confirms it in the
  WeCom client, and only then does the group receive the text.
- Each customer group receives at most one group send per day (current doc; older: 4 per month).
  A group over its quota is listed in the answer's `fail_list`; when no group of the request can
  receive, the call fails with errcode 41048 无可发送的客户 (D-90313 via xen0n/go-workwx
  errcodes; binarywang/WxJava and several Python SDKs quote the doc: "41048 ... 即该客户被发送的
  消息已超过限制"). A group that received another send between creation and confirmation
  reports send status 3 (因客户已经收到其他群发消息导致发送失败; qwdigital/LinkWechat-Scrm
  DetailMessageStatusResultDto).
- get_groupmsg_task: task_list[{userid, status 0 未发送 | 2 已发送, send_time}];
  get_groupmsg_send_result: send_list[{chat_id, userid, status 0 | 1 已发送 | 2 | 3, send_time}];
  both page with limit + cursor / next_cursor (Senparc GetGroupMsgSendResultResult).
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

NOT_SENT, SENT, NOT_FRIEND, OVER_QUOTA = 0, 1, 2, 3  # send_list status
TASK_WAITING, TASK_SENT = 0, 2  # task_list status
TEXT_LIMIT = 4000  # bytes of text.content (§3.1)
MAX_CHATS = 2000  # chat_id_list (§2.7)
PAGE_MAX = 1000


@dataclass
class ChatSend:
    chat_id: str
    status: int = NOT_SENT
    send_time: int = 0


@dataclass
class GroupMsg:
    msgid: str
    sender: str
    text: str
    create_time: int
    sends: list[ChatSend]
    confirmed_at: int = 0  # 0 until the sender confirms on the phone

    def task(self) -> dict:
        item: dict = {"userid": self.sender, "status": TASK_SENT if self.confirmed_at else TASK_WAITING}
        if self.confirmed_at:
            item["send_time"] = self.confirmed_at
        return item

    def send_list(self) -> list[dict]:
        out = []
        for send in self.sends:
            item: dict = {"chat_id": send.chat_id, "userid": self.sender, "status": send.status}
            if send.status == SENT:
                item["send_time"] = send.send_time
            out.append(item)
        return out


@dataclass
class GroupMsgs:
    """Every group-send task of the corp, and what each customer group received per day."""

    daily_quota: int = 1
    utc_offset_hours: int = 8  # the quota's "day" is China's calendar day
    tasks: dict[str, GroupMsg] = field(default_factory=dict)
    received: dict[tuple[str, str], int] = field(default_factory=dict)  # (chat_id, day) -> sends
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def day(self, now: float) -> str:
        zone = timezone(timedelta(hours=self.utc_offset_hours))
        return datetime.fromtimestamp(now, UTC).astimezone(zone).date().isoformat()

    def has_room(self, chat_id: str, now: float) -> bool:
        return self.received.get((chat_id, self.day(now)), 0) < self.daily_quota

    def create(self, *, sender: str, chat_ids: list[str], text: str, now: float) -> GroupMsg:
        msgid = f"msg{next(self._ids):08d}"
        task = GroupMsg(msgid, sender, text, int(now), [ChatSend(c) for c in chat_ids])
        self.tasks[msgid] = task
        return task

    def pending_for(self, userid: str) -> list[GroupMsg]:
        """What the member's phone lists under 群发助手 as waiting to be sent."""
        return [t for t in self.tasks.values() if t.sender.lower() == userid.lower() and not t.confirmed_at]

    def confirm(self, task: GroupMsg, now: float) -> list[ChatSend]:
        """The sender taps 发送: groups with room receive it; the others report OVER_QUOTA."""
        task.confirmed_at = int(now)
        delivered = []
        for send in task.sends:
            if self.has_room(send.chat_id, now):
                key = (send.chat_id, self.day(now))
                self.received[key] = self.received.get(key, 0) + 1
                send.status, send.send_time = SENT, int(now)
                delivered.append(send)
            else:
                send.status = OVER_QUOTA
        return delivered


def page(items: list[dict], *, limit: object, cursor: object) -> tuple[list[dict], str]:
    """One page and the next cursor ("" at the end); cursors are opaque, as the real ones."""
    size = int(limit) if isinstance(limit, int) and 0 < limit <= PAGE_MAX else PAGE_MAX
    start = 0
    if cursor:
        try:
            start = int(base64.urlsafe_b64decode(str(cursor).encode()).decode())
        except ValueError:
            start = len(items)
    chunk = items[start : start + size]
    end = start + len(chunk)
    return chunk, base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else ""
