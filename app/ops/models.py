"""One row per running dispatcher or scheduler process, refreshed by its own loop (see heartbeat.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UtcDateTime, utcnow


class ProcessHeartbeat(Base):
    __tablename__ = "process_heartbeats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(16), index=True)  # dispatcher | scheduler
    worker: Mapped[str] = mapped_column(String(64), unique=True)  # host-pid-random, one per process start
    # A scheduler says whether it holds the leader lock; dispatchers are all equal (False).
    leader: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
