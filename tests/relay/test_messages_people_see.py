"""What people read (issue 11, item 17): an employer hears "已提交，等待审核" until a township
really publishes the job; officers never see internal states; cut texts end with "…"; a job's
card shows its place once and keeps the contact's name and benefits; 我的发布 with nothing
says so."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.org.actors import Actor
from app.org.models import Contact
from relay import approvals, messaging, service
from relay.models import Hop, Item
from tests.relay.support import deliveries, understood
from tests.relay.test_inbound_relay import mp_send, settle
from tests.support.factories import certify_employer
from vetting import flows

JOB = "招聘叉车工2名 月薪6000-8000 包吃住 五险一金 地点雁鸣湖镇物流园 联系人王经理 电话13800001111"
INTERNAL = re.compile(r"[A-Za-z_]{4,}")  # published, held, reported, relaying, expired...


def _employer(db) -> Contact:
    contact = db.scalar(select(Contact).where(Contact.openid == "o_emp_01"))
    certify_employer(db, contact, name="示例物流有限公司", phone="13800001111")
    return contact


def test_the_employer_hears_waiting_until_a_township_publishes(server, rorg, db, session_factory):
    _employer(db)
    assert "还没有" in mp_send(server, "o_emp_01", "我的发布", 8101)  # nothing yet: it says so
    reply = mp_send(server, "o_emp_01", JOB, 8102)
    assert "已提交，等待审核" in reply and "已发布" not in reply
    settle(session_factory)
    mine = mp_send(server, "o_emp_01", "我的发布", 8103)
    assert "等待审核" in mine and not INTERNAL.search(mine)
    db.expire_all()
    item = db.scalar(select(Item))
    approvals.apply_command(session=db, actor="steward_b", command="approve", target=item.code, text="",
                            now=datetime.now(UTC))
    db.commit()
    [told] = [d for d in deliveries(db, purpose="notice") if d.target == "o_emp_01" and "已发布" in d.payload["content"]]
    assert told.channel == "mp" and item.code in told.payload["content"]
    assert "已发布" in mp_send(server, "o_emp_01", "我的发布", 8104)


def test_officers_never_see_internal_states(db, rorg):
    contact = _employer(db)
    item = service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="o_emp_01",
                               author_kind="employer", understanding=understood(JOB, "employer"), now=datetime.now(UTC))
    flows.screen_job(session=db, item=item, contact=contact, text="月薪50000 日结 无需经验", fields={
        "salary_min": 50000, "salary_max": 50000, "salary_unit": "month"}, now=datetime.now(UTC))
    db.commit()
    first = flows.decide(session=db, actor=Actor.staff("officer01"), command="approve", target=item.code, text="",
                         now=datetime.now(UTC))
    again = flows.decide(session=db, actor=Actor.staff("officer01"), command="approve", target=item.code, text="",
                         now=datetime.now(UTC))
    for reply in (first, again):
        assert not INTERNAL.search(reply), reply
    assert "已发布" in first
    hop = db.scalar(select(Hop).where(Hop.item_id == item.id, Hop.needs_approval))
    hop.status = "expired"
    assert not INTERNAL.search(messaging.already_decided(item.code, hop.status, "张三"))


def test_cut_texts_end_with_an_ellipsis(server, rorg, db, session_factory):
    long_note = "本人会开叉车有证五年，" + "能吃苦肯干，" * 80 + "电话13812345678"
    mp_send(server, "o_res_a1", long_note, 8201)
    settle(session_factory)
    mine = mp_send(server, "o_res_a1", "我的发布", 8202)
    line = mine.splitlines()[1]
    assert line.endswith("…") and len(line) < 60
    card = deliveries(db, purpose="card")[0].payload["card"]
    assert card["sub_title_text"].endswith("…")


def test_a_job_card_shows_the_place_once_with_contact_name_and_benefits(db, rorg):
    item = service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="officer01",
                               author_kind="staff", understanding=understood(JOB, "employer"),
                               now=datetime.now(UTC) - timedelta(minutes=1))
    db.commit()
    card = deliveries(db, purpose="card")[0].payload["card"]
    rows = {r["keyname"]: r["value"] for r in card["horizontal_content_list"]}
    assert "包吃" in rows.get("待遇", "") and "王经理" in rows.get("联系", "")
    assert rows["地点"] == "雁鸣湖镇物流园"
    line = db.scalar(select(Hop.text).where(Hop.item_id == item.id, Hop.needs_approval)).splitlines()[0]
    assert line.count("雁鸣湖镇物流园") == 1 and "王经理" in line and "包吃" in line
