"""People help themselves: help, their posts, 招满 / 撤回, and deleting their information."""

from __future__ import annotations

import httpx
from sqlalchemy import select, text

from app.inbound.models import InboundMessage
from app.org.models import Contact
from relay.intake import start_queued_items
from relay.models import Delivery, Item
from tests.relay.test_inbound_relay import mp_send, settle
from tests.support import callbacks as cb
from tests.support.factories import certify_employer

NOTE = "本人王建国 男 45岁 会开叉车有证5年 想在中牟新区找仓库的活 电话13812345678"
JOB = "招聘保洁员3名 月薪3000 地点县城各小区 联系电话13800002222"


def wecom(base: str, sender: str, content: str, msg_id: int) -> str:
    params, body = cb.sealed_wecom(cb.text_xml(sender, content, msg_id))
    return cb.open_xml_reply(httpx.post(f"{base}/wecom/callback", params=params, content=body).text)["Content"]


def test_help_and_my_items(server, rorg, db, session_factory):
    assert "求职" in mp_send(server, "o_res_a1", "帮助", 8001)
    assert "还没有" in mp_send(server, "o_res_a1", "我的发布", 8002)
    mp_send(server, "o_res_a1", NOTE, 8003)
    settle(session_factory)
    mine = mp_send(server, "o_res_a1", "我的发布", 8004)
    assert "S" in mine and "13812345678" not in mine


def test_employer_marks_a_job_filled_and_nobody_else_can(server, rorg, db, session_factory):
    contact = db.scalar(select(Contact).where(Contact.openid == "o_emp_01"))
    certify_employer(db, contact, name="测试保洁公司", phone="13800002222")
    mp_send(server, "o_emp_01", JOB, 8010)
    code = db.scalar(select(Item)).code
    assert "不是您发布的" in mp_send(server, "o_res_a1", f"{code}招满了", 8011)
    assert "招满" in mp_send(server, "o_emp_01", f"{code}招满了", 8012)
    db.expire_all()
    item = db.scalar(select(Item))
    assert item.status == "done" and item.closed_at is not None
    assert settle(session_factory) == 0  # a filled job is not routed any more
    assert "无需" in mp_send(server, "o_emp_01", f"撤回 {code}", 8013)


def test_delete_my_information_erases_name_phone_and_what_was_written(server, rorg, db, session_factory):
    mp_send(server, "o_res_a1", NOTE, 8020)
    reply = mp_send(server, "o_res_a1", "删除我的信息", 8021)
    assert "已删除" in reply
    db.expire_all()
    contact = db.scalar(select(Contact).where(Contact.openid == "o_res_a1"))
    assert contact.name is None and contact.phone is None
    assert all(m.content is None for m in db.scalars(select(InboundMessage).where(InboundMessage.sender == "o_res_a1"))
               if m.dedupe_key != "msg:8021")
    item = db.scalar(select(Item))
    assert item.status == "withdrawn" and item.raw_text is None
    assert start_queued_items(session_factory=session_factory, now=item.created_at) == 0
    assert not db.scalars(select(Delivery).where(Delivery.status == "queued")).all()
    raw = " ".join(str(v) for v in db.execute(text("SELECT content, reply FROM inbound_messages")).all())
    assert "王建国" not in raw


def test_staff_are_told_their_data_is_managed_by_the_bureau(server, rorg):
    assert "区人社局" in wecom(server, "steward_a", "删除我的信息", 8030)
