"""Official Account template messages (§4.4) through our client and the emulator over real HTTP:
a follower receives one in its inbox without any open window; a template the account never added
is 40037, data that does not fill the template's keywords 47003, a non-follower 43004, a malformed
openid 40003 — each raised as permanent by the client, nothing delivered."""

from __future__ import annotations

import httpx
import pytest

from bots.client import MemoryCallRecorder, MemoryTokenStore, MpClient, PermanentApiError

FOLLOWER = "o_follower_1"
TEMPLATE = "tmpl_job_0001"
KEYWORDS = ["character_string1", "thing2", "thing3"]
DATA = {"character_string1": "J12", "thing2": "招电焊工2名", "thing3": "同镇 · 想干电焊工"}


@pytest.fixture
def emu(make_emulator):
    return make_emulator(mp_templates={TEMPLATE: KEYWORDS})


@pytest.fixture
def mp(emu):
    cfg = emu.config
    with MpClient(app_id=cfg.mp_app_id, app_secret=cfg.mp_app_secret, api_base=emu.mp_api_base,
                  token_store=MemoryTokenStore(), recorder=MemoryCallRecorder()) as client:
        yield client


def test_a_follower_receives_a_template_message_without_an_open_window(emu, mp):
    msgid = mp.template.send(openid=FOLLOWER, template_id=TEMPLATE, data=DATA, url="https://example.org/j/12")
    [entry] = emu.state.received(f"openid:{FOLLOWER}")
    assert entry["api"] == "mp/message/template/send" and entry["msgtype"] == "template"
    assert entry["message"]["data"]["thing2"] == {"value": "招电焊工2名"}
    assert entry["message"]["url"] == "https://example.org/j/12"
    assert msgid > 0
    assert mp.template.send(openid=FOLLOWER, template_id=TEMPLATE, data=DATA) != msgid  # each has its own msgid


@pytest.mark.parametrize(("openid", "template_id", "data", "errcode"), [
    (FOLLOWER, "tmpl_never_added", DATA, 40037),
    (FOLLOWER, TEMPLATE, {**DATA, "thing2": ""}, 47003),  # an empty value
    (FOLLOWER, TEMPLATE, {**DATA, "thing2": "招" * 21}, 47003),  # longer than a thing keyword allows
    (FOLLOWER, TEMPLATE, {"character_string1": "J12", "thing2": "招电焊工"}, 47003),  # a keyword missing
    (FOLLOWER, TEMPLATE, {**DATA, "thing9": "多余"}, 47003),  # a keyword the template lacks
    ("o_stranger_9", TEMPLATE, DATA, 43004),
    ("not an openid!", TEMPLATE, DATA, 40003),
])
def test_bad_sends_are_permanent_errors_and_deliver_nothing(emu, mp, openid, template_id, data, errcode):
    with pytest.raises(PermanentApiError) as raised:
        mp.template.send(openid=openid, template_id=template_id, data=data)
    assert raised.value.errcode == errcode
    assert emu.state.received() == []


def test_the_answer_has_the_platform_shape_and_templates_are_added_by_control(emu, mp):
    with httpx.Client(trust_env=False, timeout=10) as http:
        added = http.post(emu.control_base + "mp_templates", json={"templates": {"tmpl_later": ["thing1"]}})
        assert added.json() == {"ok": True}
        token = mp.tokens.get()
        answer = http.post(emu.mp_api_base + "message/template/send", params={"access_token": token},
                           json={"touser": FOLLOWER, "template_id": "tmpl_later",
                                 "data": {"thing1": {"value": "你好", "color": "#173177"}}}).json()
        assert answer["errcode"] == 0 and answer["errmsg"] == "ok" and isinstance(answer["msgid"], int)
        bad = http.post(emu.mp_api_base + "message/template/send", params={"access_token": token},
                        json={"touser": FOLLOWER, "template_id": "tmpl_gone", "data": {}}).json()
        assert bad["errcode"] == 40037 and bad["errmsg"].startswith("invalid template_id rid: ")
