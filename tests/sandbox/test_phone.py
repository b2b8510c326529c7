"""The phone side against a real receiver: encryption, signatures, replies, timeouts and retries."""

import json

import httpx
import pytest

from sandbox.phone import Phone, Receiver
from tests.sandbox import receiver as rx
from tests.sandbox.conftest import serve


@pytest.fixture(scope="module")
def keys():
    return {"wecom": rx.new_aes_key(), "mp": rx.new_aes_key(), "aibot": rx.new_aes_key()}


@pytest.fixture(scope="module")
def module_behaviour():
    return rx.Behaviour()


@pytest.fixture
def behaviour(module_behaviour):
    module_behaviour.__dict__.update(rx.Behaviour().__dict__)
    return module_behaviour


@pytest.fixture(scope="module")
def hook(shared_emulator, keys, module_behaviour):
    cfg = shared_emulator.config
    app = rx.build(corp_id=cfg.corp_id, mp_app_id=cfg.mp_app_id, keys=keys, behaviour=module_behaviour)
    with serve(app) as url:
        yield url


def make_phone(emu, hook, keys, *, mp_plain=False, **kw):
    cfg = emu.config
    return Phone.for_emulator(
        emu,
        wecom=Receiver(hook + "/wecom", rx.TOKEN, keys["wecom"], cfg.corp_id),
        mp=Receiver(hook + "/mp", rx.TOKEN, keys["mp"], cfg.mp_app_id, plain=mp_plain),
        aibot=Receiver(hook + "/aibot", rx.TOKEN, keys["aibot"], ""),
        **kw,
    )


@pytest.fixture
def phone(emu, hook, keys):
    with make_phone(emu, hook, keys) as p:
        yield p


def test_app_text_is_encrypted_signed_and_the_reply_decrypted(phone, behaviour, emu):
    result = phone.app_text("zhangsan", "找保洁工作", msg_id=4561255354251345929)
    assert result.ok and result.attempts == 1 and result.status == 200
    assert "<Content><![CDATA[收到]]></Content>" in result.reply
    [fields] = behaviour.payloads
    assert fields["MsgId"] == "4561255354251345929" and fields["FromUserName"] == "zhangsan"
    assert fields["ToUserName"] == emu.config.corp_id and fields["AgentID"] == str(emu.config.agent_id)
    envelope = behaviour.requests[0]
    assert set(envelope["query"]) == {"msg_signature", "timestamp", "nonce"}
    assert "<AgentID>" in envelope["body"] and "<ToUserName>" in envelope["body"]


def test_empty_body_means_no_reply(phone, behaviour):
    behaviour.reply = False
    result = phone.app_text("zhangsan", "hi")
    assert result.ok and result.reply is None


def test_retries_on_500_with_the_identical_request(phone, behaviour):
    behaviour.fail_first = 2
    result = phone.app_text("zhangsan", "hi")
    assert result.attempts == 3 and result.status == 200 and result.errors == ["HTTP 500", "HTTP 500"]
    assert result.reply is not None
    assert behaviour.requests[0] == behaviour.requests[1] == behaviour.requests[2]


def test_stops_after_three_retries(phone, behaviour):
    behaviour.fail_first = 10
    result = phone.app_text("zhangsan", "hi")
    assert result.attempts == 4 and result.status == 500 and not result.ok
    assert len(behaviour.requests) == 4


def test_slow_receiver_times_out_and_is_retried(emu, hook, keys, behaviour):
    behaviour.slow_first, behaviour.delay = 10, 0.5
    with make_phone(emu, hook, keys, timeout=0.3) as phone:
        result = phone.app_text("zhangsan", "hi")
    assert result.attempts == 4 and result.status is None and result.errors == ["timeout"] * 4


def test_slow_once_then_answered(emu, hook, keys, behaviour):
    behaviour.slow_first, behaviour.delay = 1, 0.5
    with make_phone(emu, hook, keys, timeout=0.3) as phone:
        result = phone.app_text("zhangsan", "hi")
    assert result.attempts == 2 and result.ok and result.errors == ["timeout"]


def test_unreachable_receiver_is_retried(emu, keys):
    with Phone(
        wecom=Receiver("http://127.0.0.1:9/wecom", rx.TOKEN, keys["wecom"], emu.config.corp_id), timeout=0.3
    ) as phone:
        result = phone.app_text("zhangsan", "hi")
    assert result.attempts == 4 and all(e.startswith("connection") for e in result.errors)


def test_a_reply_with_a_bad_signature_is_reported(phone, behaviour):
    behaviour.tamper = True
    result = phone.app_text("zhangsan", "hi")
    assert result.status == 200 and result.attempts == 1
    assert not result.ok and result.reply is None and "msg_signature" in result.reply_error


def test_a_receiver_with_another_key_rejects_and_is_retried(emu, hook, keys):
    with make_phone(emu, hook, dict(keys, wecom=rx.new_aes_key())) as phone:
        result = phone.app_text("zhangsan", "hi")
    assert result.status == 400 and result.attempts == 4


@pytest.mark.parametrize("kind", ["wecom", "mp", "aibot"])
def test_verify_url(phone, kind):
    result = phone.verify_url(kind)
    assert result.ok and result.reply == result.payload and result.attempts == 1


def test_card_click_end_to_end(phone, behaviour, api):
    card = {
        "card_type": "button_interaction",
        "main_title": {"title": "审批"},
        "task_id": "hop_42",
        "button_list": [{"text": "通过", "key": "approve:42"}, {"text": "驳回", "key": "reject:42"}],
    }
    api.post(
        "message/send",
        {"touser": "lisi", "msgtype": "template_card", "agentid": 1000002, "template_card": card},
    )
    result = phone.card_click("lisi", "hop_42", "approve:42")
    assert result.ok
    # The receiver is shared: a late retry of an earlier test's callback may have arrived first.
    event = next(p for p in behaviour.payloads if p.get("TaskId") == "hop_42")
    assert (event["Event"], event["EventKey"], event["TaskId"], event["CardType"]) == (
        "template_card_event",
        "approve:42",
        "hop_42",
        "button_interaction",
    )
    update = api.post(
        "message/update_template_card",
        {
            "agentid": 1000002,
            "response_code": event["ResponseCode"],
            "userids": ["lisi"],
            "button": {"replace_name": "已通过"},
        },
    )
    assert update["errcode"] == 0
    assert api.emu.state.card("hop_42")["recipients"]["lisi"]["card_state"]["replace_name"] == "已通过"
    with pytest.raises(LookupError):
        phone.card_click("lisi", "hop_42", "reject:42")  # the buttons are disabled now


def test_oa_safe_mode_text_opens_the_window(phone, behaviour, api, emu):
    result = phone.oa_text("o_user_9", "有没有保洁的活")
    assert result.ok and "收到" in result.reply
    query = behaviour.requests[0]["query"]
    assert {"signature", "timestamp", "nonce", "openid", "encrypt_type", "msg_signature"} <= set(query)
    assert query["encrypt_type"] == "aes" and query["openid"] == "o_user_9"
    assert "<ToUserName><![CDATA[gh_" in behaviour.requests[0]["body"]
    token = api.http.get(
        "/mp/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": emu.config.mp_app_id,
            "secret": emu.config.mp_app_secret,
        },
    ).json()["access_token"]
    sent = api.http.post(
        "/mp/cgi-bin/message/custom/send",
        params={"access_token": token},
        json={"touser": "o_user_9", "msgtype": "text", "text": {"content": "有"}},
    ).json()
    assert sent["errcode"] == 0


def test_oa_subscribe_and_scan_carry_the_scene(phone, behaviour):
    assert phone.oa_subscribe("o_new", "village_017").ok
    assert phone.oa_scan("o_new", "village_018").ok
    subscribe, scan = behaviour.payloads
    assert subscribe["Event"] == "subscribe" and subscribe["EventKey"] == "qrscene_village_017"
    assert subscribe["Ticket"].startswith("gQ")
    assert scan["Event"] == "SCAN" and scan["EventKey"] == "village_018" and scan["Ticket"]


def test_oa_plain_mode(emu, hook, keys, behaviour):
    with make_phone(emu, hook, keys, mp_plain=True) as phone:
        result = phone.oa_text("o_user_9", "你好")
    assert result.ok and "收到(明文)" in result.reply
    assert "encrypt_type" not in behaviour.requests[0]["query"]
    assert behaviour.payloads[0]["Content"] == "你好"


def test_aibot_mention_json_and_response_url(phone, behaviour, emu):
    result = phone.aibot_mention("zhangsan", "wrGroup01", "有没有保洁的活")
    assert result.ok and json.loads(result.reply)["stream"]["content"] == "收到"
    assert json.loads(behaviour.requests[0]["body"]).keys() == {"encrypt"}
    msg = behaviour.payloads[0]
    assert (
        msg["chattype"] == "group" and msg["chatid"] == "wrGroup01" and msg["from"] == {"userid": "zhangsan"}
    )
    assert msg["text"]["content"] == "@JobBot 有没有保洁的活" and msg["msgid"] and msg["aibotid"]
    answer = {"msgtype": "markdown", "markdown": {"content": "**有**"}}
    assert httpx.post(msg["response_url"], json=answer, trust_env=False).json()["errcode"] == 0
    assert httpx.post(msg["response_url"], json=answer, trust_env=False).json()["errcode"] == 40058  # one use
    assert emu.state.received("aibot:wrGroup01")[0]["content"] == "**有**"
