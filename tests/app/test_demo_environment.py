"""The whole edge end to end: the emulator's phone talks to our server over real HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.demo.environment import DemoEnvironment
from app.demo.scenario import play, reply_text
from app.inbound.models import InboundMessage
from app.org.models import ChatGroup, Contact, Node
from relay.models import Delivery, GroupTask
from tests.conftest import TEST_DATA_KEY


@pytest.fixture
def demo(database_url, session_factory):
    env = DemoEnvironment(database_url=database_url, data_key=TEST_DATA_KEY)
    with env:
        yield env


@pytest.mark.parametrize("kind", ["wecom", "mp", "aibot"])
def test_url_verification_of_each_receiver_passes(demo, kind):
    result = demo.phone.verify_url(kind)
    assert result.ok and result.reply == result.payload


def test_scenario_relays_both_ways_and_binds_the_resident(demo, db):
    outcome = play(demo, log=lambda *_: None)
    results = outcome.results
    assert all(r.ok and r.attempts == 1 for r in results)
    welcome, seeker_ack, job_ack, approved = (reply_text(r) for r in results)
    assert "建设路社区" in welcome
    assert "5678" not in seeker_ack and "张卫东" not in seeker_ack and "张先生" in seeker_ack
    assert "13800000001" in job_ack  # an employer's business contact stays visible
    resident = db.scalar(select(Contact).where(Contact.openid == "o_demo_scenario_resident"))
    assert db.get(Node, resident.node_id).code == "zm-qnl-01"
    clicks = db.scalar(select(func.count()).select_from(GroupTask).where(GroupTask.kind == "manual"))
    assert clicks == 1  # zm-qnl-05 relays by hand: its relayer's 已转发 is a callback too
    assert db.scalar(select(func.count()).select_from(InboundMessage)) == len(results) + clicks
    assert "已通过" in approved
    state = demo.emulator.state
    # The district employers' group is a customer group: the note is there because its owner confirmed.
    district_posts = [e["content"] for e in state.received("customer_group:wrzmemployers")]
    seeker_posts = [c for c in district_posts if "叉车" in (c or "") and "求职" in c]
    assert len(seeker_posts) == 1 and "13812345678" not in seeker_posts[0] and "张卫东" not in seeker_posts[0]
    village_groups = [g for g in db.scalars(select(ChatGroup).where(ChatGroup.purpose == "residents"))
                      if db.get(Node, g.node_id).parent.code == "zm-qnl"]
    assert {g.kind for g in village_groups} == {"customer", "manual"}
    job_id = int(outcome.job_code[1:])
    for group in village_groups:
        row = db.scalar(select(Delivery).where(Delivery.group_id == group.id, Delivery.item_id == job_id))
        assert row.status == "sent", group.name  # confirmed by its owner, or 已转发 clicked by its relayer
        if group.kind == "customer":
            jobs = [e for e in state.received(f"customer_group:{group.address}")
                    if outcome.job_code in (e["content"] or "")]
            assert len(jobs) == 1, group.name  # every customer group of the township, exactly once


def test_the_district_group_is_a_customer_group_no_api_adds_members_to(demo):
    """Employers join the district's customer group themselves (its join QR); appchat/update would
    only ever reach an internal group, so no certified employer is pushed into one."""
    group = demo.emulator.state.customer_group("wrzmemployers")
    assert group["owner"] == "zm_officer01"
    assert demo.emulator.state.chat("zmemployers") is None
    assert "zm_demo_employer03" not in [m["userid"] for m in group["member_list"]]


def test_ai_bot_mention_is_answered(demo):
    result = demo.phone.aibot_mention("zm_qnl01_head", "wrdemo01", "有没有招保洁的")
    assert result.ok and result.reply and '"stream"' in result.reply
