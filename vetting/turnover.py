"""Officers who left: their review cards still waiting for a decision go to the district's
officers who have none (issue 11, item 2). Review cards go to every officer of a district, so
this matters when the last officer holding one leaves, e.g. a replacement listed in the same
org import. Called by the org import after it deactivated them."""

from __future__ import annotations

import copy
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from relay import outbox
from relay.models import Delivery
from relay.turnover import HandOver
from vetting import notify
from vetting.models import Enterprise, PostReview, VettingCard
from vetting.review import STAGE_OF

POST_STAGES = {"held": "post", "reported": "report"}


def _pending(session: Session, card: VettingCard) -> tuple[str, int | None] | None:
    """(code, district) of the card's subject when it still waits at the card's stage."""
    if card.subject == "enterprise":
        enterprise = session.get(Enterprise, card.subject_id)
        if enterprise is not None and STAGE_OF.get(enterprise.status) == card.stage:
            return enterprise.code, enterprise.district_id
        return None
    review = session.scalar(select(PostReview).where(PostReview.item_id == card.subject_id))
    if review is None or POST_STAGES.get(review.status) != card.stage:
        return None
    enterprise = session.get(Enterprise, review.enterprise_id) if review.enterprise_id else None
    return f"J{card.subject_id}", enterprise.district_id if enterprise else None


def hand_over_review_cards(*, session: Session, userids: list[str], now: datetime) -> list[HandOver]:
    cards = list(session.scalars(select(VettingCard).where(VettingCard.userid.in_(userids)).order_by(VettingCard.id)))
    moved: list[HandOver] = []
    for card in cards:
        pending = _pending(session, card)
        old = session.scalar(select(Delivery).where(Delivery.dedupe_key == f"vetcard:{card.task_id}"))
        if pending is None or old is None:
            continue
        code, district_id = pending
        holders = set(session.scalars(select(VettingCard.userid).where(
            VettingCard.subject == card.subject, VettingCard.subject_id == card.subject_id,
            VettingCard.stage == card.stage)))
        for officer in notify.district_officers(session=session, district_id=district_id):
            if officer.userid in holders:
                continue
            task_id = f"{notify.TASK_PREFIX}{card.subject[0]}{card.subject_id}_{card.stage[:4]}_{secrets.token_hex(6)}"
            session.add(VettingCard(task_id=task_id, userid=officer.userid, subject=card.subject,
                                    subject_id=card.subject_id, stage=card.stage, created_at=now))
            payload = copy.deepcopy(old.payload)
            payload["card"]["task_id"] = task_id
            outbox.enqueue(session=session, purpose="card", channel="app", target=officer.userid, payload=payload,
                           now=now, key=f"vetcard:{task_id}")
            holders.add(officer.userid)
            moved.append(HandOver(f"{code} ({card.stage} review)", card.userid, officer.userid))
    return moved
