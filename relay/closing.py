"""Closing an item everywhere at once: 招满了, 撤回, a suspended enterprise, a rejected review.

A closed item must not move again anywhere (issue 11, item 5): every township hop still waiting
expires under the same row lock a decision takes (relay/service.py `lock_hop`), so a click
racing the close either finished first or finds the hop expired; the steward's card says why
instead of offering buttons; posts, cards, reminders and escalations not yet sent are cancelled.
Posts already in a group stay there (appchat and robot messages cannot be recalled, §2.4-2.5).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from relay import messaging, outbox, people, service
from relay.models import Delivery, Hop, Item

CLOSED_STATUSES = ("done", "withdrawn")  # done: 招满了
# What a closed item no longer sends; notices (to the author, withdrawal notices) still go.
STOPPED_PURPOSES = ("relay", "card", "reminder", "escalation")


def close_item(*, session: Session, item: Item, status: str, now: datetime) -> int:
    """Give the item its final status and stop everything about it; how many hops expired."""
    if status not in CLOSED_STATUSES:
        raise ValueError(f"not a closing status: {status!r}")
    item.status, item.closed_at = status, now
    session.execute(update(Delivery)
                    .where(Delivery.item_id == item.id, Delivery.status == "queued",
                           Delivery.purpose.in_(STOPPED_PURPOSES))
                    .values(status="cancelled"))
    waiting = session.scalars(select(Hop.id).where(Hop.item_id == item.id, Hop.status == "pending")).all()
    expired = 0
    for hop_id in waiting:
        hop = service.lock_hop(session=session, hop_id=hop_id)
        if hop is None or hop.status != "pending":
            continue  # decided a moment ago by someone else: that decision stands
        hop.status, hop.decided_at, hop.decided_by = "expired", now, "closed"
        holder = people.card_holder(session=session, hop=hop)
        if holder:
            outbox.card_update(session=session, hop=hop, userid=holder, response_code=hop.card_response_code,
                               replace_name=messaging.closed_card(status), now=now)
        expired += 1
    item.status = status  # lock_hop re-read the item; keep the status this close gives it
    return expired
