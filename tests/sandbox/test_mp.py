"""Official Account customer-service messages and the 48 h window (§4.3)."""


def mp_token(api):
    return api.http.get(
        "/mp/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": api.cfg.mp_app_id,
            "secret": api.cfg.mp_app_secret,
        },
    ).json()["access_token"]


def send(api, openid, content="你好", token=None):
    return api.http.post(
        "/mp/cgi-bin/message/custom/send",
        params={"access_token": token or mp_token(api)},
        json={"touser": openid, "msgtype": "text", "text": {"content": content}},
    ).json()


def test_unknown_and_unfollowed_openids_are_43004(api):
    assert send(api, "o_ghost")["errcode"] == 43004
    api.control("followers", {"openids": ["o_gone"], "followed": False})
    assert send(api, "o_gone")["errcode"] == 43004


def test_outside_the_window_is_45015(api):
    assert send(api, "o_follower_1")["errcode"] == 45015


def test_user_message_opens_5_messages_for_48_hours(api, clock):
    api.control("mp/interaction", {"openid": "o_follower_1", "kind": "message"})
    token = mp_token(api)
    assert [send(api, "o_follower_1", f"m{i}", token)["errcode"] for i in range(6)] == [0] * 5 + [45047]
    api.emu.state.mp_interaction("o_follower_1", "message")
    clock.advance(48 * 3600)
    assert send(api, "o_follower_1")["errcode"] == 45015
    entries = api.inspect("received", target="openid:o_follower_1")["entries"]
    assert [e["content"] for e in entries] == [f"m{i}" for i in range(5)]


def test_subscribe_opens_3_messages_for_a_minute(api, clock):
    api.emu.state.mp_interaction("o_new", "subscribe")
    token = mp_token(api)
    assert [send(api, "o_new", token=token)["errcode"] for _ in range(4)] == [0, 0, 0, 45047]
    api.emu.state.mp_interaction("o_new", "scan")
    clock.advance(61)
    assert send(api, "o_new", token=token)["errcode"] == 45015


def test_unsubscribe_closes_the_window(api):
    api.emu.state.mp_interaction("o_follower_1", "message")
    api.emu.state.mp_interaction("o_follower_1", "unsubscribe")
    assert send(api, "o_follower_1")["errcode"] == 43004


def test_mp_token_errors_on_send(api):
    api.emu.state.mp_interaction("o_follower_1", "message")
    assert send(api, "o_follower_1", token="forged")["errcode"] == 40001
    response = api.http.post("/mp/cgi-bin/message/custom/send", json={"touser": "o_follower_1"})
    assert response.json()["errcode"] == 41001
    empty = api.http.post(
        "/mp/cgi-bin/message/custom/send",
        params={"access_token": mp_token(api)},
        json={"touser": "o_follower_1", "msgtype": "text", "text": {"content": ""}},
    )
    assert empty.json()["errcode"] == 44004
