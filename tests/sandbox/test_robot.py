"""Group-robot webhook (§2.5)."""


def post(api, key, body):
    response = api.http.post("/cgi-bin/webhook/send", params={"key": key}, json=body)
    assert response.status_code == 200
    return response.json()


def text(content, **extra):
    return {"msgtype": "text", "text": {"content": content, **extra}}


def test_unknown_key_is_93000(api):
    assert post(api, "nope", text("x"))["errcode"] == 93000
    assert post(api, "", text("x"))["errcode"] == 93000


def test_text_with_mentions_is_delivered(api):
    assert post(api, "robot-key-1", text("开会", mentioned_list=["zhangsan", "@all"])) == {
        "errcode": 0,
        "errmsg": "ok",
    }
    [entry] = api.inspect("received", target="robot:robot-key-1")["entries"]
    assert entry["content"] == "开会" and entry["mentioned_list"] == ["zhangsan", "@all"]
    assert entry["robot"] == "村群机器人"
    assert post(api, "robot-key-1", text("x", mentioned_list="zhangsan"))["errcode"] == 40058


def test_21st_message_within_a_minute_is_45009_then_ok_after_the_minute(api, clock):
    for i in range(20):
        assert post(api, "robot-key-1", text(f"m{i}"))["errcode"] == 0
        clock.advance(1)
    assert post(api, "robot-key-1", text("m20"))["errcode"] == 45009
    assert len(api.emu.state.received("robot:robot-key-1")) == 20
    clock.advance(40)  # the first message is now a minute old
    assert post(api, "robot-key-1", text("later"))["errcode"] == 0


def test_limits_are_per_robot(api):
    api.control("robots", {"robots": {"robot-key-2": "另一个"}})
    for i in range(20):
        post(api, "robot-key-1", text(f"m{i}"))
    assert post(api, "robot-key-2", text("x"))["errcode"] == 0


def test_text_2048_and_markdown_4096_bytes(api):
    assert post(api, "robot-key-1", text("a" * 2048))["errcode"] == 0
    assert post(api, "robot-key-1", text("a" * 2049))["errcode"] == 45002
    md = {"msgtype": "markdown", "markdown": {"content": "岗" * 1365}}  # 4095 bytes
    assert post(api, "robot-key-1", md)["errcode"] == 0
    md["markdown"]["content"] += "岗"
    assert post(api, "robot-key-1", md)["errcode"] == 45002
    assert post(api, "robot-key-1", text(""))["errcode"] == 44004
