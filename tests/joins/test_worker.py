"""The join worker's failure paths: a closed window, a platform refusal, a transient error, a gone group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.joins.models import CustomerGroupMember, CustomerGroupSync, JoinInvitation
from app.joins.service import record_scan, request_group_sync
from bots.inbound import from_xml
from sandbox import phone_payloads

from .conftest import village

OPENID = "o_worker_0001"


def owe(db, world, *, scanned_at: datetime) -> JoinInvitation:
    world.emulator.state.mp_interaction(OPENID, "subscribe")
    invitation = record_scan(session=db, openid=OPENID, node=village(db, world.org), event="subscribe",
                             now=scanned_at, owed=True)
    db.commit()
    return invitation


def test_a_scan_older_than_the_window_is_failed_not_sent(world, db):
    invitation = owe(db, world, scanned_at=datetime.now(UTC) - timedelta(minutes=5))
    world.app.state.join_worker.drain()
    db.refresh(invitation)
    assert invitation.status == "failed" and "window" in invitation.last_error
    assert world.emulator.state.received(f"openid:{OPENID}") == []


def test_an_invitation_left_sending_by_a_dead_worker_is_failed(world, db):
    invitation = owe(db, world, scanned_at=datetime.now(UTC) - timedelta(minutes=3))
    invitation.status = "sending"
    db.commit()
    world.app.state.join_worker.drain()
    db.refresh(invitation)
    assert invitation.status == "failed" and "interrupted" in invitation.last_error


def test_a_platform_refusal_is_recorded_with_its_errcode(world, db):
    world.emulator.state.set_faults({"script": [48002], "paths": ["externalcontact/groupchat/add_join_way"]})
    invitation = owe(db, world, scanned_at=datetime.now(UTC))
    world.app.state.join_worker.drain()
    db.refresh(invitation)
    assert invitation.status == "failed" and "48002" in invitation.last_error


def test_a_transient_error_leaves_the_invitation_for_the_next_pass(world, db):
    world.emulator.state.set_faults({"script": ["http:502"] * 4, "paths": ["mp/message/custom/send"]})
    invitation = owe(db, world, scanned_at=datetime.now(UTC))
    world.app.state.join_worker.drain()
    db.refresh(invitation)
    assert invitation.status == "pending" and "HTTP 502" in invitation.last_error
    world.app.state.join_worker.drain()
    db.refresh(invitation)
    assert invitation.status == "sent" and len(world.emulator.state.received(f"openid:{OPENID}")) == 1


def test_a_dismissed_group_empties_its_membership(world, db):
    world.emulator.state.join_customer_group(chat_id=world.chat_id, external={"external_userid": "wmGone"})
    request_group_sync(session=db, chat_id=world.chat_id, now=datetime.now(UTC))
    db.commit()
    world.app.state.join_worker.drain()
    assert db.scalar(select(CustomerGroupMember.left_at).where(CustomerGroupMember.userid == "wmGone")) is None
    del world.emulator.state.customer_groups.groups[world.chat_id]  # the owner dismissed it
    request_group_sync(session=db, chat_id=world.chat_id, now=datetime.now(UTC) + timedelta(seconds=1))
    db.commit()
    world.app.state.join_worker.drain()
    db.expire_all()
    assert db.scalar(select(CustomerGroupMember.left_at).where(CustomerGroupMember.userid == "wmGone")) is not None
    assert "40050" in db.scalar(select(CustomerGroupSync.last_error))


def test_changes_of_two_groups_in_the_same_second_are_two_events():
    def change(chat_id: str, version: str) -> str:
        fields = {"ChatId": chat_id, "ChangeType": "update", "UpdateDetail": "add_member", "JoinScene": 3,
                  "MemChangeCnt": 1, "MemChangeList": ["wmA"], "LastMemVer": "x", "CurMemVer": version}
        return phone_payloads.change_external_chat(corp_id="wwcorp", create_time=1700000000, fields=fields)

    first, second = from_xml(change("wrOne", "v1"), channel="wecom"), from_xml(change("wrTwo", "v2"), channel="wecom")
    retry = from_xml(change("wrOne", "v1"), channel="wecom")
    assert first.dedupe_key != second.dedupe_key and first.dedupe_key == retry.dedupe_key
    assert first.extra["ChatId"] == "wrOne"
