"""Two decisions on one hop at the same moment end with exactly one decision (issue 11, item 3).

Each decision runs in its own thread with its own session and connection, as two webhook
workers (or a worker and the scheduler's timeout job) would. Row locks are what is under test,
so these run on PostgreSQL only: SQLite has no row locks (it serialises whole writers).
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from relay import approvals, deadlines, service
from relay.models import Delivery, Hop
from tests.relay.conftest import MORNING
from tests.relay.support import JOB, SEEKER, understood

LATER = MORNING + timedelta(minutes=5)


@pytest.fixture(autouse=True)
def _postgres_only(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) exist on PostgreSQL only; SQLite serialises writers")


def _pending_hop(session_factory, kind: str, text: str, origin: int) -> int:
    with session_factory() as s:
        item = service.submit_item(session=s, kind=kind, origin_node_id=origin, author_ref="x", author_kind="staff",
                                   understanding=understood(text, "staff" if kind == "job" else "seeker"), now=MORNING)
        s.commit()
        return s.scalar(select(Hop.id).where(Hop.item_id == item.id, Hop.needs_approval))


def _race(session_factory, hop_id: int, decisions: list[tuple[str, str]]) -> list[str]:
    """Run the clicks at once: each thread reads the hop (as a click does) before any decides."""
    loaded = threading.Barrier(len(decisions))
    replies: list[str] = [""] * len(decisions)
    errors: list[BaseException] = []

    def click(index: int, action: str, userid: str) -> None:
        try:
            with session_factory() as s:
                hop = s.get(Hop, hop_id)
                assert hop is not None and hop.status == "pending"
                loaded.wait(timeout=10)
                replies[index] = approvals.apply_card_click(
                    session=s, click=approvals.CardClick(userid, f"{action}:{hop_id}", hop.card_task_id or "",
                                                         f"rc-{index}"), now=LATER)
                s.commit()
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=click, args=(i, a, u)) for i, (a, u) in enumerate(decisions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    return replies


def _relay_rows(db, hop_id: int) -> list[Delivery]:
    """Every post the item of this hop made into a group."""
    db.expire_all()
    item_id = select(Hop.item_id).where(Hop.id == hop_id).scalar_subquery()
    return list(db.scalars(select(Delivery).where(Delivery.item_id == item_id, Delivery.purpose == "relay")))


def test_approve_racing_reject_ends_with_one_decision(session_factory, db, rorg):
    hop_id = _pending_hop(session_factory, "seeker", SEEKER, rorg.villages["a1"].id)
    replies = _race(session_factory, hop_id, [("approve", "steward_a"), ("reject", "backup_a")])
    db.expire_all()
    hop = db.get(Hop, hop_id)
    assert hop is not None
    decided = [r for r in replies if "没有改动" not in r]
    assert len(decided) == 1, replies  # the other click is told someone already decided
    if hop.status == "approved":
        assert "已通过" in decided[0] and hop.decided_by == "steward_a" and _relay_rows(db, hop_id)
    else:
        assert "已驳回" in decided[0] and hop.decided_by == "backup_a" and not _relay_rows(db, hop_id)
    updates = db.scalars(select(Delivery).where(Delivery.hop_id == hop_id, Delivery.purpose == "card_update")).all()
    assert len(updates) == 1


def test_two_approvals_at_once_relay_once(session_factory, db, rorg):
    hop_id = _pending_hop(session_factory, "seeker", SEEKER, rorg.villages["a1"].id)
    replies = _race(session_factory, hop_id, [("approve", "steward_a"), ("approve", "steward_a")])
    assert sum("没有改动" in r for r in replies) == 1, replies
    assert sorted(d.target for d in _relay_rows(db, hop_id)) == ["chatdistrict", "chattowna"]


def test_timeout_job_waits_for_a_decision_in_progress(session_factory, db, rorg):
    """The steward's approval holds the hop; the timeout job running at that moment must not
    decide it a second time (nor fail on the village hops the approval already opened)."""
    hop_id = _pending_hop(session_factory, "job", JOB, rorg.district.id)  # 雁鸣湖镇 only
    due = MORNING + timedelta(minutes=31)
    locked, release = threading.Event(), threading.Event()
    result: dict[str, object] = {}

    def steward() -> None:
        with session_factory() as s:
            decision = service.approve_hop(session=s, hop_id=hop_id, actor_userid="steward_b", now=due)
            result["changed"] = decision.changed
            locked.set()
            release.wait(timeout=10)  # the approval is written but not committed yet
            s.commit()

    def timeout_job() -> None:
        try:
            result["timeouts"] = deadlines.apply_timeouts(session_factory=session_factory, now=due)
        except BaseException as exc:
            result["error"] = exc

    first = threading.Thread(target=steward)
    first.start()
    assert locked.wait(timeout=10)
    second = threading.Thread(target=timeout_job)
    second.start()
    time.sleep(0.5)  # the timeout job reaches the hop while the approval holds it
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert "error" not in result, result.get("error")
    assert result["changed"] is True and result["timeouts"] == 0
    db.expire_all()
    hop = db.get(Hop, hop_id)
    assert hop is not None and (hop.status, hop.decided_by) == ("approved", "steward_b")
    assert len(db.scalars(select(Hop).where(Hop.item_id == hop.item_id, Hop.tier == "village")).all()) == 1
