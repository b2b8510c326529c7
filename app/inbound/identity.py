"""Who is speaking: a staff member, a resident or employer contact, or someone unknown."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import Contact, Staff
from bots.inbound import CHANNEL_MP, Inbound


@dataclass(frozen=True)
class Speaker:
    kind: str  # "staff" | "resident" | "employer" | "unknown"
    staff: Staff | None = None
    contact: Contact | None = None

    @property
    def known(self) -> bool:
        return self.kind != "unknown"

    @property
    def node_id(self) -> int | None:
        if self.staff is not None:
            return self.staff.node_id
        return self.contact.node_id if self.contact is not None else None


def identify(*, session: Session, inbound: Inbound) -> Speaker:
    """OA senders are openids; WeCom app and AI bot senders are WeCom userids."""
    if inbound.channel == CHANNEL_MP:
        contact = session.scalar(select(Contact).where(Contact.openid == inbound.sender))
        return Speaker(contact.kind, contact=contact) if contact else Speaker("unknown")
    staff = session.scalar(select(Staff).where(Staff.userid == inbound.sender))
    if staff is not None:
        return Speaker("staff", staff=staff)
    contact = session.scalar(select(Contact).where(Contact.wecom_userid == inbound.sender))
    return Speaker(contact.kind, contact=contact) if contact else Speaker("unknown")
