"""Training classes (培训班), their trainees and attendance (结业即推岗)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UtcDateTime, utcnow
from app.privacy import EncryptedText

CLASS_STATUSES = ("open", "graduated")


class TrainingClass(Base):
    __tablename__ = "training_classes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occupation: Mapped[str] = mapped_column(String(50))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    district_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"), index=True)
    trainer_ref: Mapped[str] = mapped_column(String(64), default="")  # WeCom userid or "admin"
    status: Mapped[str] = mapped_column(String(16), index=True, default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    graduated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    graduates_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))

    trainees: Mapped[list[Trainee]] = relationship(back_populates="training_class", order_by="Trainee.id")

    @property
    def code(self) -> str:
        """What trainers type: 签到 T3 张三, 结业 T3."""
        return f"T{self.id}"


class Trainee(Base):
    __tablename__ = "trainees"
    __table_args__ = (UniqueConstraint("class_id", "person_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    # OA openid (or WeCom userid) where the trainee receives matching jobs; hires are matched on it.
    person_ref: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(EncryptedText)
    gender: Mapped[str] = mapped_column(String(4), default="")  # 男 | 女 | "" (for 先生 / 女士)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id"))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    certificate: Mapped[str] = mapped_column(String(100), default="")
    # The trainee agreed that their masked profile goes to employers (recorded by the trainer).
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    graduated: Mapped[bool] = mapped_column(Boolean, default=False)

    training_class: Mapped[TrainingClass] = relationship(back_populates="trainees")


class Attendance(Base):
    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("trainee_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    present: Mapped[bool] = mapped_column(Boolean, default=True)
