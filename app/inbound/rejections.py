"""Refused callbacks: every one counted, a bounded sample kept with its reason.

An unauthenticated sender can refuse itself as often as it likes; one row and one log line per
refusal would let it grow a table and the log without limit. So each refusal adds one to its
(channel, code, hour) counter, and only the first `sample_per_hour` of each counter keep a detail
row and a log line. The dashboard reads the counters, so its figure stays exact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.inbound.models import RejectedCallback, RejectedCallbackCount

log = logging.getLogger("jobmatrix.inbound")


@dataclass(frozen=True)
class Refusal:
    channel: str
    code: int
    reason: str
    remote: str


def _count_statement(dialect_name: str, values: dict):
    dialect = sqlite if dialect_name == "sqlite" else postgresql
    table = RejectedCallbackCount.__table__
    insert = dialect.insert(table).values(**values, count=1)
    return insert.on_conflict_do_update(
        index_elements=["channel", "code", "hour"],
        set_={"count": table.c.count + 1, "reason": insert.excluded.reason},
    ).returning(table.c.count)


def record(*, session: Session, refusal: Refusal, now: datetime, sample_per_hour: int) -> int:
    """Count the refusal; keep its row and log it while the hour's sample is not full. The count."""
    values = {"channel": refusal.channel, "code": refusal.code, "reason": refusal.reason[:200],
              "hour": now.replace(minute=0, second=0, microsecond=0)}
    count = int(session.execute(_count_statement(session.get_bind().dialect.name, values)).scalar_one())
    if count <= sample_per_hour:
        session.add(RejectedCallback(channel=refusal.channel, code=refusal.code, reason=refusal.reason[:200],
                                     remote=refusal.remote[:64], at=now))
        log.warning("rejected %s callback from %s: %s (%s)", refusal.channel, refusal.remote, refusal.reason,
                    refusal.code)
    elif count == sample_per_hour + 1:
        log.warning("rejected %s callbacks with code %s: more than %s this hour; counting them, not logging",
                    refusal.channel, refusal.code, sample_per_hour)
    session.commit()
    return count
