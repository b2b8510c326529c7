"""Residents' notes forwarded from the village group by its staff (issue 9, item 6), through the
real webhook: the note is the village's, and the resident's when the phone number is theirs."""

from __future__ import annotations

from sqlalchemy import select

from app.org.models import Contact
from relay.forwarded import strip_forward
from relay.models import Item
from tests.relay.test_inbound_relay import mp_send, settle, wecom_post
from tests.support import callbacks as cb

FORWARDED = "转：本人王测试 男 40岁 会电焊 干了十年 想在县城找活 电话 139 1234 5678"  # o_res_a1's phone


def test_strip_forward_takes_only_a_leading_zhuan():
    assert strip_forward("转 会电焊 电话13900000000") == ("会电焊 电话13900000000", True)
    assert strip_forward("转发：会电焊") == ("会电焊", True)
    assert strip_forward("会电焊 转正") == ("会电焊 转正", False)
    assert strip_forward("转行做电焊 电话13900000000") == ("转行做电焊 电话13900000000", False)


def test_village_staff_forward_a_residents_note_and_it_is_theirs(server, rorg, db, session_factory):
    reply = wecom_post(server, cb.text_xml("hr_a1", FORWARDED, 7001))
    assert "编号S" in reply and "5678" not in reply and "王先生" in reply
    settle(session_factory)
    db.expire_all()
    item = db.scalar(select(Item).order_by(Item.id.desc()))
    resident = db.scalar(select(Contact).where(Contact.openid == "o_res_a1"))
    assert (item.origin_node_id, item.author_ref, item.author_kind) == (rorg.villages["a1"].id, "hr_a1", "staff")
    assert item.resident_id == resident.id
    assert not item.masked_text.startswith("转") and "13912345678" not in item.masked_text
    # The resident sees it among their posts, asking the Official Account one-to-one.
    assert item.code in mp_send(server, "o_res_a1", "我的发布", 7002)


def test_a_forwarded_note_with_an_unknown_phone_stays_the_villages(server, rorg, db, session_factory):
    wecom_post(server, cb.text_xml("head_a1", "转 本人李四 会做饭 想在县城找厨师的活 电话13700001111", 7003))
    settle(session_factory)
    db.expire_all()
    item = db.scalar(select(Item).order_by(Item.id.desc()))
    assert (item.kind, item.origin_node_id, item.resident_id) == ("seeker", rorg.villages["a1"].id, None)
