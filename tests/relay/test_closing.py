"""A job marked 招满了, withdrawn or suspended stops everywhere at once (issue 11, item 5).

The job waits in two townships; 甲镇 approves it (its villages' posts are queued), then the job
is closed while 雁鸣湖镇 still has its card. From then on nothing about it moves: the card says
why, no approval, reminder, timeout or escalation touches it, and no post goes out.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.inbound import self_service
from app.inbound.identity import Speaker
from app.org.actors import Actor
from app.org.models import Contact
from relay import approvals, deadlines, service
from relay.models import Delivery, Hop, Item
from tests.relay.conftest import MORNING
from tests.relay.support import JOB_ANYWHERE, deliveries, understood
from tests.support.factories import certify_employer
from vetting import service as vetting
from vetting.models import Enterprise

CLOSED_AT = MORNING + timedelta(minutes=10)


def _job_waiting_in_two_townships(db, rorg) -> Item:
    contact = db.scalar(select(Contact).where(Contact.openid == "o_emp_01"))
    certify_employer(db, contact, name="测试保洁公司", phone="13800002222")
    enterprise = db.scalar(select(Enterprise))
    item = service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="o_emp_01",
                               author_kind="employer", understanding=understood(JOB_ANYWHERE, "employer"),
                               now=MORNING, enterprise_id=enterprise.id)
    db.flush()
    # The dispatcher sent both cards and stored their response codes.
    db.execute(update(Delivery).where(Delivery.purpose == "card").values(status="sent", sent_at=MORNING))
    for hop in db.scalars(select(Hop).where(Hop.item_id == item.id, Hop.needs_approval)):
        hop.card_response_code = f"rc-{hop.id}"
    db.commit()
    hop_a = db.scalar(select(Hop).where(Hop.item_id == item.id, Hop.to_node_id == rorg.town_a.id))
    assert "已通过" in approvals.apply_command(session=db, actor="steward_a", command="approve", target=str(hop_a.id),
                                             text="", now=MORNING + timedelta(minutes=5))
    db.commit()
    return item


def _fill(db, item: Item) -> str:
    contact = db.scalar(select(Contact).where(Contact.openid == "o_emp_01"))
    return self_service.handle(session=db, speaker=Speaker("employer", Actor("openid", "o_emp_01"), contact=contact), sender="o_emp_01",
                               command={"command": "filled", "target": item.code}, now=CLOSED_AT) or ""


def _withdraw(db, item: Item) -> str:
    contact = db.scalar(select(Contact).where(Contact.openid == "o_emp_01"))
    return self_service.handle(session=db, speaker=Speaker("employer", Actor("openid", "o_emp_01"), contact=contact), sender="o_emp_01",
                               command={"command": "withdraw", "target": item.code}, now=CLOSED_AT) or ""


def _suspend(db, item: Item) -> str:
    enterprise = db.scalar(select(Enterprise))
    vetting.decide(session=db, enterprise_id=enterprise.id, action="suspend", actor=Actor.staff("officer01"), now=CLOSED_AT,
                   reason="拖欠工资")
    return "已暂停"


@pytest.mark.parametrize("close, label", [(_fill, "招满"), (_withdraw, "撤回"), (_suspend, "撤回")],
                         ids=["filled", "withdrawn", "suspended"])
def test_a_closed_job_stops_everywhere(session_factory, db, rorg, close, label):
    item = _job_waiting_in_two_townships(db, rorg)
    assert close(db, item)
    db.commit()

    hop_b = db.scalar(select(Hop).where(Hop.item_id == item.id, Hop.to_node_id == rorg.town_b.id))
    assert hop_b.status != "pending"
    # 雁鸣湖镇's card no longer offers buttons: it says the job was closed.
    [closing] = [d for d in deliveries(db, purpose="card_update") if d.target == "steward_b"]
    assert closing.payload["response_code"] == f"rc-{hop_b.id}" and label in closing.payload["replace_name"]
    # Nothing of the job is left to send into a group.
    assert [d.target for d in deliveries(db, purpose="relay") if d.status == "queued"] == []

    reply = approvals.apply_command(session=db, actor="steward_b", command="approve", target=item.code, text="",
                                    now=CLOSED_AT + timedelta(minutes=1))
    db.commit()
    assert label in reply and "没有改动" not in reply
    later = MORNING + timedelta(hours=2)
    assert deadlines.send_reminders(session_factory=session_factory, now=later) == 0
    assert deadlines.apply_timeouts(session_factory=session_factory, now=later) == 0
    assert deadlines.escalate_overdue(session_factory=session_factory, now=later) == 0
    db.expire_all()
    assert deliveries(db, purpose="reminder") == [] and deliveries(db, purpose="escalation") == []
    assert not any(d.target == "cg-b1" for d in deliveries(db, purpose="relay"))
    assert db.get(Hop, hop_b.id).decided_by not in ("steward_b", "timeout")
