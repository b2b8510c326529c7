"""Steward decisions arriving from WeCom: card clicks (template_card_event) and text commands.

Commands name a hop by its number (通过 123, the number in the card's button key) or an item by
its code (通过 J12): a steward has at most one hop per item, so the code is what messages show.
Each returns the passive reply; refusals change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.service import get_staff_by_userid
from relay import intake, messaging, service
from relay.errors import NotAllowed, NotFound, RelayError
from relay.models import Hop, Item
from relay.rules import DeadlinePolicy

DECISION_COMMANDS = ("approve", "reject", "edit")


@dataclass(frozen=True)
class CardClick:
    userid: str
    event_key: str
    task_id: str
    response_code: str


def parse_key(event_key: str) -> tuple[str, int] | None:
    """'approve:12' -> ('approve', 12)."""
    action, _, hop_id = event_key.partition(":")
    if action not in DECISION_COMMANDS or not hop_id.isdigit():
        return None
    return action, int(hop_id)


def apply_card_click(*, session: Session, click: CardClick, now: datetime, base: DeadlinePolicy | None = None) -> str:
    """Apply a click once and return the reply; a second click or a retry changes nothing."""
    parsed = parse_key(click.event_key)
    if parsed is None:
        return messaging.NOT_FOUND
    action, hop_id = parsed
    hop = session.get(Hop, hop_id)
    if hop is None or hop.card_task_id != click.task_id:
        return messaging.NOT_FOUND
    if action == "edit":
        return messaging.edit_howto(hop.item.code)
    return decide_reply(session=session, action=action, hop_id=hop_id, actor=click.userid, now=now,
                        base=base, response_code=click.response_code)


def decide_reply(
    *, session: Session, action: str, hop_id: int, actor: str, now: datetime, text: str = "",
    base: DeadlinePolicy | None = None, response_code: str = "",
) -> str:
    """Run one decision and say what happened (or why nothing did)."""
    try:
        if action == "edit":
            hop = service.edit_hop(session=session, hop_id=hop_id, actor_userid=actor, text=text, now=now)
            return messaging.edited_reply(hop.item.code, hop.text)
        if action == "approve":
            decision = service.approve_hop(session=session, hop_id=hop_id, actor_userid=actor, now=now, base=base,
                                           response_code=response_code)
        else:
            decision = service.reject_hop(session=session, hop_id=hop_id, actor_userid=actor, now=now, reason=text,
                                          response_code=response_code)
    except RelayError as refusal:
        return refusal.reply
    hop = decision.hop
    if not decision.changed:
        return _already(session, hop, response_code=response_code, now=now)
    return messaging.decided_reply(hop.status, hop.item.code, decision.onward)


def _already(session: Session, hop: Hop, *, response_code: str, now: datetime) -> str:
    # A card still showing buttons after a text decision gets its update from this click's code.
    if response_code:
        service.refresh_card(session=session, hop=hop, response_code=response_code, now=now)
    staff = get_staff_by_userid(session=session, userid=hop.decided_by)
    return messaging.already_decided(hop.item.code, hop.status, staff.name if staff else hop.decided_by)


def apply_command(
    *, session: Session, actor: str, command: str, target: str, text: str, now: datetime,
    base: DeadlinePolicy | None = None,
) -> str:
    """`通过 J12`, `驳回 123 原因`, `修改 J12 新文字` from a staff member; the reply."""
    if command == "edit" and not text:
        return messaging.EDIT_NEEDS_TEXT
    try:
        item = service.get_item_by_code(session=session, code=target) if not target.isdigit() else None
        if item is not None and item.status == "held":
            return intake.release_reply(session=session, item=item, actor=actor, command=command, text=text, now=now, base=base)
        hop_id = int(target) if target.isdigit() else hop_for_item(session=session, item=item, actor=actor, code=target)
    except RelayError as refusal:
        return refusal.reply
    return decide_reply(session=session, action=command, hop_id=hop_id, actor=actor, now=now, text=text, base=base)


def hop_for_item(*, session: Session, item: Item | None, actor: str, code: str) -> int:
    """The township hop of this item the actor decides: their own township's, or the one pending."""
    if item is None:
        raise NotFound(messaging.NOT_FOUND)
    staff = get_staff_by_userid(session=session, userid=actor)
    if staff is None or not staff.active:
        raise NotAllowed(messaging.NOT_ALLOWED)
    hops = list(session.scalars(select(Hop).where(Hop.item_id == item.id, Hop.tier == "township", Hop.needs_approval)
                                .order_by(Hop.id)))
    own = [h for h in hops if h.to_node_id == staff.node_id]
    if own:
        return own[0].id
    if staff.role != "district_officer" or not hops:
        raise NotAllowed(messaging.NOT_ALLOWED) if hops else NotFound(messaging.NOT_FOUND)
    pending = [h.id for h in hops if h.status == "pending"]
    if len(pending) > 1:
        raise NotFound(messaging.ambiguous(code, pending))
    return pending[0] if pending else hops[0].id
