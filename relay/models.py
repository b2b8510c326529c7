"""Items, hops and deliveries (see shared/DESIGN.md, "Items, hops, deliveries").

An item moves between tiers as hops; each hop that reaches groups or people fans out into
deliveries, the outbox rows the dispatcher sends. Submitting an item writes the item, its
first hops and their deliveries in one transaction, so nothing is lost between steps.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UtcDateTime, utcnow
from app.privacy import EncryptedText

ITEM_KINDS = ("job", "seeker", "policy", "graduates")
# held: waits for village staff (masking unsure) or officer review (red flags).
ITEM_STATUSES = ("held", "relaying", "done", "rejected", "withdrawn")
HOP_STATUSES = ("pending", "approved", "rejected", "expired")
# awaiting: in a group task (customer group / manual relay) that a person has not confirmed yet.
# unknown: an appchat/robot send WeCom may have carried out without confirming it (never resent).
DELIVERY_STATUSES = ("queued", "sending", "awaiting", "sent", "failed", "cancelled", "unknown")
# creating: add_msg_template not answered yet; pending: waits for the owner (or the relayer's click);
# confirmed: sent into the group; refused: the group's daily quota was spent (rows retried next day);
# failed: WeCom refused the task for good (rows failed, escalated).
GROUP_TASK_STATUSES = ("creating", "pending", "confirmed", "refused", "failed")


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="relaying")
    origin_node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"), index=True)
    author_ref: Mapped[str] = mapped_column(String(64), default="")  # WeCom userid or OA openid
    author_kind: Mapped[str] = mapped_column(String(16), default="")  # staff | resident | employer
    # A note village staff forwarded from the residents' group: the resident it is from, when known.
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Masked text as it is relayed; safe to keep in plain text.
    masked_text: Mapped[str] = mapped_column(Text)
    # A job's occupation in the shared vocabulary (叉车工, 保洁员): public, so queries can match it.
    title: Mapped[str | None] = mapped_column(String(50), index=True)
    # Parsed fields include phone numbers, so they are encrypted (JSON inside).
    fields_json: Mapped[str | None] = mapped_column(EncryptedText)
    raw_text: Mapped[str | None] = mapped_column(EncryptedText)
    # Township node ids a job targets; null = every township.
    target_township_ids: Mapped[list | None] = mapped_column(JSON)
    hold_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # filled / withdrawn

    hops: Mapped[list[Hop]] = relationship(back_populates="item", order_by="Hop.id")

    @property
    def code(self) -> str:
        """What people type in commands: J12 (job), S7 (seeker), P3 (policy), G2 (graduates)."""
        return {"job": "J", "seeker": "S", "policy": "P", "graduates": "G"}.get(self.kind, "I") + str(self.id)


class Hop(Base):
    __tablename__ = "hops"
    __table_args__ = (UniqueConstraint("item_id", "to_node_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    from_node_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id"))
    to_node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"), index=True)
    tier: Mapped[str] = mapped_column(String(16))  # tier of to_node: district | township | village
    status: Mapped[str] = mapped_column(String(16), index=True, default="pending")
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    # The text relayed onward; a steward may edit it before approving (the "translation" step).
    text: Mapped[str] = mapped_column(Text)
    arrived_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[str] = mapped_column(String(64), default="")  # userid, or "timeout"
    decision_note: Mapped[str] = mapped_column(String(500), default="")
    # The approval card: task_id is returned in the click event; response_code updates the card.
    card_task_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    card_response_code: Mapped[str] = mapped_column(String(200), default="")

    item: Mapped[Item] = relationship(back_populates="hops")


class Delivery(Base):
    """One message to one group or person; the outbox row. At most one per (item, target, purpose)."""

    __tablename__ = "deliveries"
    # No (status, next_attempt_at) index: measured with bench/fanout.py it made PostgreSQL's claim
    # slower (31-46% of the bare loop against 50% without), the claim already walks the primary key.
    __table_args__ = (UniqueConstraint("dedupe_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    hop_id: Mapped[int | None] = mapped_column(ForeignKey("hops.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # relay | card | reminder | escalation | alert | digest | reply
    channel: Mapped[str] = mapped_column(String(16))  # appchat | robot | customer_group | app | mp
    target: Mapped[str] = mapped_column(String(256), index=True)  # chatid, robot key, userid or openid
    group_id: Mapped[int | None] = mapped_column(ForeignKey("chat_groups.id"), index=True)
    payload: Mapped[dict] = mapped_column(JSON)  # msgtype and content, ready for the channel adapter
    dedupe_key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    # Earliest send time: village service hours push this to the next opening.
    not_before: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_errcode: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    msgid: Mapped[str] = mapped_column(String(128), default="")
    # Customer and manual groups: the task a person confirms (relay/group_tasks.py).
    group_task_id: Mapped[int | None] = mapped_column(ForeignKey("group_tasks.id"), index=True)


class DeliveryAttempt(Base):
    """The errcode of every send attempt, for the bureau and for diagnosing a channel."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    errcode: Mapped[int] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(String(300), default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class GroupTask(Base):
    """One batch of posts for a customer group (an add_msg_template task its owner confirms, §2.7)
    or a manual group (a text a staff member pastes, then clicks 已转发). Only a confirmed task
    makes its deliveries 'sent'."""

    __tablename__ = "group_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("chat_groups.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # customer | manual
    sender: Mapped[str] = mapped_column(String(64))  # owner (customer) or relayer (manual) userid
    status: Mapped[str] = mapped_column(String(16), index=True, default="creating")
    day: Mapped[str] = mapped_column(String(10), index=True)  # local day the batch counts against (quota)
    content: Mapped[str] = mapped_column(Text)
    msgid: Mapped[str] = mapped_column(String(128), default="")  # add_msg_template's msgid
    card_task_id: Mapped[str | None] = mapped_column(String(128), unique=True)  # manual: the 已转发 card
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    next_check_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    checks: Mapped[int] = mapped_column(Integer, default=0)  # polls or create attempts, for back-off
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_errcode: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(String(300), default="")
