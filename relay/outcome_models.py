"""What happens after a note meets a job: contact requests with the seeker's consent, hires,
satisfaction surveys, and the one-question-at-a-time queue that asks people about them.

A person answers with a bare "1" or "满意", so the system must know which question the answer
is for: every question a resident or employer is asked is a `Question` row, and at most one of a
person's questions is `asked` at a time; the others wait their turn (docs/outcomes.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UtcDateTime, utcnow

QUESTION_KINDS = ("consent", "hire", "survey", "notice")  # notice: a message that only waits for the window
# waiting: not sent yet (another question is open, or the person cannot be reached right now)
QUESTION_STATUSES = ("waiting", "asked", "answered", "expired")
CONTACT_STATUSES = ("pending", "granted", "declined", "expired")
HIRE_STATUSES = ("reported", "confirmed", "denied")


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "person_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_ref: Mapped[str] = mapped_column(String(64), index=True)  # OA openid or WeCom userid
    channel: Mapped[str] = mapped_column(String(16))  # mp | app
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)  # contact_requests / hires / surveys id
    status: Mapped[str] = mapped_column(String(16), index=True, default="waiting")
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    asked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answer: Mapped[str] = mapped_column(String(20), default="")


class ContactRequest(Base):
    """An employer asks for a seeker's number; released only after the seeker says yes."""

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    seeker_ref: Mapped[str] = mapped_column(String(64), index=True)
    employer_ref: Mapped[str] = mapped_column(String(64), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    job_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="pending")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Hire(Base):
    """An employer reports a hire; the seeker confirms it (or says it is not so)."""

    __tablename__ = "hires"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    seeker_ref: Mapped[str] = mapped_column(String(64), index=True)
    job_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    employer_ref: Mapped[str] = mapped_column(String(64), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="reported")
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)


class Survey(Base):
    """One satisfaction question to one side, due 7 days after a hire or when a job closes."""

    __tablename__ = "surveys"
    # One survey per respondent per occasion, however often the job that schedules it runs.
    __table_args__ = (UniqueConstraint("occasion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_ref: Mapped[str] = mapped_column(String(64), index=True)
    respondent_role: Mapped[str] = mapped_column(String(16))  # seeker | employer
    reason: Mapped[str] = mapped_column(String(16))  # hire | job_closed
    occasion: Mapped[str] = mapped_column(String(120))  # e.g. "hire:3:seeker", "job_closed:12:o_emp"
    hire_id: Mapped[int | None] = mapped_column(ForeignKey("hires.id"), index=True)
    job_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    score: Mapped[int | None] = mapped_column(Integer)  # 1-5; 满意 = 5, 一般 = 3, 不满意 = 1
