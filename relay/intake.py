"""Inbound notes become items: who may post what, from which node, and held notes released.

- a complete seeker note from a resident bound to a village, or typed (or forwarded from the
  village group with 转 …) by that village's staff, naming the resident when the phone matches;
- a complete job post from the district officer, or from a contact of a certified, not
  suspended enterprise (vetting's review 3 screens it: a flagged post is held for the officer);
- a policy notice from the district officer.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.org.models import Contact, Node, Staff
from app.org.service import get_staff_by_userid
from relay import forwarded, messaging, people, service
from relay.errors import NotAllowed
from relay.models import Item
from relay.org_view import load_org
from relay.rules import DeadlinePolicy
from templates_msg.mask import mask
from templates_msg.model import Finding, Understanding
from vetting import flows as vetting_flows
from vetting import service as vetting_service


def origin_of(*, session: Session, kind: str, staff: Staff | None, contact: Contact | None) -> tuple[int, str] | None:
    """(origin node id, author kind) when this speaker may post this kind of item, else None."""
    if kind == "seeker":
        if staff is not None and staff.role in people.VILLAGE_ROLES:
            return staff.node_id, "staff"
        if contact is not None and contact.kind == "resident" and _is_village(session, contact.node_id):
            return contact.node_id, "resident"  # type: ignore[return-value]
        return None
    if staff is not None and staff.role == "district_officer" and kind in ("job", "policy"):
        return staff.node_id, "staff"
    if kind == "job" and contact is not None and contact.kind == "employer":
        if vetting_service.posting_refusal(session=session, contact=contact) is not None:
            return None  # uncertified or suspended (三审: only vetted employers reach residents)
        district = _district_of(session, contact.node_id)
        return (district, "employer") if district is not None else None
    return None


def _is_village(session: Session, node_id: int | None) -> bool:
    return node_id is not None and session.scalar(select(Node.kind).where(Node.id == node_id)) == "village"


def _district_of(session: Session, node_id: int | None) -> int | None:
    # Employers are listed under the district; one without a node belongs to the only district.
    node = session.get(Node, node_id) if node_id is not None else None
    while node is not None and node.kind != "district":
        node = node.parent
    if node is not None:
        return node.id
    return session.scalar(select(Node.id).where(Node.kind == "district").order_by(Node.code).limit(1))


def submit_from_inbound(
    *, session: Session, understanding: Understanding, sender: str, staff: Staff | None, contact: Contact | None,
    now: datetime, base: DeadlinePolicy | None = None, defer: bool = False,
) -> Item | None:
    """The item made from a complete note, or None when this speaker's note is not relayed."""
    kind = understanding.kind
    if kind not in ("seeker", "job", "policy") or not understanding.complete:
        return None
    origin = origin_of(session=session, kind=kind, staff=staff, contact=contact)
    if origin is None:
        return None
    node_id, author_kind = origin
    screened = author_kind == "employer" and contact is not None
    item = service.submit_item(
        session=session, kind=kind, origin_node_id=node_id, author_ref=sender, author_kind=author_kind,
        understanding=understanding, now=now, base=base, defer=defer or screened,
    )
    if kind == "seeker" and author_kind == "staff":  # forwarded from the group: whose note is it?
        resident = forwarded.resident_by_phone(session=session, village_id=node_id,
                                               phone=understanding.fields.get("phone"))  # type: ignore[arg-type]
        item.resident_id = resident.id if resident else None
    if screened:
        # Review 3 runs before routing, in the same transaction: a flagged post is held, never sent.
        text = understanding.original or understanding.masked
        vetting_flows.screen_job(session=session, item=item, contact=contact, text=text,  # type: ignore[arg-type]
                                 fields=dict(understanding.fields), now=now)
        if not defer and item.status == "queued":
            service.start_queued_item(session=session, item=item, now=now, base=base)
    return item


def stored_understanding(item: Item) -> Understanding:
    """The item as templates_msg saw it, rebuilt from what was stored (never the raw text)."""
    fields = json.loads(item.fields_json) if item.fields_json else {}
    suspects = tuple(Finding("suspect", 0, 0, value, "") for value in fields.pop(service.SUSPECTS_KEY, []))
    return Understanding(
        kind=item.kind, fields=fields, masked=item.masked_text,  # type: ignore[arg-type]
        hold_reason=item.hold_reason or None, suspects=suspects,
    )


def start_queued_items(
    *, session_factory: sessionmaker[Session], now: datetime, limit: int = 50, base: DeadlinePolicy | None = None
) -> int:
    """Route items the webhook queued (oldest first); how many were started.

    On PostgreSQL rows are claimed with FOR UPDATE SKIP LOCKED, so any number of workers may
    run this at once; each item is routed exactly once, in the same transaction as its hops.
    """
    with session_factory() as session:
        query = select(Item).where(Item.status == "queued").order_by(Item.id).limit(limit)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        items = session.scalars(query).all()
        for item in items:
            service.start_queued_item(session=session, item=item, now=now, base=base)
        session.commit()
        return len(items)


def release_reply(
    *, session: Session, item: Item, actor: str, command: str, text: str, now: datetime,
    base: DeadlinePolicy | None = None,
) -> str:
    """Village staff checked a held note: relay it (corrected if they typed text) or drop it."""
    staff = get_staff_by_userid(session=session, userid=actor)
    if staff is None or not staff.active or staff.node_id != item.origin_node_id or staff.role not in people.VILLAGE_ROLES:
        raise NotAllowed(messaging.NOT_ALLOWED)
    if command == "reject":
        item.status = "rejected"
        people.notify_author(session=session, item=item, content=messaging.rejected_notice(item.code, text), now=now)
        return messaging.decided_reply("rejected", item.code, 0)
    if text:
        item.masked_text = mask(text).text  # staff wording is masked like the resident's
    item.status, item.hold_reason = "relaying", ""
    understanding = stored_understanding(item)
    service.start_relay(session=session, item=item, understanding=understanding, org=load_org(session=session),
                        now=now, base=base)
    return messaging.released(item.code)
