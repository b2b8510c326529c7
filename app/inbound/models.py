"""Every accepted inbound message, stored once (dedupe by a unique key, not by process memory)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UtcDateTime, utcnow
from app.privacy import EncryptedText


class InboundMessage(Base):
    __tablename__ = "inbound_messages"
    # WeCom retries a callback 3 times; MsgId (events: FromUserName+CreateTime) identifies it.
    __table_args__ = (UniqueConstraint("channel", "dedupe_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(160))
    sender: Mapped[str] = mapped_column(String(64), index=True)
    sender_kind: Mapped[str] = mapped_column(String(16))
    msg_type: Mapped[str] = mapped_column(String(32))
    event: Mapped[str] = mapped_column(String(64), default="")
    chat_id: Mapped[str] = mapped_column(String(64), default="")
    content: Mapped[str | None] = mapped_column(EncryptedText)
    # The passive reply we gave; a retry gets the same reply again, nothing is redone.
    reply: Mapped[str | None] = mapped_column(EncryptedText)
    # Why handling failed (a bug, a database error): the message is kept for staff to act on.
    error: Mapped[str] = mapped_column(String(300), default="", server_default="")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class RejectedCallback(Base):
    """Why a callback was refused (signature, AES key, receive id, timestamp, path), for operators."""

    __tablename__ = "rejected_callbacks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    code: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    remote: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class RejectedCallbackCount(Base):
    """Refused callbacks counted per channel, code and hour. The detail rows above are a sample
    (JOBMATRIX_REJECTED_SAMPLE_PER_HOUR per channel and code), so a flood cannot grow them; these
    counts stay exact and are what the dashboard reports."""

    __tablename__ = "rejected_callback_counts"
    __table_args__ = (UniqueConstraint("channel", "code", "hour"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    code: Mapped[int] = mapped_column(Integer)
    hour: Mapped[datetime] = mapped_column(UtcDateTime, index=True)  # the UTC hour it happened in
    count: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(String(200), default="")  # the latest reason, as an example


class PartialNote(Base):
    """An incomplete seeker note or job post, kept so the sender's next message can finish it."""

    __tablename__ = "partial_notes"
    __table_args__ = (UniqueConstraint("channel", "sender"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(64))
    # JSON of the parsed fields (phone included), hence encrypted like message text.
    state: Mapped[str] = mapped_column(EncryptedText)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
