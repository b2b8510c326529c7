"""Access tokens shared by every worker of a deployment, and the errcode of every API call."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UtcDateTime, utcnow


class AccessTokenRow(Base):
    __tablename__ = "access_tokens"

    app_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    token: Mapped[str] = mapped_column(String(600), default="")
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A worker that refreshes holds a short lease, so only one fetches a new token at a time.
    lease_holder: Mapped[str] = mapped_column(String(64), default="")
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ApiCall(Base):
    __tablename__ = "api_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_key: Mapped[str] = mapped_column(String(128), index=True)
    api: Mapped[str] = mapped_column(String(64), index=True)
    errcode: Mapped[int] = mapped_column(Integer, index=True)
    http_status: Mapped[int] = mapped_column(Integer, default=0)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
