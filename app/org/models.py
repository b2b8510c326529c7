"""Tables of the org tree."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UtcDateTime, utcnow
from app.privacy import EncryptedText

NODE_KINDS = ("district", "township", "village")
GROUP_PURPOSES = ("employers", "stewards", "residents")
# What a group is (issue 9): `internal` (appchat or robot; every member is staff), `customer` (a WeCom
# customer group: add_msg_template tasks its owner confirms, §2.7) or `manual` (an ordinary WeChat
# group a staff member relays into by hand). Only customer and manual groups hold residents or employers.
GROUP_KINDS = ("internal", "customer", "manual")
INTERNAL_CHANNELS = ("appchat", "robot")
# How a group is reached: app-created internal group, group robot (§2.4/§2.5), customer-group task
# (§2.7), or a person's hand.
GROUP_CHANNELS = ("appchat", "robot", "customer_group", "manual")
HAND_CHANNELS = ("customer_group", "manual")  # a person confirms each delivery (relay/group_tasks.py)
STAFF_ROLES = (
    "district_officer",
    "township_steward",
    "backup_steward",
    "village_head",
    "hr_specialist",
    "volunteer",
    "trainer",
)
CONTACT_KINDS = ("resident", "employer")


class Node(Base):
    __tablename__ = "nodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id"), index=True)
    # Per-node overrides of routing and deadline defaults (service hours, auto-approve, ...).
    overrides: Mapped[dict] = mapped_column(JSON, default=dict)

    parent: Mapped[Node | None] = relationship(remote_side="Node.id", back_populates="children")
    children: Mapped[list[Node]] = relationship(back_populates="parent")
    groups: Mapped[list[ChatGroup]] = relationship(back_populates="node")
    staff: Mapped[list[Staff]] = relationship(back_populates="node")


class ChatGroup(Base):
    __tablename__ = "chat_groups"
    __table_args__ = (UniqueConstraint("node_id", "purpose"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(16))
    # appchat: chatid; robot: webhook key; customer_group: the customer group's chat_id;
    # manual: "manual:<node code>" (no API address).
    address: Mapped[str] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(16), default="internal", server_default="internal")
    # customer: the owner who confirms add_msg_template tasks; manual: the staff member who relays.
    owner_userid: Mapped[str | None] = mapped_column(String(64))
    # A residents'/employers' group on appchat/robot the bureau knowingly runs with staff only.
    internal_pilot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    node: Mapped[Node] = relationship(back_populates="groups")


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    userid: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(32), index=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"), index=True)
    mobile: Mapped[str | None] = mapped_column(EncryptedText)
    # Staff who left (absent from the org file, or `left: true`) keep their row for the records
    # and the dashboard, and lose every right: lookups that grant anything check `active`.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    left_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    node: Mapped[Node] = relationship(back_populates="staff")


class Contact(Base):
    """A resident or an employer's contact, known by an OA openid and/or a WeCom userid."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    openid: Mapped[str | None] = mapped_column(String(64), unique=True)
    wecom_userid: Mapped[str | None] = mapped_column(String(64), unique=True)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id"), index=True)
    name: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    # How the binding happened (QR scene, org file, registration), for the bureau's records.
    bound_via: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    node: Mapped[Node | None] = relationship()
