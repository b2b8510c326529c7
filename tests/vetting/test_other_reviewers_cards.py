"""When one reviewer decides, every other reviewer's card for the same thing shows it
(issue 11, item 6): no officer is left with live buttons on an enterprise someone else
already approved, and a steward's card shows a decision the backup made by text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.org.actors import Actor
from app.org.models import Staff
from relay import approvals
from relay import service as relay_service
from relay.channels import SendJob, SendResult
from relay.dispatch_store import Outcome, save_outcomes
from relay.models import Delivery, Hop
from tests.relay.support import SEEKER, deliveries, understood
from tests.vetting.conftest import GOOD_CODE
from vetting import flows, service
from vetting.models import EnterpriseMember, VettingCard
from vetting.review import Application

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def _send_cards(db) -> dict[str, str]:
    """What the dispatcher does with each queued card: send it and keep WeCom's response_code."""
    outcomes = []
    for row in deliveries(db, purpose="card", status="queued"):
        job = SendJob(delivery_id=row.id, channel=row.channel, target=row.target, purpose=row.purpose,
                      payload=row.payload, hop_id=row.hop_id)
        outcomes.append(Outcome(job, "sent", result=SendResult(msgid=f"m{row.id}", response_code=f"sent-{row.id}")))
    save_outcomes(db, outcomes, NOW)
    db.commit()
    return {o.job.target: f"sent-{o.job.delivery_id}" for o in outcomes}


def _enterprise_with_two_officers(db, rorg):
    db.add(Staff(userid="officer02", name="区审核员", role="district_officer", node_id=rorg.district.id))
    db.commit()
    application = Application(name="测试物流有限公司", credit_code=GOOD_CODE, legal_rep="测试法人",
                              address="测试区测试路1号", industry="物流", contact_name="吴主管",
                              contact_phone="13800001111", licence_media_id="media-1")
    enterprise = service.apply(session=db, application=application, actor=Actor.staff("officer01"), via="test", now=NOW)
    db.commit()
    return enterprise


def _updates(db) -> dict[str, list[dict]]:
    db.expire_all()
    out: dict[str, list[dict]] = {}
    for row in deliveries(db, purpose="card_update"):
        out.setdefault(row.target, []).append(row.payload)
    return out


def test_a_click_closes_the_other_officers_card(db, rorg):
    enterprise = _enterprise_with_two_officers(db, rorg)
    codes = _send_cards(db)
    assert set(codes) == {"officer01", "officer02"}
    mine = db.scalar(select(VettingCard).where(VettingCard.userid == "officer01"))
    reply = flows.card_click(session=db, actor=Actor.staff("officer01"), event_key=f"vapprove:{enterprise.code}",
                             task_id=mine.task_id, response_code="click-1", now=NOW)
    db.commit()
    assert reply.startswith("已通过")
    updates = _updates(db)
    assert [u["response_code"] for u in updates["officer02"]] == [codes["officer02"]]
    assert updates["officer02"][0]["replace_name"] == "已由区信息员通过"
    assert len(updates["officer01"]) == 1  # the clicker's own card once, whichever code


def test_a_text_decision_closes_every_card_of_that_review(db, rorg):
    enterprise = _enterprise_with_two_officers(db, rorg)
    codes = _send_cards(db)
    reply = flows.decide(session=db, actor=Actor.staff("officer02"), command="reject", target=enterprise.code,
                         text="执照照片不清楚", now=NOW)
    db.commit()
    assert "驳回" in reply
    updates = _updates(db)
    assert updates["officer01"] == [{"msgtype": "update_card", "response_code": codes["officer01"],
                                     "replace_name": "已由区审核员驳回"}]
    assert [u["response_code"] for u in updates["officer02"]] == [codes["officer02"]]


def test_the_stewards_card_shows_what_the_backup_decided_by_text(db, rorg):
    item = relay_service.submit_item(session=db, kind="seeker", origin_node_id=rorg.villages["a1"].id,
                                     author_ref="o_res_a1", author_kind="resident", understanding=understood(SEEKER),
                                     now=NOW)
    db.commit()
    codes = _send_cards(db)
    reply = approvals.apply_command(session=db, actor="backup_a", command="approve", target=item.code, text="",
                                    now=NOW + timedelta(minutes=3))
    db.commit()
    assert "已通过" in reply
    # The first hop (village → township); approving it created the next one, and PostgreSQL
    # returns unordered rows in any order.
    hop = db.scalar(select(Hop).where(Hop.item_id == item.id).order_by(Hop.id).limit(1))
    assert hop.card_response_code == codes["steward_a"]
    [update] = [d for d in deliveries(db, purpose="card_update")]
    assert (update.target, update.payload["response_code"]) == ("steward_a", codes["steward_a"])
    assert "李四" in update.payload["replace_name"]
    assert db.scalar(select(Delivery.status).where(Delivery.id == update.id)) == "queued"


def test_a_held_post_decided_by_one_officer_closes_the_others_card(db, rorg):
    from app.org.models import Contact

    enterprise = _enterprise_with_two_officers(db, rorg)
    contact = db.scalar(select(Contact).where(Contact.openid == "o_emp_01"))
    db.add(EnterpriseMember(enterprise_id=enterprise.id, contact_id=contact.id))
    for _ in range(2):
        service.decide(session=db, enterprise_id=enterprise.id, action="approve", actor=Actor.staff("officer01"), now=NOW)
    db.commit()
    item = relay_service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="o_emp_01",
                                     author_kind="employer", now=NOW, defer=True,
                                     understanding=understood("招聘叉车工2名 月薪6000 地点雁鸣湖镇物流园 联系电话13800001111", "employer"))
    flows.screen_job(session=db, item=item, contact=contact, text="月薪50000 日结 无需经验",
                     fields={"salary_min": 50000, "salary_max": 50000, "salary_unit": "month"}, now=NOW)
    db.commit()
    codes = _send_cards(db)
    assert set(codes) == {"officer01", "officer02"}
    reply = flows.decide(session=db, actor=Actor.staff("officer02"), command="reject", target=item.code, text="工资不实", now=NOW)
    db.commit()
    assert "驳回" in reply
    updates = _updates(db)
    assert [(u["response_code"], u["replace_name"]) for u in updates["officer01"]] == [
        (codes["officer01"], "已由区审核员驳回")]
