"""Outbox rows vetting writes (docs/relay.md, "Delivery rows"): officer cards, card updates,
texts to employers, withdrawal notices. Nothing here sends; the dispatcher does."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.actors import Actor
from app.org.models import Contact, Node, Staff
from relay import outbox
from relay.messaging import shorten
from vetting.models import VettingCard

# §2.2: task_id is [0-9A-Za-z_-@], at most 128 bytes and unique per app. The "vet" prefix is
# how the inbound card-click handler tells vetting's cards from relay's ("hop...").
TASK_PREFIX = "vet"


def district_officers(*, session: Session, district_id: int | None) -> list[Staff]:
    query = select(Staff).where(Staff.role == "district_officer", Staff.active).order_by(Staff.id)
    if district_id is not None:
        query = query.where(Staff.node_id == district_id)
    return list(session.scalars(query))


def first_district(*, session: Session) -> int | None:
    return session.scalar(select(Node.id).where(Node.kind == "district").order_by(Node.code).limit(1))


def review_card(
    *, session: Session, subject: str, subject_id: int, stage: str, title: str, desc: str,
    rows: list[dict[str, Any]], code: str, district_id: int | None, now: datetime,
) -> int:
    """A 通过/驳回 card to every officer of the district; how many were written."""
    officers = district_officers(session=session, district_id=district_id)
    for officer in officers:
        task_id = f"{TASK_PREFIX}{subject[0]}{subject_id}_{stage[:4]}_{secrets.token_hex(6)}"
        session.add(VettingCard(task_id=task_id, userid=officer.userid, subject=subject, subject_id=subject_id,
                                stage=stage, created_at=now))
        card = {
            "card_type": "button_interaction",
            "main_title": {"title": shorten(title, 36), "desc": shorten(desc, 44)},
            "sub_title_text": f"回复“驳回 {code} 原因”可写明驳回理由",
            "horizontal_content_list": rows[:6],
            "task_id": task_id,
            "button_list": [
                {"text": "通过", "style": 1, "key": f"vapprove:{code}"},
                {"text": "驳回", "style": 2, "key": f"vreject:{code}"},
            ],
        }
        outbox.enqueue(session=session, purpose="card", channel="app", target=officer.userid,
                       payload={"msgtype": "template_card", "card": card}, now=now,
                       key=f"vetcard:{task_id}")
    return len(officers)


def card_update(*, session: Session, userid: str, response_code: str, replace_name: str, now: datetime) -> None:
    if response_code:
        outbox.enqueue(session=session, purpose="card_update", channel="app", target=userid,
                       payload={"msgtype": "update_card", "response_code": response_code, "replace_name": replace_name},
                       now=now, key=f"vetupdate:{response_code}"[:200])


DECISION_VERBS = {"approve": "通过", "reject": "驳回"}


def close_cards(*, session: Session, subject: str, subject_id: int, stage: str, action: str, actor: Actor,
                now: datetime) -> int:
    """Every officer's card of this review shows the decision in place of its buttons: "已通过"
    on the decider's own card, "已由某某通过" on the others'; how many cards were updated.

    A card the dispatcher has not sent yet (no response_code) cannot be updated; a click on it
    later is answered with the review's current state.
    """
    verb = DECISION_VERBS.get(action)
    if verb is None:
        return 0
    userid = actor.staff_userid  # an admin-token decision is the bureau's, not a person's
    name = (session.scalar(select(Staff.name).where(Staff.userid == userid)) if userid else None) or "区人社局"
    cards = session.scalars(select(VettingCard).where(VettingCard.subject == subject, VettingCard.subject_id == subject_id,
                                                      VettingCard.stage == stage, VettingCard.response_code != ""))
    updated = 0
    for card in cards:
        shown = f"已{verb}" if card.userid == userid else f"已由{name}{verb}"
        card_update(session=session, userid=card.userid, response_code=card.response_code, replace_name=shown, now=now)
        updated += 1
    return updated


def to_contact(*, session: Session, contact: Contact, content: str, now: datetime, key: str) -> None:
    """A text to an employer contact: by OA when they have an openid, else by the WeCom app."""
    channel, target = ("mp", contact.openid) if contact.openid else ("app", contact.wecom_userid)
    if target:
        outbox.to_person(session=session, purpose="notice", userid=target, content=content, now=now,
                         channel=channel, key=f"{key}:{channel}:{target}"[:200])


def to_officers(*, session: Session, district_id: int | None, content: str, now: datetime, key: str) -> None:
    for officer in district_officers(session=session, district_id=district_id):
        outbox.to_person(session=session, purpose="notice", userid=officer.userid, content=content, now=now,
                         key=f"{key}:{officer.userid}"[:200])


def to_group(*, session: Session, channel: str, address: str, content: str, now: datetime, key: str,
             group_id: int | None = None) -> None:
    outbox.enqueue(session=session, purpose="notice", channel=channel, target=address,
                   payload=outbox.text_payload(content), now=now, group_id=group_id, key=key[:200])
