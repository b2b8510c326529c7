"""message/send rules (§2.2, §3.1, §3.2) over real HTTP."""

import pytest


def test_text_is_delivered_with_msgid(api):
    answer = api.send_text("zhangsan|lisi", "你好")
    assert answer["errcode"] == 0 and answer["errmsg"] == "ok"
    assert answer["msgid"] and answer["invaliduser"] == ""
    assert "response_code" not in answer
    entries = api.inspect("received", target="user:lisi")["entries"]
    assert [(e["api"], e["msgtype"], e["content"], e["msgid"]) for e in entries] == [
        ("message/send", "text", "你好", answer["msgid"])
    ]


def test_unknown_users_are_listed_pipe_joined_and_lower_cased(api):
    answer = api.send_text("zhangsan|Ghost|nobody", "hi")
    assert answer["errcode"] == 0
    assert answer["invaliduser"] == "ghost|nobody"
    assert len(api.emu.state.received("user:zhangsan")) == 1


def test_all_invalid_is_81013(api):
    answer = api.send_text("ghost|nobody", "hi")
    assert answer["errcode"] == 81013
    assert answer["invaliduser"] == "ghost|nobody"
    assert api.emu.state.received() == []


def test_all_empty_is_82001(api):
    answer = api.post(
        "message/send",
        {
            "msgtype": "text",
            "agentid": 1000002,
            "text": {"content": "x"},
            "touser": "",
            "toparty": "",
            "totag": "",
        },
    )
    assert answer["errcode"] == 82001


def test_parties_tags_and_at_all(api):
    api.control("parties", {"party_id": 2, "userids": ["lisi", "wangwu"]})
    api.control("tags", {"tag_id": 7, "userids": ["zhaoliu"]})
    answer = api.post(
        "message/send",
        {"toparty": "2|99", "totag": "7", "msgtype": "text", "agentid": 1000002, "text": {"content": "x"}},
    )
    assert answer["errcode"] == 0 and answer["invalidparty"] == "99"
    assert set(api.emu.state.targets()) == {"user:lisi", "user:wangwu", "user:zhaoliu"}
    api.send_text("@all", "全体")
    assert len(api.emu.state.received("user:zhangsan")) == 1


def test_more_than_1000_users_is_rejected(api):
    assert api.send_text("|".join(f"u{i}" for i in range(1001)), "x")["errcode"] == 40032


def test_agentid_is_required_and_checked(api):
    body = {"touser": "zhangsan", "msgtype": "text", "text": {"content": "x"}}
    assert api.post("message/send", body)["errcode"] == 41011
    assert api.post("message/send", {**body, "agentid": 999})["errcode"] == 40056


def test_empty_content_is_44004(api):
    assert api.send_text("zhangsan", "")["errcode"] == 44004
    md = {"touser": "zhangsan", "msgtype": "markdown", "agentid": 1000002, "markdown": {"content": ""}}
    assert api.post("message/send", md)["errcode"] == 44004


def test_unknown_msgtype_and_bad_json(api):
    assert (
        api.post(
            "message/send", {"touser": "zhangsan", "msgtype": "hologram", "agentid": 1000002, "hologram": {}}
        )["errcode"]
        == 40008
    )
    response = api.http.post(
        "/cgi-bin/message/send", params={"access_token": api.token}, content=b"{not json"
    )
    assert response.json()["errcode"] == 40058


@pytest.mark.parametrize("msgtype", ["text", "markdown"])
def test_over_2048_bytes_is_truncated_at_a_character_boundary(api, msgtype):
    content = "岗" * 700  # 2100 bytes in UTF-8
    body = {"touser": "zhangsan", "msgtype": msgtype, "agentid": 1000002, msgtype: {"content": content}}
    assert api.post("message/send", body)["errcode"] == 0
    [entry] = api.emu.state.received("user:zhangsan")
    assert entry["truncated"] is True
    assert entry["content"] == "岗" * 682  # 2046 bytes: the 683rd character would cross 2048
    exact = "a" * 2048
    api.post("message/send", {**body, msgtype: {"content": exact}})
    assert api.emu.state.received("user:zhangsan")[-1]["content"] == exact


@pytest.mark.parametrize("msgtype", ["text", "markdown"])
def test_over_2048_bytes_is_45002_in_error_mode(make_emulator, msgtype):
    from tests.sandbox.conftest import Api

    api = Api(make_emulator(text_overflow="error"))
    body = {"touser": "zhangsan", "msgtype": msgtype, "agentid": 1000002, msgtype: {"content": "a" * 2049}}
    assert api.post("message/send", body)["errcode"] == 45002
    assert api.post("message/send", {**body, msgtype: {"content": "a" * 2048}})["errcode"] == 0


def test_duplicate_check_suppresses_identical_requests_inside_the_interval(api, clock):
    extra = {"enable_duplicate_check": 1, "duplicate_check_interval": 600}
    first = api.send_text("zhangsan", "同一条", **extra)
    again = api.send_text("zhangsan", "同一条", **extra)
    assert again["errcode"] == 0 and again["msgid"] == first["msgid"]
    assert len(api.emu.state.received("user:zhangsan")) == 1
    api.send_text("zhangsan", "另一条", **extra)  # a different request is not a duplicate
    assert len(api.emu.state.received("user:zhangsan")) == 2
    clock.advance(601)
    assert api.send_text("zhangsan", "同一条", **extra)["msgid"] != first["msgid"]
    assert len(api.emu.state.received("user:zhangsan")) == 3
    assert api.inspect("counters")["events"]["duplicate_suppressed"] == 1


def test_without_duplicate_check_repeats_are_delivered(api):
    api.send_text("zhangsan", "x")
    api.send_text("zhangsan", "x")
    assert len(api.emu.state.received("user:zhangsan")) == 2


def test_more_than_30_per_minute_per_member_are_dropped_silently(api, clock):
    answers = [api.send_text("zhangsan|lisi", f"m{i}") for i in range(31)]
    assert all(a["errcode"] == 0 for a in answers)
    assert len(api.emu.state.received("user:zhangsan")) == 30
    api.send_text("wangwu", "other member unaffected")
    assert len(api.emu.state.received("user:wangwu")) == 1
    clock.advance(60)
    api.send_text("zhangsan", "after a minute")
    assert api.emu.state.received("user:zhangsan")[-1]["content"] == "after a minute"
    assert api.inspect("counters")["events"]["dropped_member_rate"] == 2


def test_other_types_are_kept_as_sent(api):
    body = {
        "touser": "zhangsan",
        "msgtype": "textcard",
        "agentid": 1000002,
        "textcard": {"title": "t", "description": "d", "url": "https://example.org"},
    }
    assert api.post("message/send", body)["errcode"] == 0
    assert api.emu.state.received("user:zhangsan")[0]["message"]["textcard"]["title"] == "t"
