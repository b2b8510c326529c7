"""Who the relay talks to: the steward who gets the card, who may decide, who is told what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import Contact, Node, Staff
from app.org.service import get_stewards, list_staff
from relay import messaging, outbox
from relay.models import Delivery, Hop, Item
from relay.org_view import OrgView

VILLAGE_ROLES = ("village_head", "hr_specialist", "volunteer")
# Held notes go to the people who can check them in person; the volunteer only helps residents.
HOLD_ROLES = ("hr_specialist", "village_head")


def card_recipient(*, session: Session, township_id: int, org: OrgView) -> Staff | None:
    """The steward first, the backup if there is none, else a district officer."""
    stewards = get_stewards(session=session, township_id=township_id)
    if stewards:
        return stewards[0]
    officers = district_officers(session=session, node_id=township_id, org=org)
    return officers[0] if officers else None


def district_officers(*, session: Session, node_id: int, org: OrgView) -> list[Staff]:
    district = org.up_to(node_id, "district")
    return list_staff(session=session, node_id=district.id, roles=("district_officer",)) if district else []


def may_decide(*, session: Session, staff: Staff, township_id: int) -> bool:
    """The steward or backup of that township, or an officer of its district (issue 4, item 3);
    nobody who has left (issue 11, item 2)."""
    if not staff.active:
        return False
    if staff.role in ("township_steward", "backup_steward"):
        return staff.node_id == township_id
    if staff.role == "district_officer":
        township = session.get(Node, township_id)
        return township is not None and township.parent_id == staff.node_id
    return False


def card_holder(*, session: Session, hop: Hop) -> str | None:
    """The userid the hop's latest approval card was sent to (update_template_card needs it);
    a card handed over when its holder left is newer than theirs."""
    return session.scalar(select(Delivery.target).where(Delivery.hop_id == hop.id, Delivery.purpose == "card")
                          .order_by(Delivery.id.desc()).limit(1))


def escalation_targets(*, session: Session, township_id: int, org: OrgView) -> list[Staff]:
    """Backup stewards and district officers (the steward already had the card and the reminder)."""
    backups = list_staff(session=session, node_id=township_id, roles=("backup_steward",))
    return backups + district_officers(session=session, node_id=township_id, org=org)


def notify_village_staff_of_hold(*, session: Session, item: Item, org: OrgView, text: str, now: datetime) -> int:
    """Tell the village staff a note waits for their check; how many were told."""
    village = org.nodes.get(item.origin_node_id)
    staff = list_staff(session=session, node_id=item.origin_node_id, roles=HOLD_ROLES)
    content = messaging.held_notice(item.code, village.name if village else "", item.hold_reason, text)
    for person in staff:
        outbox.to_person(session=session, purpose="notice", userid=person.userid, content=content, now=now, item_id=item.id)
    return len(staff)


def notify_author(*, session: Session, item: Item, content: str, now: datetime, key: str | None = None) -> None:
    """A note to whoever posted the item: OA residents by openid, WeCom users by userid."""
    if not item.author_ref:
        return
    by_openid = session.scalar(select(Contact.id).where(Contact.openid == item.author_ref))
    channel = "mp" if by_openid is not None else "app"
    outbox.to_person(session=session, purpose="notice", userid=item.author_ref, content=content, now=now,
                     item_id=item.id, channel=channel, key=f"{key}:{channel}:{item.author_ref}" if key else None)


def stewards(*, session: Session, township_id: int) -> list[Staff]:
    """Steward(s) then backup(s): everyone who receives the township's daily digest."""
    return get_stewards(session=session, township_id=township_id)


def village_heads(*, session: Session, village_id: int) -> list[Staff]:
    """The village head answers for 信息不过夜; the HR specialist covers a village without one."""
    heads = list_staff(session=session, node_id=village_id, roles=("village_head",))
    return heads or list_staff(session=session, node_id=village_id, roles=("hr_specialist",))
