"""Tables of the join flow: each village's join QR (cached), the join QRs owed to residents who
scanned, customer-group membership as WeCom last reported it, and which groups need a re-read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UtcDateTime, utcnow

# not_owed: the scan is on record, but the village has no customer group whose QR could be sent.
INVITATION_STATUSES = ("pending", "sending", "sent", "failed", "not_owed")


class VillageJoinWay(Base):
    """A village's "join group" QR (add_join_way, §2.6): made once, reused for every resident."""

    __tablename__ = "village_join_ways"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"), unique=True)
    chat_id: Mapped[str] = mapped_column(String(64))
    config_id: Mapped[str] = mapped_column(String(64))
    # Echoed per member by groupchat/get: how coverage knows who came through this village's QR.
    state: Mapped[str] = mapped_column(String(30), index=True)
    qr_code: Mapped[str] = mapped_column(String(512))
    # The QR image uploaded to the Official Account; temporary media live 3 days.
    media_id: Mapped[str | None] = mapped_column(String(128))
    media_uploaded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class JoinInvitation(Base):
    """A resident scanned a village code (every scan is kept); when the village has a customer group,
    its join QR is owed to them as an image message."""

    __tablename__ = "join_invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), index=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"), index=True)
    event: Mapped[str] = mapped_column(String(16))  # subscribe | SCAN
    scanned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str] = mapped_column(String(300), default="")


class CustomerGroupMember(Base):
    """One member of a customer group as groupchat/get last reported it; `left_at` once gone."""

    __tablename__ = "customer_group_members"
    __table_args__ = (UniqueConstraint("chat_id", "userid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), index=True)
    userid: Mapped[str] = mapped_column(String(64))  # staff userid or external_userid (wm…)
    member_type: Mapped[int] = mapped_column(Integer)  # 1 staff, 2 external contact
    join_time: Mapped[datetime | None] = mapped_column(UtcDateTime)
    join_scene: Mapped[int] = mapped_column(Integer, default=0)  # 1 invited, 2 link, 3 QR scan
    state: Mapped[str] = mapped_column(String(30), default="", index=True)
    invitor: Mapped[str] = mapped_column(String(64), default="")
    left_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    synced_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CustomerGroupSync(Base):
    """A change_external_chat said the group changed: read it again with groupchat/get."""

    __tablename__ = "customer_group_syncs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), unique=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    member_version: Mapped[str] = mapped_column(String(64), default="")
    last_error: Mapped[str] = mapped_column(String(300), default="")
