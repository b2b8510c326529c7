"""What people ask the bot for themselves: help, their own posts, withdraw or mark a job filled,
and "delete my information" (个人信息删除权)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.inbound.erasure import erase_person, erased_reply
from app.inbound.identity import Speaker
from relay.closing import close_item
from relay.group_messages import AWAITING
from relay.group_tasks import awaiting_count
from relay.match import subscriptions
from relay.messaging import shorten
from relay.models import Hop, Item
from relay.service import get_item_by_code, items_of

COMMANDS = ("help", "my_items", "withdraw", "filled", "delete_my_data", "subscribe", "unsubscribe")
OPEN_STATUSES = ("queued", "held", "relaying")
HELP = {
    "resident": "发一句话登记求职：会干啥 + 想干啥 + 怎么联系您（可不留电话）。\n"
                "「我的发布」看自己登记过的；「撤回 S12」撤回一条；「删除我的信息」删除您在本平台的个人信息；"
                "「举报 J12 原因」举报可疑岗位。",
    "employer": "直接发岗位：招什么、几个人、工资、地点、联系电话。\n"
                "「我的发布」看已发岗位；「J12招满了」标记招满；「撤回 J12」撤回岗位。\n"
                "「联系 S12」请求联系求职者（本人同意后给您电话）；「已录用 S12」记录录用。",
    "staff": "审批：点卡片按钮，或回复「通过 12」「驳回 12 原因」「修改 12 新文字」。\n"
             "帮群众登记：直接转发他的求职信息。「我的发布」看自己发的。",
    "unknown": "请先扫描所在村（社区）群众求职群的二维码；企业请回复「企业认证」。",
}
_STATUS_LABELS = {"queued": "处理中", "held": "待核对", "relaying": "转发中", "done": "已完成",
                  "rejected": "未通过", "withdrawn": "已撤回"}


def handle(*, session: Session, speaker: Speaker, sender: str, command: dict, now: datetime) -> str | None:
    """The reply to a self-service command, or None when the command is not one of these."""
    name = command["command"]
    if name == "help":
        return HELP.get(speaker.kind, HELP["unknown"])
    if name == "my_items":
        return _my_items(session, sender, speaker.contact.id if speaker.contact is not None else None)
    if name in ("withdraw", "filled"):
        return _close(session, speaker, sender, command.get("target") or "", filled=name == "filled", now=now)
    if name == "delete_my_data":
        return _delete_my_data(session, speaker, sender)
    if name in ("subscribe", "unsubscribe"):
        return subscriptions.handle(session=session, kind=speaker.kind, contact=speaker.contact, sender=sender,
                                    command=command, now=now)
    return None


def _my_items(session: Session, sender: str, contact_id: int | None = None) -> str:
    mine = items_of(sender=sender, contact_id=contact_id)
    items = session.scalars(select(Item).where(mine).order_by(Item.id.desc()).limit(5)).all()
    if not items:
        return "您还没有发布过信息。"
    lines = [f"{item.code} {_label(session, item)}{_awaiting(session, item.id)}：{shorten(item.masked_text.replace(chr(10), ' '), 30)}"
             for item in items]
    return "您最近发布的：\n" + "\n".join(lines)


def _label(session: Session, item: Item) -> str:
    """The item's state in words; a relaying item is published once a township approved it."""
    if item.status == "relaying":
        approved = session.scalar(select(Hop.id).where(Hop.item_id == item.id, Hop.tier == "township",
                                                       Hop.status == "approved").limit(1))
        return "已发布" if approved is not None else "等待审核"
    return _STATUS_LABELS.get(item.status, "处理中")


def _awaiting(session: Session, item_id: int) -> str:
    """Groups where the post waits for its owner's confirmation (or a relayer's 已转发): not there yet."""
    count = awaiting_count(session, item_id)
    return f"（{count} 个群{AWAITING}）" if count else ""


def _close(session: Session, speaker: Speaker, sender: str, code: str, *, filled: bool, now: datetime) -> str:
    item = get_item_by_code(session=session, code=code)
    if item is None:
        return f"没有找到编号 {code} 的信息，请核对编号。"
    officer = speaker.staff is not None and speaker.staff.role == "district_officer"
    if item.author_ref != sender and not officer:
        return f"{item.code} 不是您发布的，不能撤回或标记招满。"
    if item.status not in OPEN_STATUSES:
        return f"{item.code} 已经{_STATUS_LABELS.get(item.status, '处理')}，无需再操作。"
    if filled and item.kind != "job":
        return "只有招聘岗位可以标记招满。"
    # Everything not yet sent stops, waiting cards are closed; posts already in a group stay there.
    close_item(session=session, item=item, status="done" if filled else "withdrawn", now=now)
    return f"{item.code} 已标记招满，谢谢！还没发出的转发已取消。" if filled else f"{item.code} 已撤回，还没发出的转发已取消。"


def _delete_my_data(session: Session, speaker: Speaker, sender: str) -> str:
    if speaker.kind == "staff":
        return "工作人员的信息由区人社局统一管理，请联系区信息员修改。"
    erased = erase_person(session=session, sender=sender, contact=speaker.contact)
    return erased_reply(erased)
