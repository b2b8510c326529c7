"""The /_emulator/ control and inspection API over HTTP."""


def test_register_users_and_robots_then_inspect_in_order(api):
    api.control("users", {"userids": ["newbie"]})
    api.control("robots", {"robots": {"k2": "镇群机器人"}})
    api.send_text("newbie", "一")
    api.http.post(
        "/cgi-bin/webhook/send", params={"key": "k2"}, json={"msgtype": "text", "text": {"content": "二"}}
    )
    api.send_text("newbie|zhangsan", "三")
    everything = api.inspect("received")["entries"]
    assert [(e["target"], e["content"]) for e in everything] == [
        ("user:newbie", "一"),
        ("robot:k2", "二"),
        ("user:newbie", "三"),
        ("user:zhangsan", "三"),
    ]
    assert [e["seq"] for e in everything] == [1, 2, 3, 4]
    assert all({"api", "msgtype", "content", "time", "seq"} <= set(e) for e in everything)
    targets = api.inspect("targets")["targets"]
    assert targets["user:newbie"] == {"count": 2, "msgtypes": {"text": 2}, "last_seq": 3}


def test_counters_per_endpoint_and_errcode(api):
    api.send_text("zhangsan", "x")
    api.send_text("ghost", "x")
    counters = api.inspect("counters")
    assert counters["calls"] == {"gettoken": 1, "message/send": 2}
    assert counters["by_endpoint"]["message/send"] == {"0": 1, "81013": 1}
    assert counters["errcodes"] == {"0": 2, "81013": 1}


def test_reset_forgets_state_but_keeps_configured_directory(api):
    api.control("users", {"userids": ["temp"]})
    api.send_text("zhangsan", "x")
    api.control("reset")
    assert api.inspect("received")["entries"] == []
    assert api.send_text("zhangsan", "x")["errcode"] == 40014  # tokens were forgotten too
    api._token = None
    assert api.send_text("temp", "x")["errcode"] == 81013
    assert api.send_text("zhangsan", "x")["errcode"] == 0


def test_clock_advance_over_http(api):
    token = api.token
    api.control("clock/advance", {"seconds": 7200})
    assert api.send_text("zhangsan", "x", token=token)["errcode"] == 42001


def test_current_token_and_state(api):
    token = api.token
    assert api.inspect("token")["access_token"] == token
    snapshot = api.inspect("state")
    assert "zhangsan" in snapshot["users"] and snapshot["robots"] == {"robot-key-1": "村群机器人"}


def test_unknown_api_path_answers_like_the_api(api):
    answer = api.post("message/nothing", {})
    assert answer["errcode"] == 40058
    assert api.http.get("/_emulator/cards/none").status_code == 404


def test_wrong_method_answers_like_the_api(api):
    response = api.http.get("/cgi-bin/message/send", params={"access_token": api.token})
    assert response.status_code == 200 and response.json()["errcode"] == 40058
