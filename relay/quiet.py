"""Quiet hours checked at the moment of sending (issue 11, item 7).

`not_before` keeps a post out of a resident group's quiet hours when it is queued, but a row can
become due again later: a retry after a transient failure, or the cutoff sweep pushing what is
left at 20:30. The dispatcher therefore asks, for each row it claims for a resident group,
whether that village may receive posts now; if not, the row goes back to the queue until the
next opening. Staff groups and people's own messages are not held.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import ChatGroup
from relay.org_view import OrgView, load_org
from relay.rules import DeadlinePolicy, in_quiet_hours, village_send_time

RESIDENT_GROUPS = "residents"


class QuietHours:
    """Per-village send windows, read from the org at most every `ttl` seconds (one dispatcher
    claims many batches a second; the org changes at an import)."""

    def __init__(self, base: DeadlinePolicy | None = None, ttl: float = 60.0) -> None:
        self._base, self._ttl = base, ttl
        self._org: OrgView | None = None
        self._loaded = 0.0
        self._lock = threading.Lock()

    def _view(self, session: Session) -> OrgView:
        with self._lock:
            if self._org is None or time.monotonic() - self._loaded > self._ttl:
                self._org, self._loaded = load_org(session=session), time.monotonic()
            return self._org

    def held_until(self, session: Session, group_ids: Iterable[int | None], now: datetime) -> dict[int, datetime]:
        """Resident groups among `group_ids` that are in their quiet hours now, with the moment
        each opens again."""
        wanted = {g for g in group_ids if g is not None}
        if not wanted:
            return {}
        villages = dict(session.execute(select(ChatGroup.id, ChatGroup.node_id).where(
            ChatGroup.id.in_(wanted), ChatGroup.purpose == RESIDENT_GROUPS)).tuples().all())
        if not villages:
            return {}
        org = self._view(session)
        held: dict[int, datetime] = {}
        for group_id, node_id in villages.items():
            policy = org.policy(node_id, self._base)
            if in_quiet_hours(now, policy):
                held[group_id] = village_send_time(now, policy)
        return held
