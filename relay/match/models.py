"""Tables of matching: what each open job / approved seeker note offers, residents' paged queries,
their subscriptions and every push a subscription caused (docs/matching.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UtcDateTime, utcnow


class MatchFacts:
    """The matchable facts of an item, no PII. Kept once per item (MatchProfile) and copied onto each
    of its occupation codes (MatchOccupation), so ranking reads one table through one index."""

    kind: Mapped[str] = mapped_column(String(16))  # job | seeker
    village_id: Mapped[int | None] = mapped_column(Integer)
    township_id: Mapped[int | None] = mapped_column(Integer)
    age: Mapped[int | None] = mapped_column(Integer)  # a seeker's
    age_min: Mapped[int | None] = mapped_column(Integer)  # a job's range
    age_max: Mapped[int | None] = mapped_column(Integer)
    pay_min: Mapped[int | None] = mapped_column(Integer)  # a job's offer or a seeker's expectation
    pay_max: Mapped[int | None] = mapped_column(Integer)
    pay_unit: Mapped[str] = mapped_column(String(8), default="")
    gender: Mapped[str] = mapped_column(String(4), default="")  # a seeker's
    gender_req: Mapped[str] = mapped_column(String(4), default="")  # a job's
    certs: Mapped[str] = mapped_column(String(200), default="")  # | separated (叉车证|焊工证)
    experience_years: Mapped[int | None] = mapped_column(Integer)
    daily_pay: Mapped[bool] = mapped_column(Boolean, default=False)  # 日结 (a job pays it / a seeker asks for it)
    cert_required: Mapped[bool] = mapped_column(Boolean, default=False)  # a job's 须持…证
    township_limit: Mapped[int | None] = mapped_column(Integer)  # a seeker's 只在白沙附近
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


FACT_COLUMNS = ("kind", "village_id", "township_id", "age", "age_min", "age_max", "pay_min", "pay_max", "pay_unit",
                "gender", "gender_req", "certs", "experience_years", "daily_pay", "cert_required", "township_limit",
                "created_at")


class MatchProfile(MatchFacts, Base):
    """One per published job / approved seeker note: found here when a question names no occupation."""

    __tablename__ = "match_profiles"
    __table_args__ = (Index("ix_match_profiles_lookup", "kind", "created_at"),)

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)


class MatchOccupation(MatchFacts, Base):
    """One occupation code of a profile, with the profile's facts: how candidates are found, the
    asker's township first (index on kind, code, township, time), then the newest anywhere."""

    __tablename__ = "match_occupations"
    __table_args__ = (
        UniqueConstraint("item_id", "code"),
        Index("ix_match_occupations_lookup", "kind", "code", "created_at"),
        Index("ix_match_occupations_near", "kind", "code", "township_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    code: Mapped[str] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(String(8))  # title (a job's) | intent | skill (a seeker's)


class MatchQuery(Base):
    """A resident's last question, so 更多 shows the next page of the same answer."""

    __tablename__ = "match_queries"
    __table_args__ = (UniqueConstraint("channel", "sender"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(64))
    spec: Mapped[dict] = mapped_column(JSON)  # codes, place, 日结: no personal data
    shown: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MatchSubscription(Base):
    """订阅 电焊: a resident wants new jobs of this occupation pushed to them."""

    __tablename__ = "match_subscriptions"
    __table_args__ = (UniqueConstraint("openid", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(50), index=True)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class MatchPush(Base):
    """What one new job did for one subscriber: queued (with its send time), or why not."""

    __tablename__ = "match_pushes"
    __table_args__ = (UniqueConstraint("openid", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("match_subscriptions.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    openid: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))  # queued | template | no_window | daily_limit
    send_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    local_day: Mapped[str] = mapped_column(String(10))  # the subscriber's calendar day of send_at / now
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
