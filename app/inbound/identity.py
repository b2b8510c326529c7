"""Who is speaking: a staff member, a resident or employer contact, or someone unknown."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.org.actors import OPENID, STAFF, WECOM_USER, Actor
from app.org.models import Contact, Staff
from bots.inbound import CHANNEL_MP, Inbound


@dataclass(frozen=True)
class Speaker:
    kind: str  # "staff" | "resident" | "employer" | "former_staff" | "unknown"
    actor: Actor  # who they proved to be; decisions take this, never the raw sender string
    staff: Staff | None = None
    contact: Contact | None = None

    @property
    def known(self) -> bool:
        return self.kind not in ("unknown", "former_staff")

    @property
    def node_id(self) -> int | None:
        if self.staff is not None:
            return self.staff.node_id
        return self.contact.node_id if self.contact is not None else None


# Built once: identify runs for every callback (bindparam values are supplied per call).
_CONTACT_BY_OPENID = select(Contact).where(Contact.openid == bindparam("who"))
_CONTACT_BY_USERID = select(Contact).where(Contact.wecom_userid == bindparam("who"))
_STAFF_BY_USERID = select(Staff).where(Staff.userid == bindparam("who"))


def identify(*, session: Session, inbound: Inbound) -> Speaker:
    """OA senders are openids; WeCom app and AI bot senders are WeCom userids."""
    who = {"who": inbound.sender}
    if inbound.channel == CHANNEL_MP:
        # An openid is never staff, however it is spelled.
        actor = Actor(OPENID, inbound.sender)
        contact = session.scalar(_CONTACT_BY_OPENID, who)
        return Speaker(contact.kind, actor, contact=contact) if contact else Speaker("unknown", actor)
    staff = session.scalar(_STAFF_BY_USERID, who)
    if staff is not None and staff.active:
        return Speaker("staff", Actor(STAFF, staff.userid), staff=staff)
    actor = Actor(WECOM_USER, inbound.sender)
    if staff is not None:
        return Speaker("former_staff", actor)  # left the org: no rights, not even a resident's
    contact = session.scalar(_CONTACT_BY_USERID, who)
    return Speaker(contact.kind, actor, contact=contact) if contact else Speaker("unknown", actor)
