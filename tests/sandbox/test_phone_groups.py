"""The phone side of joining: scanning an OA parametric code, joining and leaving a customer group."""

from __future__ import annotations

import pytest

from tests.sandbox.test_phone import behaviour, hook, keys, make_phone, module_behaviour  # noqa: F401

NEWCOMER, FOLLOWER = "o_newcomer_1", "o_follower_1"


@pytest.fixture
def phone(emu, hook, keys):  # noqa: F811
    with make_phone(emu, hook, keys) as p:
        yield p


def create_code(emu, scene: str) -> dict:
    return emu.state.mp_assets.create_qrcode(
        {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene}}},
        now=emu.state.now(),
    )


def test_a_newcomer_scanning_subscribes_with_qrscene_and_ticket(phone, emu, behaviour):  # noqa: F811
    code = create_code(emu, "V410102001")
    assert phone.scan_oa_qrcode(NEWCOMER, code.url).ok
    [fields] = behaviour.payloads
    assert fields["Event"] == "subscribe" and fields["EventKey"] == "qrscene_V410102001"
    assert fields["Ticket"] == code.ticket and fields["FromUserName"] == NEWCOMER
    assert emu.state.directory.followers[NEWCOMER] is True


def test_a_follower_scanning_sends_scan_with_the_bare_scene(phone, emu, behaviour):  # noqa: F811
    code = create_code(emu, "V410102002")
    phone.scan_oa_qrcode(FOLLOWER, code.url)
    [fields] = behaviour.payloads
    assert (fields["Event"], fields["EventKey"], fields["Ticket"]) == ("SCAN", "V410102002", code.ticket)


def test_an_expired_code_sends_nothing(phone, emu, behaviour, clock):  # noqa: F811
    code = emu.state.mp_assets.create_qrcode(
        {"action_name": "QR_SCENE", "expire_seconds": 30, "action_info": {"scene": {"scene_id": 7}}},
        now=emu.state.now(),
    )
    clock.advance(31)
    with pytest.raises(LookupError):
        phone.scan_oa_qrcode(NEWCOMER, code.url)
    assert behaviour.payloads == []


def test_joining_and_leaving_push_change_external_chat(phone, emu, behaviour):  # noqa: F811
    group = emu.state.seed_customer_group(name="白沙村群众求职群", owner="zhangsan")
    way = emu.state.customer_groups.add_join_way(
        {"scene": 2, "chat_id_list": [group["chat_id"]], "state": "V1"}
    )
    external = {"external_userid": "wmResident01", "name": "李四"}
    assert phone.join_customer_group(join_link=way.join_link, external=external).ok
    assert phone.leave_customer_group(chat_id=group["chat_id"], userid="wmResident01", removed=True).ok
    joined, left = behaviour.payloads
    assert joined["Event"] == "change_external_chat" and joined["FromUserName"] == "sys"
    assert (joined["ChatId"], joined["ChangeType"], joined["UpdateDetail"]) == (
        group["chat_id"],
        "update",
        "add_member",
    )
    assert joined["JoinScene"] == "3" and joined["MemChangeCnt"] == "1"
    assert joined["MemChangeList.Item"] == "wmResident01"
    assert left["UpdateDetail"] == "del_member" and left["QuitScene"] == "1"
    assert left["LastMemVer"] == joined["CurMemVer"]
