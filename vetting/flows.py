"""Inbound flows of vetting, called by app/inbound/handlers.py: registration messages, officer
card clicks and commands, residents' reports, employers' job posts. Each returns the reply."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.actors import Actor
from app.org.models import Contact
from relay.models import Item
from vetting import membership, messaging, notify, posts, service
from vetting.errors import NotAllowed, NotFound, VettingError
from vetting.models import VettingCard
from vetting.redflags import LABELS, red_flags
from vetting.review import STATUS_LABELS

REPLACE_NAMES = {"approve": "已通过", "reject": "请回复驳回原因"}


def is_vetting_task(task_id: str) -> bool:
    return task_id.startswith(notify.TASK_PREFIX)


def _item_by_code(session: Session, code: str) -> Item | None:
    if not code[:1].upper() == "J" or not code[1:].isdigit():
        return None
    return session.scalar(select(Item).where(Item.id == int(code[1:]), Item.kind == "job"))


def owns_decision(*, session: Session, command: str, target: str) -> bool:
    """True for E-codes, and for J-codes of posts that wait for review 3 (relay decides the rest)."""
    if command not in ("approve", "reject", "suspend", "reinstate") or not target:
        return False
    if target.upper().startswith("E"):
        return True
    item = _item_by_code(session, target)
    review = posts.review_of(session=session, item_id=item.id) if item is not None else None
    return review is not None and review.status in ("held", "reported")


def decide(*, session: Session, actor: Actor, command: str, target: str, text: str, now: datetime,
           stage: str | None = None) -> str:
    """Run an officer's decision on an enterprise (E12) or a held post (J12); the reply.
    `stage`: the review of the card clicked (a text command decides the current one)."""
    try:
        if target.upper().startswith("E"):
            enterprise = service.get_by_code_or_raise(session=session, code=target)
            service.decide(session=session, enterprise_id=enterprise.id, action=command, actor=actor, now=now,
                           reason=text, stage=stage)
            return messaging.decided(enterprise.code, command, STATUS_LABELS[enterprise.status])
        item = _item_by_code(session, target)
        if item is None:
            raise NotFound(messaging.NOT_FOUND)
        posts.check_post_officer(session=session, actor=actor, item=item)
        review = posts.decide(session=session, item=item, action=command, actor=actor, reason=text, now=now,
                              stage=stage)
        _tell_author(session, item, approved=review.status == "published", reason=review.reason, now=now)
        return messaging.decided(item.code, command, messaging.post_status(review.status))
    except VettingError as refusal:
        return refusal.reply


def _tell_author(session: Session, item: Item, *, approved: bool, reason: str, now: datetime) -> None:
    contact = session.scalar(select(Contact).where(
        (Contact.openid == item.author_ref) | (Contact.wecom_userid == item.author_ref)))
    if contact is not None:
        notify.to_contact(session=session, contact=contact, content=messaging.post_decided(item.code, approved, reason),
                          now=now, key=f"postdecided:{item.id}")


def card_click(*, session: Session, actor: Actor, event_key: str, task_id: str, response_code: str,
               now: datetime) -> str:
    """A click on a vetting card: 通过 decides at once; 驳回 asks for the reason by text."""
    card = session.scalar(select(VettingCard).where(VettingCard.task_id == task_id))
    action, _, code = event_key.partition(":")
    userid = actor.staff_userid
    if card is None or userid is None or card.userid != userid or action not in ("vapprove", "vreject"):
        return messaging.NOT_FOUND
    if action == "vreject":
        return messaging.REJECT_NEEDS_REASON.replace("E12", code)
    reply = decide(session=session, actor=actor, command="approve", target=code, text="", now=now, stage=card.stage)
    # The decision updated every card whose response_code is known (notify.close_cards), this
    # one included; a card not known yet is updated with the click's own code.
    if reply.startswith("已通过") and not card.response_code:
        notify.card_update(session=session, userid=userid, response_code=response_code,
                           replace_name=REPLACE_NAMES["approve"], now=now)
    return reply


def report(*, session: Session, reporter: str, target: str, text: str, now: datetime) -> str:
    try:
        return posts.report(session=session, item=_item_by_code(session, target), reporter=reporter,
                            reason=text, now=now)
    except VettingError as refusal:
        return refusal.reply


def screen_job(*, session: Session, item: Item, contact: Contact, text: str, fields: dict, now: datetime) -> None:
    """Review 3 of a new post by an employer contact (called by relay/intake.py)."""
    enterprise = service.enterprise_of_contact(session=session, contact_id=contact.id)
    if enterprise is None:
        raise NotAllowed(messaging.NOT_CERTIFIED_POST)
    phones = membership.registered_phones(session=session, enterprise=enterprise)
    flags = red_flags(text, fields, registered_phones=phones)
    posts.screen(session=session, item=item, enterprise=enterprise, flags=flags, actor=item.author_ref, now=now)


def post_reply(*, session: Session, item: Item, summary: str) -> str:
    """What the employer hears after posting: published at once, or held for review with reasons."""
    review = posts.review_of(session=session, item_id=item.id)
    if review is not None and review.status == "held":
        return messaging.post_held(item.code, "、".join(_label(f) for f in review.flags))
    return messaging.post_submitted(item.code, summary)


def _label(flag: dict) -> str:
    return LABELS.get(flag["code"], flag["code"])

