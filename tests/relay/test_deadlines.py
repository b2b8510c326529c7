"""Deadline jobs on the real database with a controllable clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from relay import deadlines, service
from relay.models import Delivery, Hop
from tests.relay.support import JOB_ANYWHERE, SEEKER, deliveries, understood
from tests.relay.test_rules import at

TEN = at(25, 10, 0)


def submit(session_factory, kind, text, now=TEN, origin=None):
    with session_factory() as s:
        item = service.submit_item(session=s, kind=kind, origin_node_id=origin, author_ref="x", author_kind="staff",
                                   understanding=understood(text, "staff" if kind == "job" else "seeker"), now=now)
        s.commit()
        return item.id


def run(job, session_factory, now):
    return getattr(deadlines, job)(session_factory=session_factory, now=now)


def hops(db, item_id):
    db.expire_all()
    return list(db.scalars(select(Hop).where(Hop.item_id == item_id, Hop.tier == "township").order_by(Hop.id)))


def test_reminder_at_20_minutes_once(session_factory, db, rorg):
    submit(session_factory, "job", JOB_ANYWHERE, origin=rorg.district.id)
    assert run("send_reminders", session_factory, TEN + timedelta(minutes=19)) == 0
    assert run("send_reminders", session_factory, TEN + timedelta(minutes=20)) == 2
    assert run("send_reminders", session_factory, TEN + timedelta(minutes=21)) == 0
    reminders = deliveries(db, purpose="reminder")
    assert sorted(d.target for d in reminders) == ["steward_a", "steward_b"]
    assert "10:30" in reminders[0].payload["content"]  # local time, not UTC


def test_job_times_out_into_auto_approval_and_escalation(session_factory, db, rorg):
    item_id = submit(session_factory, "job", JOB_ANYWHERE, origin=rorg.district.id)
    with session_factory() as s:  # the dispatcher stores the card's response code when it sends it
        for hop in s.scalars(select(Hop).where(Hop.item_id == item_id, Hop.needs_approval)):
            hop.card_response_code = f"sent-{hop.id}"
        s.commit()
    due = TEN + timedelta(minutes=30)
    assert run("apply_timeouts", session_factory, due - timedelta(seconds=1)) == 0
    assert run("apply_timeouts", session_factory, due) == 2
    assert run("apply_timeouts", session_factory, due) == 0
    assert [(h.status, h.decided_by) for h in hops(db, item_id)] == [("approved", "timeout")] * 2
    villages = sorted(d.target for d in deliveries(db, purpose="relay") if d.target in ("robot-a1", "chat-a2", "cg-b1"))
    assert villages == ["cg-b1", "chat-a2", "robot-a1"]
    updates = deliveries(db, purpose="card_update")
    assert {u.payload["replace_name"] for u in updates} == {"已超时自动通过"}
    assert run("escalate_overdue", session_factory, due) == 2
    assert run("escalate_overdue", session_factory, due + timedelta(minutes=5)) == 0
    assert sorted(d.target for d in deliveries(db, purpose="escalation")) == ["backup_a", "officer01", "officer01"]


def test_seeker_note_is_never_auto_published(session_factory, db, rorg):
    item_id = submit(session_factory, "seeker", SEEKER, origin=rorg.villages["a1"].id)
    late = TEN + timedelta(hours=3)
    assert run("apply_timeouts", session_factory, late) == 0
    assert run("escalate_overdue", session_factory, late) == 1
    [hop] = hops(db, item_id)
    assert hop.status == "pending" and hop.escalated_at is not None
    assert deliveries(db, purpose="relay") == []
    assert sorted(d.target for d in deliveries(db, purpose="escalation")) == ["backup_a", "officer01"]


def test_township_may_turn_auto_approval_off(session_factory, db, rorg):
    rorg.town_b.overrides = {"auto_approve": False}
    db.commit()
    item_id = submit(session_factory, "job", JOB_ANYWHERE, origin=rorg.district.id)
    assert run("apply_timeouts", session_factory, TEN + timedelta(hours=1)) == 1
    assert [h.status for h in hops(db, item_id)] == ["approved", "pending"]


def test_after_hours_approval_waits_for_the_next_opening(session_factory, db, rorg):
    submit(session_factory, "job", JOB_ANYWHERE, origin=rorg.district.id, now=at(25, 23, 50))
    run("apply_timeouts", session_factory, at(26, 0, 20))
    for d in deliveries(db, purpose="relay"):
        if d.target in ("robot-a1", "chat-a2", "cg-b1"):
            assert d.not_before == at(26, 7, 30)
        else:  # district and township groups are staff groups: no quiet hours
            assert d.not_before <= at(26, 0, 20)


def _village_post_due_today(session_factory, rorg):
    item_id = submit(session_factory, "job", JOB_ANYWHERE, origin=rorg.district.id)
    run("apply_timeouts", session_factory, TEN + timedelta(minutes=30))
    return item_id


def test_cutoff_sweep_pushes_and_escalates_to_the_village_head(session_factory, db, rorg):
    _village_post_due_today(session_factory, rorg)
    assert run("village_cutoff_sweep", session_factory, at(25, 20, 29)) == 0
    assert run("village_cutoff_sweep", session_factory, at(25, 20, 30)) == 3
    notes = deliveries(db, purpose="escalation")
    cutoff = [d for d in notes if d.dedupe_key.startswith("cutoff:")]
    assert sorted(d.target for d in cutoff) == ["head_a1", "head_b1"]  # 甲二村 has no staff to tell
    assert "信息不过夜" in cutoff[0].payload["content"]
    assert all(d.next_attempt_at == at(25, 20, 30) for d in deliveries(db, purpose="relay") if d.target == "robot-a1")
    run("village_cutoff_sweep", session_factory, at(25, 20, 45))
    assert len([d for d in deliveries(db, purpose="escalation") if d.dedupe_key.startswith("cutoff:")]) == 2


def test_cutoff_sweep_ignores_what_was_sent(session_factory, db, rorg):
    _village_post_due_today(session_factory, rorg)
    with session_factory() as s:
        for d in s.scalars(select(Delivery).where(Delivery.purpose == "relay")):
            d.status, d.sent_at = "sent", at(25, 10, 31)
        s.commit()
    assert run("village_cutoff_sweep", session_factory, at(25, 20, 30)) == 0


def test_daily_digest_of_yesterdays_figures(session_factory, db, rorg):
    first = submit(session_factory, "job", JOB_ANYWHERE, origin=rorg.district.id)
    with session_factory() as s:
        hop_a = s.scalar(select(Hop).where(Hop.item_id == first, Hop.to_node_id == rorg.town_a.id))
        service.approve_hop(session=s, hop_id=hop_a.id, actor_userid="steward_a", now=TEN + timedelta(minutes=10))
        s.commit()
    run("apply_timeouts", session_factory, TEN + timedelta(minutes=30))  # 雁鸣湖镇's hop: late, by timeout
    with session_factory() as s:  # 甲一村 got it the same day, 甲二村 only after midnight
        for d in s.scalars(select(Delivery).where(Delivery.target.in_(["robot-a1", "chat-a2"]))):
            d.status, d.sent_at = "sent", (at(25, 10, 12) if d.target == "robot-a1" else at(26, 0, 5))
        s.commit()
    assert run("daily_digest", session_factory, at(26, 8, 0)) == 3
    assert run("daily_digest", session_factory, at(26, 8, 5)) == 0
    by_target = {d.target: d.payload["content"] for d in deliveries(db, purpose="digest")}
    assert set(by_target) == {"steward_a", "backup_a", "steward_b"}
    assert "2026-11-25" in by_target["steward_a"]
    assert "30分钟审核：1/1（100%）" in by_target["steward_a"] and "当日送达：1/2（50%）" in by_target["steward_a"]
    assert "30分钟审核：0/1（0%）" in by_target["steward_b"] and "当日送达：0/1（0%）" in by_target["steward_b"]
