"""Customer groups (§2.6, §1.8): groupchat/get|list, join ways with a real QR image, and who may be where."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from sandbox.emulator.customer_groups import JOIN_LINK_BASE

RESIDENT = {"external_userid": "wmResident0000000000000000000001", "name": "李四", "unionid": "ozUnion001"}


def seed(api, **extra) -> dict:
    body = {"name": "白沙村群众求职群", "owner": "zhangsan", "staff": ["lisi"], **extra}
    return api.control("customer_groups", body)


def decode_png(data: bytes) -> str:
    [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    return result.text


def test_groupchat_get_has_the_real_shape(api, clock):
    group = seed(api, externals=[RESIDENT], notice="文明交流")
    answer = api.post("externalcontact/groupchat/get", {"chat_id": group["chat_id"], "need_name": 1})
    assert answer["errcode"] == 0
    chat = answer["group_chat"]
    assert chat["chat_id"].startswith("wr") and chat["owner"] == "zhangsan" and chat["notice"] == "文明交流"
    assert chat["create_time"] == int(clock())
    owner, staff, resident = chat["member_list"]
    assert (owner["userid"], owner["type"], owner["join_scene"]) == ("zhangsan", 1, 1)
    assert staff["invitor"] == {"userid": "zhangsan"} and staff["type"] == 1
    assert resident["type"] == 2 and resident["unionid"] == "ozUnion001" and resident["name"] == "李四"
    assert len(chat["member_version"]) == 32 and chat["admin_list"] == []
    without_names = api.post("externalcontact/groupchat/get", {"chat_id": group["chat_id"]})["group_chat"]
    assert all("name" not in m for m in without_names["member_list"])


def test_unknown_customer_group_is_40050_and_list_pages(api):
    assert api.post("externalcontact/groupchat/get", {"chat_id": "wrNoSuchGroup"})["errcode"] == 40050
    ids = {seed(api, name=f"群{i}")["chat_id"] for i in range(3)}
    first = api.post("externalcontact/groupchat/list", {"limit": 2})
    second = api.post("externalcontact/groupchat/list", {"limit": 2, "cursor": first["next_cursor"]})
    listed = [g["chat_id"] for g in first["group_chat_list"] + second["group_chat_list"]]
    assert set(listed) == ids and "next_cursor" not in second
    assert api.post("externalcontact/groupchat/list", {"limit": 0})["errcode"] == 40058


def test_a_group_owner_must_be_a_corp_member(api):
    response = api.http.post("/_emulator/customer_groups", json={"name": "x", "owner": "stranger"})
    assert response.status_code == 409 and response.json()["detail"]["errcode"] == 40003


def test_join_way_qr_encodes_a_link_that_joins_with_the_state(api, clock):
    group = seed(api)
    added = api.post(
        "externalcontact/groupchat/add_join_way",
        {"scene": 2, "chat_id_list": [group["chat_id"]], "state": "V410102001", "remark": "白沙村海报"},
    )
    assert added["errcode"] == 0
    way = api.post("externalcontact/groupchat/get_join_way", {"config_id": added["config_id"]})["join_way"]
    assert way["chat_id_list"] == [group["chat_id"]] and way["state"] == "V410102001" and way["scene"] == 2
    png = api.http.get(way["qr_code"])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    link = decode_png(png.content)
    assert link.startswith(JOIN_LINK_BASE)

    clock.advance(60)
    change = api.control("customer_groups/join", {"join_link": link, "external": RESIDENT})
    assert change["event"] == {
        "ChatId": group["chat_id"],
        "ChangeType": "update",
        "UpdateDetail": "add_member",
        "JoinScene": 3,
        "MemChangeCnt": 1,
        "MemChangeList": [RESIDENT["external_userid"]],
        "LastMemVer": group["member_version"],
        "CurMemVer": change["event"]["CurMemVer"],
    }
    chat = api.post("externalcontact/groupchat/get", {"chat_id": group["chat_id"]})["group_chat"]
    joined = chat["member_list"][-1]
    assert (
        joined["state"] == "V410102001" and joined["join_scene"] == 3 and joined["join_time"] == int(clock())
    )
    assert chat["member_version"] == change["event"]["CurMemVer"] != group["member_version"]


def test_join_way_limits(api):
    groups = [seed(api, name=f"群{i}")["chat_id"] for i in range(6)]
    add = "externalcontact/groupchat/add_join_way"
    assert api.post(add, {"scene": 2, "chat_id_list": groups})["errcode"] == 40058  # more than 5
    assert api.post(add, {"scene": 2, "chat_id_list": []})["errcode"] == 40058
    assert api.post(add, {"scene": 3, "chat_id_list": groups[:1]})["errcode"] == 40058
    assert api.post(add, {"scene": 2, "chat_id_list": groups[:1], "state": "村" * 31})["errcode"] == 40058
    assert api.post(add, {"scene": 2, "chat_id_list": ["wrNotOurs"]})["errcode"] == 40050
    ok = api.post(add, {"scene": 1, "chat_id_list": groups[:5], "state": "村" * 30})
    way = api.post("externalcontact/groupchat/get_join_way", {"config_id": ok["config_id"]})["join_way"]
    assert "qr_code" not in way  # scene 1 is the mini-program button: no QR image


def test_update_and_delete_join_way(api):
    first, second = seed(api, name="一")["chat_id"], seed(api, name="二")["chat_id"]
    config_id = api.post(
        "externalcontact/groupchat/add_join_way", {"scene": 2, "chat_id_list": [first], "state": "A"}
    )["config_id"]
    update = {"config_id": config_id, "scene": 2, "chat_id_list": [second], "state": "B"}
    assert api.post("externalcontact/groupchat/update_join_way", update)["errcode"] == 0
    way = api.post("externalcontact/groupchat/get_join_way", {"config_id": config_id})["join_way"]
    assert way["chat_id_list"] == [second] and way["state"] == "B"
    assert api.post("externalcontact/groupchat/del_join_way", {"config_id": config_id})["errcode"] == 0
    assert api.post("externalcontact/groupchat/get_join_way", {"config_id": config_id})["errcode"] == 40058
    assert api.http.get(way["qr_code"]).status_code == 404


def test_leave_is_a_del_member_change(api):
    group = seed(api, externals=[RESIDENT])
    change = api.control(
        "customer_groups/leave", {"chat_id": group["chat_id"], "userid": RESIDENT["external_userid"]}
    )
    assert change["event"]["UpdateDetail"] == "del_member" and change["event"]["QuitScene"] == 0
    chat = api.post("externalcontact/groupchat/get", {"chat_id": group["chat_id"]})["group_chat"]
    assert [m["userid"] for m in chat["member_list"]] == ["zhangsan", "lisi"]


# -- who may be where (§2.4, §2.5) ---------------------------------------------------------------


def test_appchat_refuses_external_contacts_as_members(api):
    body = {"name": "员工群", "owner": "zhangsan", "userlist": ["zhangsan", RESIDENT["external_userid"]]}
    assert api.post("appchat/create", body)["errcode"] == 86216
    chatid = api.post("appchat/create", {"name": "员工群", "userlist": ["zhangsan", "lisi"]})["chatid"]
    update = {"chatid": chatid, "add_user_list": [RESIDENT["external_userid"]]}
    assert api.post("appchat/update", update)["errcode"] == 86216
    assert (
        api.post("appchat/update", {"chatid": chatid, "add_user_list": ["o_follower_1"]})["errcode"] == 86216
    )


def test_appchat_cannot_post_into_or_take_over_a_customer_group(api):
    group = seed(api, externals=[RESIDENT])
    send = {"chatid": group["chat_id"], "msgtype": "text", "text": {"content": "招聘信息"}}
    assert api.post("appchat/send", send)["errcode"] == 86008
    get = api.http.get("/cgi-bin/appchat/get", params={"access_token": api.token, "chatid": group["chat_id"]})
    assert get.json()["errcode"] == 86008
    create = {"chatid": group["chat_id"], "name": "x", "userlist": ["zhangsan", "lisi"]}
    assert api.post("appchat/create", create)["errcode"] == 86215
    assert api.emu.state.received(f"appchat:{group['chat_id']}") == []


def test_a_robot_cannot_be_put_in_a_customer_group(api):
    group = seed(api)
    response = api.http.post(
        "/_emulator/robots/bind", json={"key": "robot-key-1", "chat_id": group["chat_id"]}
    )
    assert response.status_code == 409 and response.json()["detail"]["errcode"] == 93008


def test_a_robot_whose_group_became_external_gets_93008(api):
    api.control("robots/bind", {"key": "robot-key-1", "chat_id": "wrStaffGroup0001"})
    text = {"msgtype": "text", "text": {"content": "通知"}}
    assert (
        api.http.post("/cgi-bin/webhook/send", params={"key": "robot-key-1"}, json=text).json()["errcode"]
        == 0
    )
    # The group takes in residents (it is now a customer group): WeCom removes its robot.
    seed(api, chat_id="wrStaffGroup0001", externals=[RESIDENT])
    answer = api.http.post("/cgi-bin/webhook/send", params={"key": "robot-key-1"}, json=text).json()
    assert answer["errcode"] == 93008
    assert len(api.emu.state.received("robot:robot-key-1")) == 1


def test_the_owner_cannot_leave_and_a_stranger_cannot_be_removed(api):
    group = seed(api)
    for userid in ("zhangsan", "wmNobody"):
        response = api.http.post(
            "/_emulator/customer_groups/leave", json={"chat_id": group["chat_id"], "userid": userid}
        )
        assert response.status_code == 409
