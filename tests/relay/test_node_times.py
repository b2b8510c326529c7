"""Per-node `cutoff` and `digest_at` overrides are honoured: the cron follows the nodes
(issue 11, item 9). A village with cutoff 19:00 is swept at 19:00, not at 20:30; a township
whose stewards read their digest at 09:00 gets it then, not at 08:00."""

from __future__ import annotations

from relay.scheduler import build_scheduler, sync_timed_jobs
from tests.relay.support import deliveries
from tests.relay.test_deadlines import _village_post_due_today
from tests.relay.test_rules import SH, at


def _fire(scheduler, job_id: str, after):
    job = scheduler.get_job(job_id)
    assert job is not None, sorted(j.id for j in scheduler.get_jobs())
    return job.trigger.get_next_fire_time(None, after.astimezone(SH))


def _run(scheduler, job_id: str, now) -> int:
    name, fn, session_factory = scheduler.get_job(job_id).args
    return fn(session_factory=session_factory, now=now)


def test_the_cron_follows_each_nodes_cutoff_and_digest(session_factory, db, rorg):
    rorg.villages["a1"].overrides = {"cutoff": "19:00"}
    rorg.town_b.overrides = {"digest_at": "9:00"}
    db.commit()
    scheduler = build_scheduler(session_factory=session_factory, timezone="Asia/Shanghai")
    morning = at(25, 6, 0)
    assert _fire(scheduler, "village_cutoff_sweep@19:00", morning) == at(25, 19, 0)
    assert _fire(scheduler, "village_cutoff_sweep@20:30", morning) == at(25, 20, 30)
    assert _fire(scheduler, "daily_digest@09:00", morning) == at(25, 9, 0)
    assert _fire(scheduler, "daily_digest@08:00", morning) == at(25, 8, 0)

    _village_post_due_today(session_factory, rorg)
    assert _run(scheduler, "village_cutoff_sweep@19:00", at(25, 19, 0)) == 1  # 甲一村 alone, at its cutoff
    [head] = [d.target for d in deliveries(db, purpose="escalation") if d.dedupe_key.startswith("cutoff:")]
    assert head == "head_a1"
    assert _run(scheduler, "village_cutoff_sweep@20:30", at(25, 20, 30)) == 2  # 甲二村 and 前庄村


    assert _run(scheduler, "daily_digest@08:00", at(26, 8, 0)) == 2  # 甲镇's steward and backup
    assert sorted(d.target for d in deliveries(db, purpose="digest")) == ["backup_a", "steward_a"]
    assert _run(scheduler, "daily_digest@09:00", at(26, 9, 0)) == 1
    assert "steward_b" in [d.target for d in deliveries(db, purpose="digest")]



def test_an_org_change_reschedules_the_timed_jobs(session_factory, db, rorg):
    scheduler = build_scheduler(session_factory=session_factory, timezone="Asia/Shanghai")
    assert scheduler.get_job("village_cutoff_sweep@18:45") is None
    rorg.villages["a2"].overrides = {"cutoff": "18:45"}
    db.commit()
    sync_timed_jobs(scheduler, session_factory=session_factory, timezone="Asia/Shanghai")
    assert _fire(scheduler, "village_cutoff_sweep@18:45", at(25, 6, 0)) == at(25, 18, 45)
    rorg.villages["a2"].overrides = {}
    db.commit()
    sync_timed_jobs(scheduler, session_factory=session_factory, timezone="Asia/Shanghai")
    assert scheduler.get_job("village_cutoff_sweep@18:45") is None
