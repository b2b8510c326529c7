"""gettoken / MP token: expiry, early invalidation, errcodes and the errmsg format (§2.1, §3.3, §4.2)."""

import re

ERRMSG = re.compile(
    r"^.+, hint: \[[^\]]+\], from ip: 127\.0\.0\.1, more info at "
    r"https://open\.work\.weixin\.qq\.com/devtool/query\?e=(\d+)$"
)


def test_gettoken_returns_the_same_token_while_valid(api, clock):
    first = api.gettoken()
    assert first["errcode"] == 0 and first["expires_in"] == 7200
    clock.advance(3600)
    second = api.gettoken()
    assert second["access_token"] == first["access_token"]
    assert second["expires_in"] == 3600


def test_bad_corpid_and_secret(api):
    bad_corp = api.gettoken(corpid="wwnope")
    assert bad_corp["errcode"] == 40013
    assert ERRMSG.match(bad_corp["errmsg"]).group(1) == "40013"
    assert api.gettoken(secret="wrong")["errcode"] == 40001


def test_missing_token_is_41001(api):
    response = api.http.post("/cgi-bin/message/send", json={"touser": "zhangsan"})
    assert response.status_code == 200
    assert response.json()["errcode"] == 41001


def test_token_in_body_does_not_count(api):
    response = api.http.post("/cgi-bin/message/send", json={"access_token": api.token, "touser": "zhangsan"})
    assert response.json()["errcode"] == 41001


def test_expired_token_is_42001_and_a_new_one_is_issued(api, clock):
    old = api.token
    clock.advance(7200)
    assert api.send_text("zhangsan", "hi")["errcode"] == 42001
    fresh = api.gettoken()["access_token"]
    assert fresh != old
    assert api.send_text("zhangsan", "hi", token=fresh)["errcode"] == 0


def test_early_invalidation_is_40014_then_refetch_works(api):
    old = api.token
    assert api.control("token/invalidate", {"app": "wecom"})["invalidated"] == old
    answer = api.send_text("zhangsan", "hi")
    assert answer["errcode"] == 40014
    assert ERRMSG.match(answer["errmsg"]).group(1) == "40014"
    fresh = api.gettoken()["access_token"]
    assert fresh != old
    assert api.send_text("zhangsan", "hi", token=fresh)["errcode"] == 0


def test_unknown_token_is_40014(api):
    assert api.send_text("zhangsan", "hi", token="forged")["errcode"] == 40014


def mp_token(api, **params):
    query = {"grant_type": "client_credential", "appid": api.cfg.mp_app_id, "secret": api.cfg.mp_app_secret}
    return api.http.get("/mp/cgi-bin/token", params={**query, **params}).json()


def test_mp_token_errors(api):
    ok = mp_token(api)
    assert set(ok) == {"access_token", "expires_in"} and ok["expires_in"] == 7200
    assert mp_token(api, appid="wxnope")["errcode"] == 40013
    assert mp_token(api, secret="nope")["errcode"] == 40125
    assert mp_token(api, grant_type="x")["errcode"] == 40002
    assert " rid: " in mp_token(api, secret="nope")["errmsg"]


def test_mp_new_token_retires_the_previous_after_5_minutes(api, clock):
    api.control("followers", {"openids": ["o1"]})
    api.emu.state.mp_interaction("o1", "message")
    first = mp_token(api)["access_token"]
    second = mp_token(api)["access_token"]
    assert first != second
    body = {"touser": "o1", "msgtype": "text", "text": {"content": "你好"}}

    def send(token):
        return api.http.post(
            "/mp/cgi-bin/message/custom/send", params={"access_token": token}, json=body
        ).json()

    assert send(first)["errcode"] == 0
    clock.advance(301)
    assert send(first)["errcode"] == 42001
    assert send(second)["errcode"] == 0
