"""企业群发 into customer groups: add_msg_template and its result APIs (wecom-platform.md §2.7).

add_msg_template only creates a task the sender must confirm in the WeCom client; whether the group
got the text is read back with get_groupmsg_task / get_groupmsg_send_result. One method per
endpoint; bodies are built here (wechatpy 1.8.18 has none of these calls).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .limits import utf8_len
from .session import ApiSession

TEXT_LIMIT = 4000  # bytes of text.content (§3.1)
PAGE = 1000  # the result APIs' largest page

# get_groupmsg_task status / get_groupmsg_send_result status (D-93338 as SDKs quote it).
TASK_WAITING, TASK_SENT = 0, 2
SEND_WAITING, SEND_SENT, SEND_NOT_FRIEND, SEND_OVER_QUOTA = 0, 1, 2, 3


@dataclass(frozen=True)
class CreatedTask:
    msgid: str
    fail_list: tuple[str, ...]  # chat ids that will not receive it (unknown, not the sender's, over quota)


@dataclass(frozen=True)
class MemberTask:
    userid: str
    status: int
    send_time: int = 0


@dataclass(frozen=True)
class GroupSend:
    chat_id: str
    userid: str
    status: int
    send_time: int = 0


@dataclass(frozen=True)
class SentRecord:
    """One entry of get_groupmsg_list_v2: a group send created by the corp."""

    msgid: str
    creator: str
    create_time: int
    content: str


class GroupMsgApi:
    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def add_msg_template(self, *, sender: str, chat_ids: list[str], content: str) -> CreatedTask:
        """A task for `sender` to send `content` into their customer groups; 41048 when none can receive."""
        if utf8_len(content) > TEXT_LIMIT:
            raise ValueError(f"group-send text is {utf8_len(content)} bytes; at most {TEXT_LIMIT}")
        body = {"chat_type": "group", "sender": sender, "chat_id_list": list(chat_ids), "allow_select": False,
                "text": {"content": content}}
        answer = self._session.call("POST", "externalcontact/add_msg_template", body=body)
        return CreatedTask(msgid=str(answer["msgid"]), fail_list=tuple(str(c) for c in answer.get("fail_list") or ()))

    def get_groupmsg_task(self, *, msgid: str) -> list[MemberTask]:
        """Every sender's task of `msgid` (all pages)."""
        return [MemberTask(str(t["userid"]), int(t["status"]), int(t.get("send_time") or 0))
                for t in self._pages("externalcontact/get_groupmsg_task", {"msgid": msgid}, "task_list")]

    def get_groupmsg_send_result(self, *, msgid: str, userid: str) -> list[GroupSend]:
        """What each of `userid`'s groups got of `msgid` (all pages)."""
        return [GroupSend(str(s.get("chat_id", "")), str(s.get("userid", userid)), int(s["status"]),
                          int(s.get("send_time") or 0))
                for s in self._pages("externalcontact/get_groupmsg_send_result",
                                     {"msgid": msgid, "userid": userid}, "send_list")]

    def get_groupmsg_list_v2(self, *, start_time: int, end_time: int, creator: str = "") -> list[SentRecord]:
        """Group sends to customer groups created in [start_time, end_time] (≤ 1 month), all pages."""
        body: dict[str, Any] = {"chat_type": "group", "start_time": start_time, "end_time": end_time,
                                "filter_type": 2}
        if creator:
            body["creator"] = creator
        return [SentRecord(str(r["msgid"]), str(r.get("creator", "")), int(r.get("create_time") or 0),
                           str((r.get("text") or {}).get("content", "")))
                for r in self._pages("externalcontact/get_groupmsg_list_v2", body, "group_msg_list", limit=100)]

    def _pages(self, endpoint: str, body: dict[str, Any], key: str, limit: int = PAGE) -> Iterator[dict[str, Any]]:
        cursor = ""
        while True:
            answer = self._session.call("POST", endpoint, body={**body, "limit": limit, "cursor": cursor})
            yield from answer.get(key) or ()
            cursor = str(answer.get("next_cursor") or "")
            if not cursor:
                return
