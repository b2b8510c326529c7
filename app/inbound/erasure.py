"""删除我的信息 (个人信息删除权): erase a resident's or employer contact's words everywhere the
system copied them, and say exactly what was erased and what was kept.

Copies of what a person wrote live in: their inbound messages and our replies, an unfinished
note, the items they posted (raw text, parsed fields, masked text), each item's hops, every
delivery of those items (the approval cards, the relayed posts, the card updates), messages we
sent them, their report reasons (and the audit events that quote them) and a registration
dialogue's answers. (The append-only audit log never quotes them.) Rows stay as tombstones so the bureau's anonymous counts (items per day,
on-time rates) do not change; the text is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.inbound.models import InboundMessage, PartialNote
from app.org.models import Contact
from relay import service as relay_service
from relay.match.models import MatchOccupation, MatchProfile, MatchQuery, MatchSubscription
from relay.models import Delivery, Hop, Item
from vetting.models import PostReport, RegistrationDialogue

TOMBSTONE = "（本人已要求删除）"
OPEN_STATUSES = ("queued", "held", "relaying")
# Rows a dispatcher is not working on: their payload can be rewritten safely.
AT_REST = ("queued", "sent", "failed", "cancelled", "unknown")


@dataclass
class Erased:
    items: int = 0
    withdrawn: int = 0
    deliveries: int = 0
    reports: int = 0
    dialogue: bool = False
    contact: bool = False


def erase_person(*, session: Session, sender: str, contact: Contact | None) -> Erased:
    """Erase everything `sender` (an openid or WeCom userid) wrote; what was erased."""
    erased = Erased()
    if contact is not None:
        erased.contact = bool(contact.name or contact.phone)
        contact.name, contact.phone = None, None
    session.execute(delete(PartialNote).where(PartialNote.sender == sender))
    session.execute(delete(MatchQuery).where(MatchQuery.sender == sender))
    session.execute(delete(MatchSubscription).where(MatchSubscription.openid == sender))
    session.execute(update(InboundMessage).where(InboundMessage.sender == sender).values(content=None, reply=None))
    _erase_items(session, sender, contact, erased)
    erased.deliveries += _tombstone_deliveries(session, Delivery.target == sender)
    _erase_reports(session, sender, erased)
    for dialogue in session.scalars(select(RegistrationDialogue).where(RegistrationDialogue.sender == sender)):
        dialogue.answers, erased.dialogue = "{}", True
        if dialogue.state != "submitted":
            dialogue.state = "cancelled"
    return erased


def _erase_items(session: Session, sender: str, contact: Contact | None, erased: Erased) -> None:
    mine = relay_service.items_of(sender=sender, contact_id=contact.id if contact else None)
    items = list(session.scalars(select(Item).where(mine)))
    for item in items:
        item.raw_text, item.fields_json, item.masked_text, item.hold_reason = None, None, TOMBSTONE, ""
        if item.status in OPEN_STATUSES:
            item.status, erased.withdrawn = "withdrawn", erased.withdrawn + 1
    ids = [item.id for item in items]
    erased.items = len(ids)
    if not ids:
        return
    # Matching keeps what the note said it can do and wants (relay/match): gone with the note.
    session.execute(delete(MatchOccupation).where(MatchOccupation.item_id.in_(ids)))
    session.execute(delete(MatchProfile).where(MatchProfile.item_id.in_(ids)))
    session.execute(update(Hop).where(Hop.item_id.in_(ids)).values(text=TOMBSTONE, decision_note=""))
    session.execute(update(Delivery).where(Delivery.item_id.in_(ids), Delivery.status.in_(("queued", "failed")))
                    .values(status="cancelled"))
    erased.deliveries += _tombstone_deliveries(session, Delivery.item_id.in_(ids))


def _tombstone_deliveries(session: Session, where) -> int:
    rows = list(session.scalars(select(Delivery).where(where, Delivery.status.in_(AT_REST))))
    for row in rows:
        row.payload = {"msgtype": row.payload.get("msgtype", "text"), "content": TOMBSTONE, "erased": True}
        if row.status == "queued":
            row.status = "cancelled"  # a message to them, not yet sent: it would repeat their words
    return len(rows)


def _erase_reports(session: Session, sender: str, erased: Erased) -> None:
    reports = list(session.scalars(select(PostReport).where(PostReport.reporter == sender)))
    for report in reports:
        report.reason = TOMBSTONE
    erased.reports = len(reports)
    # The append-only audit log records that a report happened (it counts toward suspending a
    # post), never its words (vetting/posts.py), so there is nothing to erase there.


def erased_reply(erased: Erased) -> str:
    """Exactly what went, what stayed and why (Chinese, for the person who asked)."""
    parts = []
    if erased.contact:
        parts.append("姓名和电话")
    parts.append(f"{erased.items} 条您发布的信息的原文和转发文字（含审批卡片和群发记录里的副本）")
    if erased.withdrawn:
        parts.append(f"其中 {erased.withdrawn} 条还没发完，已撤回")
    if erased.reports:
        parts.append(f"{erased.reports} 条举报的理由")
    if erased.dialogue:
        parts.append("企业认证时填写的内容")
    return (
        "已删除：" + "；".join(parts) + "。\n"
        "保留：这些信息的条数和日期（不含内容，只用于匿名统计）；您和所在村的绑定（好给您推送岗位，取消关注公众号即可解除）；"
        "已认证企业的登记资料（属于企业的备案）。\n"
        "已经发到微信群里的消息本系统无法撤回，如需撤下请联系村里的人社服务专员。"
    )
