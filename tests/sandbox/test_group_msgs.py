"""企业群发 into customer groups (§2.7): a task waits for its sender's confirmation on the phone, each
group receives one send a day, and the result APIs answer with WeCom's shapes."""

from __future__ import annotations

import pytest

DAY = 24 * 3600


@pytest.fixture
def groups(emu):
    state = emu.state
    state.seed_customer_group(name="一村群众求职群", owner="zhangsan", chat_id="wr01")
    state.seed_customer_group(name="二村群众求职群", owner="zhangsan", chat_id="wr02")
    state.seed_customer_group(name="三村群众求职群", owner="lisi", chat_id="wr03")
    return state


def add(api, chat_ids, *, sender="zhangsan", content="招聘叉车工2名（编号J1）", **extra):
    body = {"chat_type": "group", "sender": sender, "chat_id_list": chat_ids, "text": {"content": content}, **extra}
    return api.post("externalcontact/add_msg_template", body)


def task_list(api, msgid, **page):
    return api.post("externalcontact/get_groupmsg_task", {"msgid": msgid, **page})


def send_result(api, msgid, userid="zhangsan", **page):
    return api.post("externalcontact/get_groupmsg_send_result", {"msgid": msgid, "userid": userid, **page})


def test_a_task_delivers_nothing_until_its_sender_confirms(api, groups, clock):
    answer = add(api, ["wr01", "wr02"])
    assert answer["errcode"] == 0 and answer["fail_list"] == [] and answer["msgid"]
    msgid = answer["msgid"]
    assert api.emu.state.received("customer_group:wr01") == []
    assert task_list(api, msgid)["task_list"] == [{"userid": "zhangsan", "status": 0}]
    assert [s["status"] for s in send_result(api, msgid)["send_list"]] == [0, 0]
    pending = api.http.get("/_emulator/group_msgs/pending", params={"userid": "zhangsan"}).json()["tasks"]
    assert [t["msgid"] for t in pending] == [msgid]

    clock.advance(600)
    confirmed = api.control("group_msgs/confirm", {"userid": "zhangsan", "msgid": msgid})
    assert [s["status"] for s in confirmed["send_list"]] == [1, 1]
    [post] = api.emu.state.received("customer_group:wr01")
    assert post["content"] == "招聘叉车工2名（编号J1）"
    [task] = task_list(api, msgid)["task_list"]
    assert task == {"userid": "zhangsan", "status": 2, "send_time": int(clock())}
    assert send_result(api, msgid)["send_list"][0] == {"chat_id": "wr01", "userid": "zhangsan", "status": 1,
                                                       "send_time": int(clock())}
    assert api.http.get("/_emulator/group_msgs/pending", params={"userid": "zhangsan"}).json()["tasks"] == []
    response = api.http.post("/_emulator/group_msgs/confirm", json={"userid": "zhangsan", "msgid": msgid})
    assert response.status_code == 404  # tapped twice: already sent


def test_one_send_a_day_per_group_then_41048_or_fail_list(api, groups, clock):
    first = add(api, ["wr01"])["msgid"]
    api.control("group_msgs/confirm", {"userid": "zhangsan", "msgid": first})
    refused = add(api, ["wr01"])
    assert refused["errcode"] == 41048 and "msgid" not in refused  # 无可发送的客户: nothing created
    mixed = add(api, ["wr01", "wr02"])
    assert mixed["errcode"] == 0 and mixed["fail_list"] == ["wr01"]
    assert [s["chat_id"] for s in send_result(api, mixed["msgid"])["send_list"]] == ["wr02"]

    # Two tasks created before either was sent: the group takes the first, the second reports status 3.
    race_a, race_b = add(api, ["wr02"])["msgid"], add(api, ["wr02"])["msgid"]
    api.control("group_msgs/confirm", {"userid": "zhangsan", "msgid": race_a})
    api.control("group_msgs/confirm", {"userid": "zhangsan", "msgid": race_b})
    assert send_result(api, race_b)["send_list"][0]["status"] == 3
    assert len(api.emu.state.received("customer_group:wr02")) == 1

    clock.advance(DAY)  # a new day: the group may receive again
    api._token = None  # (and yesterday's access_token has expired)
    assert add(api, ["wr01"])["errcode"] == 0


def test_who_may_send_where_and_what(api, groups):
    assert add(api, ["wr03"])["errcode"] == 41048  # lisi's group: zhangsan cannot group-send into it
    assert add(api, ["wr01", "wr03", "nosuchgroup"])["fail_list"] == ["wr03", "nosuchgroup"]
    assert add(api, ["wr01"], sender="ghost")["errcode"] == 40003
    assert add(api, ["wr01"], sender="")["errcode"] == 40063
    assert add(api, ["wr01"], content="")["errcode"] == 40063
    assert add(api, ["wr01"], content="字" * 1334)["errcode"] == 40058  # 4002 bytes > 4000
    assert add(api, ["wr01"], content="字" * 1333)["errcode"] == 0
    assert add(api, [], content="x")["errcode"] == 40058
    assert add(api, ["wr01"], chat_type="single")["errcode"] == 40058
    assert task_list(api, "msgNOPE")["errcode"] == 41047
    assert api.post("externalcontact/get_groupmsg_task", {})["errcode"] == 41046
    assert api.post("externalcontact/get_groupmsg_task", {"msgid": "x"}, token="bad")["errcode"] == 40014


def test_results_page_with_a_cursor(api, groups, emu):
    for n in range(4, 9):
        emu.state.seed_customer_group(name=f"{n}村", owner="zhangsan", chat_id=f"wr0{n}")
    chats = ["wr01", "wr02", "wr04", "wr05", "wr06", "wr07", "wr08"]
    msgid = add(api, chats)["msgid"]
    seen, cursor = [], ""
    while True:
        page = send_result(api, msgid, limit=3, cursor=cursor)
        assert len(page["send_list"]) <= 3
        seen += [s["chat_id"] for s in page["send_list"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == chats
    assert send_result(api, msgid, userid="lisi")["send_list"] == []  # not lisi's task


def test_the_list_of_group_sends_by_time_and_creator(api, groups, clock):
    first = add(api, ["wr01"], content="第一条")["msgid"]
    clock.advance(60)
    add(api, ["wr03"], sender="lisi", content="李四的")
    now = int(clock())
    body = {"chat_type": "group", "start_time": now - 3600, "end_time": now}
    answer = api.post("externalcontact/get_groupmsg_list_v2", {**body, "creator": "zhangsan"})
    assert answer["errcode"] == 0 and answer["next_cursor"] == ""
    assert answer["group_msg_list"] == [{"msgid": first, "creator": "zhangsan", "create_time": str(now - 60),
                                         "create_type": 0, "text": {"content": "第一条"}}]
    assert len(api.post("externalcontact/get_groupmsg_list_v2", body)["group_msg_list"]) == 2
    assert api.post("externalcontact/get_groupmsg_list_v2", {**body, "filter_type": 1})["group_msg_list"] == []
    too_long = {**body, "start_time": now - 32 * DAY}
    assert api.post("externalcontact/get_groupmsg_list_v2", too_long)["errcode"] == 40058
