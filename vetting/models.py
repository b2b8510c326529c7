"""Vetting tables: enterprises and their contacts, the registration dialogue, the blacklist,
officer cards, job-post reviews and reports, and the append-only audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UtcDateTime, utcnow
from app.privacy import EncryptedText


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    org_type: Mapped[str] = mapped_column(String(50), default="")
    region: Mapped[str] = mapped_column(String(6), default="")
    # Licence data is public (it is printed on the licence); the contact person's phone is not.
    legal_rep: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300))
    industry: Mapped[str] = mapped_column(String(100))
    hr_licence_no: Mapped[str] = mapped_column(String(100), default="")
    contact_name: Mapped[str | None] = mapped_column(EncryptedText)
    contact_phone: Mapped[str | None] = mapped_column(EncryptedText)
    licence_media_id: Mapped[str] = mapped_column(String(256), default="")
    status: Mapped[str] = mapped_column(String(24), index=True, default="licence_review")
    status_reason: Mapped[str] = mapped_column(String(500), default="")
    district_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id"), index=True)
    applied_via: Mapped[str] = mapped_column(String(16), default="")  # mp | wecom | api
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    certified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    members: Mapped[list[EnterpriseMember]] = relationship(back_populates="enterprise")

    @property
    def code(self) -> str:
        """What officers type in commands: 通过 E12, 驳回 E12 原因."""
        return f"E{self.id}"


class EnterpriseMember(Base):
    """The link from a Contact to the enterprise it speaks for (one enterprise per contact)."""

    __tablename__ = "enterprise_members"
    __table_args__ = (UniqueConstraint("contact_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    # none | pending (a WeCom member to add by appchat/update) | added | invited (join info sent by OA)
    group_status: Mapped[str] = mapped_column(String(16), default="none")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    enterprise: Mapped[Enterprise] = relationship(back_populates="members")


class RegistrationDialogue(Base):
    """The 企业认证 conversation of one sender: a named state and the answers so far."""

    __tablename__ = "registration_dialogues"
    __table_args__ = (UniqueConstraint("channel", "sender"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(64))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    state: Mapped[str] = mapped_column(String(24), index=True)
    # JSON of the answers: names and phone numbers, hence encrypted.
    answers: Mapped[str] = mapped_column(EncryptedText, default="{}")
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    corrections: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class BlacklistEntry(Base):
    """The bureau's wage-arrears blacklist (拖欠农民工工资失信联合惩戒名单), imported from CSV."""

    __tablename__ = "vetting_blacklist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(300), default="")
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class VettingCard(Base):
    """An officer's review card: its task_id brings the click back to the enterprise or post."""

    __tablename__ = "vetting_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[str] = mapped_column(String(128), unique=True)
    userid: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(16))  # enterprise | post
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    stage: Mapped[str] = mapped_column(String(24))  # licence | qualification | post
    # Returned when the dispatcher sent the card (§2.2): lets a decision update this card even
    # when another officer made it.
    response_code: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PostReview(Base):
    """Review 3 of one job post: its red flags, the officer's decision, residents' reports."""

    __tablename__ = "post_reviews"
    __table_args__ = (UniqueConstraint("item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    flags: Mapped[list] = mapped_column(JSON, default=list)  # [{"code", "reason"}]
    # published | held (flagged, waits for the officer) | reported (suspended by reports)
    # | rejected | withdrawn
    status: Mapped[str] = mapped_column(String(16), index=True)
    reports: Mapped[int] = mapped_column(Integer, default=0)
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PostReport(Base):
    """A resident's 举报; one per reporter and post, so one person cannot suspend a post alone."""

    __tablename__ = "post_reports"
    __table_args__ = (UniqueConstraint("item_id", "reporter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    reporter: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditEvent(Base):
    """Append-only: every review, decision and report (who, when, what, why)."""

    __tablename__ = "vetting_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))  # userid, openid, "system" or "admin"
    action: Mapped[str] = mapped_column(String(40), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
    item_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class AuditIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target) -> None:  # type: ignore[no-untyped-def]
    raise AuditIsAppendOnly("the vetting audit log is append-only")
