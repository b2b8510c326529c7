"""Steward decisions: card clicks applied once, text commands, refusals, edit-then-approve."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from relay import approvals, service
from relay.models import Hop, Item
from tests.relay.conftest import MORNING
from tests.relay.support import JOB_ANYWHERE, SEEKER, deliveries, targets, understood

LATER = MORNING + timedelta(minutes=5)


def seeker_hop(db, rorg) -> Hop:
    item = service.submit_item(session=db, kind="seeker", origin_node_id=rorg.villages["a1"].id, author_ref="o_res_a1",
                               author_kind="resident", understanding=understood(SEEKER), now=MORNING)
    db.commit()
    return db.scalar(select(Hop).where(Hop.item_id == item.id))


def click(db, hop, key, userid="steward_a", code="rc1"):
    reply = approvals.apply_card_click(session=db, click=approvals.CardClick(userid, key, hop.card_task_id, code), now=LATER)
    db.commit()
    return reply


def test_card_click_approves_once_and_updates_the_card(db, rorg):
    hop = seeker_hop(db, rorg)
    reply = click(db, hop, f"approve:{hop.id}")
    assert "已通过" in reply
    assert (hop.status, hop.decided_by) == ("approved", "steward_a")
    assert targets(db) == ["chatdistrict", "chattowna"]  # the district's employers, and the township's own group
    [update] = deliveries(db, purpose="card_update")
    assert update.target == "steward_a"
    assert update.payload == {"msgtype": "update_card", "response_code": "rc1", "replace_name": "已通过 · 张三"}
    # a second click (new response code) and a retry of the first change nothing
    assert "没有改动" in click(db, hop, f"approve:{hop.id}", code="rc2")
    assert "没有改动" in click(db, hop, f"reject:{hop.id}", code="rc3")
    assert hop.status == "approved"
    assert len(deliveries(db, purpose="relay")) == 2 and len(deliveries(db, purpose="card_update")) == 1


def test_relayed_seeker_note_is_masked(db, rorg):
    hop = seeker_hop(db, rorg)
    click(db, hop, f"approve:{hop.id}")
    for relay in deliveries(db, purpose="relay"):
        assert "13812345678" not in relay.payload["content"] and "王建国" not in relay.payload["content"]
        assert f"S{hop.item_id}" in relay.payload["content"]


def test_steward_of_another_township_is_refused(db, rorg):
    hop = seeker_hop(db, rorg)
    reply = approvals.apply_command(session=db, actor="steward_b", command="approve", target=str(hop.id), text="", now=LATER)
    assert "无权" in reply
    assert hop.status == "pending" and deliveries(db, purpose="relay") == []


def test_residents_and_village_staff_are_refused(db, rorg):
    hop = seeker_hop(db, rorg)
    for actor in ("o_res_a1", "head_a1", "nobody"):
        reply = approvals.apply_command(session=db, actor=actor, command="approve", target=f"S{hop.item_id}", text="", now=LATER)
        assert "无权" in reply, actor
    assert hop.status == "pending"


def test_backup_and_officer_may_decide(db, rorg):
    hop = seeker_hop(db, rorg)
    assert "已驳回" in approvals.apply_command(session=db, actor="backup_a", command="reject", target=f"S{hop.item_id}",
                                             text="信息不全", now=LATER)
    assert (hop.status, hop.decision_note, hop.item.status) == ("rejected", "信息不全", "rejected")
    [notice] = deliveries(db, purpose="notice")
    assert (notice.channel, notice.target) == ("mp", "o_res_a1")
    hop2 = seeker_hop(db, rorg)
    assert "已通过" in approvals.apply_command(session=db, actor="officer01", command="approve", target=str(hop2.id),
                                             text="", now=LATER)


def test_edit_then_approve_relays_the_edited_text(db, rorg):
    item = service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="officer01",
                               author_kind="staff", understanding=understood(JOB_ANYWHERE, "staff"), now=MORNING)
    db.commit()
    reply = approvals.apply_command(session=db, actor="steward_a", command="edit", target=item.code,
                                    text="【招工】小区保洁3名 月薪3000 电话13800002222", now=LATER)
    assert "已修改" in reply
    assert "已通过" in approvals.apply_command(session=db, actor="steward_a", command="approve", target=item.code,
                                             text="", now=LATER)
    db.commit()
    village_posts = [d for d in deliveries(db, purpose="relay") if d.target in ("robot-a1", "chat-a2", "chattowna")]
    assert len(village_posts) == 3
    assert all(d.payload["content"].startswith("【招工】小区保洁3名") for d in village_posts)
    district_post = next(d for d in deliveries(db, purpose="relay") if d.target == "chatdistrict")
    assert "小区保洁" not in district_post.payload["content"]  # published before the edit


def test_edit_of_a_seeker_note_is_masked_again(db, rorg):
    hop = seeker_hop(db, rorg)
    approvals.apply_command(session=db, actor="steward_a", command="edit", target=str(hop.id),
                            text="叉车工 有证 电话13812345678", now=LATER)
    assert "13812345678" not in hop.text


def test_card_edit_button_explains_the_text_command(db, rorg):
    hop = seeker_hop(db, rorg)
    assert f"修改 S{hop.item_id}" in click(db, hop, f"edit:{hop.id}")
    assert hop.status == "pending"


def test_click_with_a_foreign_task_id_is_ignored(db, rorg):
    hop = seeker_hop(db, rorg)
    reply = approvals.apply_card_click(session=db, click=approvals.CardClick("steward_a", f"approve:{hop.id}", "other", "rc"),
                                       now=LATER)
    assert "没有找到" in reply and hop.status == "pending"


def test_officer_must_pick_a_hop_when_a_job_waits_in_several_townships(db, rorg):
    item = service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="officer01",
                               author_kind="staff", understanding=understood(JOB_ANYWHERE, "staff"), now=MORNING)
    db.commit()
    reply = approvals.apply_command(session=db, actor="officer01", command="approve", target=item.code, text="", now=LATER)
    assert "多个乡镇" in reply
    assert db.scalar(select(Item.status).where(Item.id == item.id)) == "relaying"
