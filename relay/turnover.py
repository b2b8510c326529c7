"""Staff who left: their pending approval cards go to whoever now serves the township
(issue 11, item 2). Called by the org import after it deactivated them."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from relay import outbox, people
from relay.models import Delivery, Hop, Item
from relay.org_view import load_org


@dataclass(frozen=True)
class HandOver:
    card: str  # what the card is about, e.g. "S41 (hop 88)"
    from_userid: str
    to_userid: str | None  # None: nobody serves the township any more


def hand_over_cards(*, session: Session, userids: list[str], now: datetime) -> list[HandOver]:
    """A fresh card (new task_id) to the current approver for every pending hop whose card
    one of `userids` holds; the old card's clicks no longer match the hop."""
    if not userids:
        return []
    rows = session.execute(
        select(Hop, Delivery).join(Delivery, (Delivery.hop_id == Hop.id) & (Delivery.purpose == "card"))
        .where(Hop.status == "pending", Delivery.target.in_(userids)).order_by(Hop.id, Delivery.id.desc())
    ).all()
    org = load_org(session=session)
    moved: list[HandOver] = []
    seen: set[int] = set()
    for hop, old in rows:
        if hop.id in seen or people.card_holder(session=session, hop=hop) != old.target:
            continue  # the card already moved on (this hop's latest card is someone else's)
        seen.add(hop.id)
        item = session.get(Item, hop.item_id)
        assert item is not None
        approver = people.card_recipient(session=session, township_id=hop.to_node_id, org=org)
        if old.status == "queued":
            old.status = "cancelled"  # never sent: the person who left will not see it
        if approver is not None:
            hop.card_task_id = outbox.new_task_id(hop.id)
            card = copy.deepcopy(old.payload["card"])
            card["task_id"] = hop.card_task_id  # §2.2: task_id is unique per app, so a new card needs a new one
            outbox.enqueue(session=session, purpose="card", channel="app", target=approver.userid,
                           payload={"msgtype": "template_card", "card": card}, now=now, item_id=item.id,
                           hop_id=hop.id, key=f"card:{hop.card_task_id}")
        moved.append(HandOver(f"{item.code} (hop {hop.id})", old.target, approver.userid if approver else None))
    return moved
