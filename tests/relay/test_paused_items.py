"""An item held after residents' reports (or withdrawn) goes no further: not by a click, not by the clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from relay import deadlines, service
from relay.errors import NotPending
from relay.models import Hop
from tests.relay.conftest import MORNING
from tests.relay.support import JOB_ANYWHERE, understood


def held_job_hop(db, rorg) -> Hop:
    item = service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="officer01",
                               author_kind="staff", understanding=understood(JOB_ANYWHERE), now=MORNING)
    item.status, item.hold_reason = "held", "举报待复核"
    db.commit()
    return db.scalar(select(Hop).where(Hop.item_id == item.id, Hop.tier == "township"))


def test_a_steward_cannot_approve_a_held_item(db, rorg):
    hop = held_job_hop(db, rorg)
    with pytest.raises(NotPending) as refused:
        service.approve_hop(session=db, hop_id=hop.id, actor_userid="steward_a", now=MORNING + timedelta(minutes=5))
    assert "暂停" in refused.value.reply
    db.rollback()
    assert db.get(Hop, hop.id).status == "pending"


def test_the_timeout_does_not_publish_a_held_item(db, rorg, session_factory):
    hop = held_job_hop(db, rorg)
    assert deadlines.apply_timeouts(session_factory=session_factory, now=MORNING + timedelta(minutes=31)) == 0
    db.expire_all()
    assert db.get(Hop, hop.id).status == "pending"
