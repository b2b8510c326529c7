"""Scan to join (扫一个码), end to end over real HTTP: scene → binding → welcome with the join QR →
the resident joins on the phone → change_external_chat → membership and coverage updated."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from app.joins.coverage import membership_report
from app.joins.models import CustomerGroupMember, JoinInvitation, VillageJoinWay
from app.org.models import Contact
from bots.client import MemoryCallRecorder, MemoryTokenStore, MpClient

from .conftest import ADMIN_TOKEN, decode_qr

NEWCOMER = "o_newcomer_0001"
SECOND = "o_newcomer_0002"


def village_code(world) -> str:
    return world.org.village.code


def oa_code_url(world) -> str:
    """The poster's code: qrcode/create with the village's scene, as `jobmatrix qr export` makes it."""
    cfg = world.emulator.config
    with MpClient(app_id=cfg.mp_app_id, app_secret=cfg.mp_app_secret, api_base=world.emulator.mp_api_base,
                  token_store=MemoryTokenStore(), recorder=MemoryCallRecorder()) as mp:
        return mp.qrcode.create(scene=village_code(world))["url"]


def invitation_status(db, openid: str) -> str | None:
    db.expire_all()
    return db.scalar(select(JoinInvitation.status).where(JoinInvitation.openid == openid))


def test_scan_binds_welcomes_sends_join_qr_and_membership_follows(world, db):
    url = oa_code_url(world)
    result = world.phone.scan_oa_qrcode(NEWCOMER, url)
    assert result.ok
    assert "技能 + 意向 + 联系方式" in result.reply and "入群二维码马上发给您" in result.reply
    assert "甲一村" in result.reply

    contact = db.scalar(select(Contact).where(Contact.openid == NEWCOMER))
    assert contact.node_id == world.org.village.id and contact.bound_via == f"qr:{village_code(world)}"

    world.wait_for(lambda: invitation_status(db, NEWCOMER) == "sent")
    png = world.image_sent_to(NEWCOMER)
    link = decode_qr(png)
    way = db.scalar(select(VillageJoinWay))
    assert way.state == village_code(world) and way.chat_id == world.chat_id
    emulated_way = world.emulator.state.customer_groups.join_ways[way.config_id]
    assert link == emulated_way.join_link and emulated_way.state == village_code(world)

    joined = world.phone.join_customer_group(join_link=link, external={"external_userid": "wmNewcomer0001"})
    assert joined.ok and joined.status == 200

    def member():
        db.expire_all()
        return db.scalar(select(CustomerGroupMember).where(CustomerGroupMember.userid == "wmNewcomer0001"))

    row = world.wait_for(member)
    assert (row.chat_id, row.member_type, row.join_scene, row.state) == (world.chat_id, 2, 3, village_code(world))
    assert row.invitor == "head01" and row.left_at is None

    report = membership_report(session=db)
    [village] = report["villages"]
    assert (village["members"], village["joined_by_qr"], village["bound_by_scan"]) == (1, 1, 1)
    assert report["qr_join_coverage"] == 1.0
    answer = httpx.get(world.base_url + "/api/membership", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert answer.json()["villages"][0]["joined_by_qr"] == 1

    assert world.phone.leave_customer_group(chat_id=world.chat_id, userid="wmNewcomer0001").ok
    world.wait_for(lambda: member().left_at is not None)
    assert membership_report(session=db)["villages"][0]["joined_by_qr"] == 0


def test_second_resident_reuses_the_join_way_and_the_uploaded_image(world, db):
    url = oa_code_url(world)
    world.phone.scan_oa_qrcode(NEWCOMER, url)
    world.wait_for(lambda: invitation_status(db, NEWCOMER) == "sent")
    world.phone.scan_oa_qrcode(SECOND, url)
    world.wait_for(lambda: invitation_status(db, SECOND) == "sent")
    calls = world.emulator.state.counters_snapshot()["calls"]
    assert calls["externalcontact/groupchat/add_join_way"] == 1
    assert calls["mp/media/upload"] == 1
    assert decode_qr(world.image_sent_to(SECOND)) == decode_qr(world.image_sent_to(NEWCOMER))


def test_a_follower_scanning_again_gets_scan_and_the_qr_again(world, db):
    url = oa_code_url(world)
    world.phone.scan_oa_qrcode(NEWCOMER, url)
    world.wait_for(lambda: invitation_status(db, NEWCOMER) == "sent")
    again = world.phone.scan_oa_qrcode(NEWCOMER, url)  # now a follower: SCAN, not subscribe
    assert again.ok and "入群二维码" in again.reply
    world.wait_for(lambda: len([e for e in world.emulator.state.received(f"openid:{NEWCOMER}")]) == 2)
    events = db.scalars(select(JoinInvitation.event).where(JoinInvitation.openid == NEWCOMER)).all()
    assert sorted(events) == ["SCAN", "subscribe"]


def test_a_village_without_a_customer_group_gets_no_join_qr(world, db):
    from app.org.models import ChatGroup

    group = db.scalar(select(ChatGroup).where(ChatGroup.node_id == world.org.village.id))
    group.kind, group.channel, group.address = "internal", "robot", "robotkey01"
    db.commit()
    result = world.phone.scan_oa_qrcode(NEWCOMER, oa_code_url(world))
    assert "人社服务专员拉您进群" in result.reply and "入群二维码" not in result.reply
    scan = db.scalar(select(JoinInvitation))
    assert (scan.openid, scan.status) == (NEWCOMER, "not_owed")  # on record, nothing to send
    assert world.app.state.join_worker.drain() == 0
    assert world.emulator.state.received(f"openid:{NEWCOMER}") == []
