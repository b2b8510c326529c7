"""The 30-minute clock runs in the township's service hours (issue 11, item 8).

A job posted at 23:00 is not auto-approved at 23:30 without a human look: its clock starts at
the next opening (07:30), so the reminder comes at 07:50 and the timeout and the escalation at
08:00 — nobody is woken at night.
"""

from __future__ import annotations

from sqlalchemy import select

from relay.models import Delivery, Hop
from relay.rules import DeadlinePolicy, decided_on_time, policy_for, township_due_at, township_reminder_at
from tests.relay.support import JOB_ANYWHERE, deliveries
from tests.relay.test_deadlines import hops, run, submit
from tests.relay.test_rules import at

POLICY = DeadlinePolicy()


def test_the_clock_stops_outside_service_hours():
    assert township_due_at(at(25, 23, 0), POLICY) == at(26, 8, 0)
    assert township_reminder_at(at(25, 23, 0), POLICY) == at(26, 7, 50)
    assert township_due_at(at(25, 20, 50), POLICY) == at(26, 7, 50)  # 10 minutes tonight, 20 tomorrow
    assert township_due_at(at(25, 10, 0), POLICY) == at(25, 10, 30)  # in hours: plain 30 minutes
    always = policy_for([{"service_hours": "00:00-00:00"}])
    assert township_due_at(at(25, 23, 0), always) == at(25, 23, 30)  # a township that serves all day
    assert decided_on_time(at(25, 23, 0), at(26, 7, 59), "steward_a", POLICY)


def test_a_job_posted_at_23_00_waits_for_the_morning(session_factory, db, rorg):
    item_id = submit(session_factory, "job", JOB_ANYWHERE, origin=rorg.district.id, now=at(25, 23, 0))
    for moment in (at(25, 23, 20), at(25, 23, 30), at(26, 3, 0)):
        assert run("send_reminders", session_factory, moment) == 0
        assert run("apply_timeouts", session_factory, moment) == 0
        assert run("escalate_overdue", session_factory, moment) == 0
    assert [h.status for h in hops(db, item_id)] == ["pending", "pending"]
    assert deliveries(db, purpose="reminder") == [] and deliveries(db, purpose="escalation") == []
    card = deliveries(db, purpose="card")[0]
    assert "08:00前" in card.payload["card"]["main_title"]["desc"]

    assert run("send_reminders", session_factory, at(26, 7, 50)) == 2
    assert run("apply_timeouts", session_factory, at(26, 7, 59)) == 0
    assert run("apply_timeouts", session_factory, at(26, 8, 0)) == 2
    assert run("escalate_overdue", session_factory, at(26, 8, 0)) == 2
    db.expire_all()
    assert {h.decided_at for h in db.scalars(select(Hop).where(Hop.item_id == item_id, Hop.needs_approval))} \
        == {at(26, 8, 0)}
    assert all(d.created_at >= at(26, 7, 50) for d in db.scalars(select(Delivery).where(
        Delivery.purpose.in_(["reminder", "escalation"]))))

