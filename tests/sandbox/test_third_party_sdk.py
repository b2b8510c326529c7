"""An SDK we did not write (wechatpy's WeCom client) works against the emulator unchanged,
apart from the base URL: the evidence that the emulator speaks the real API's shapes."""

from __future__ import annotations

import pytest
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

from sandbox.emulator import EmulatorConfig, EmulatorServer


@pytest.fixture
def sdk():
    with EmulatorServer(EmulatorConfig(users=["zhangsan", "lisi"])) as emu:
        client = WeChatClient(emu.config.corp_id, emu.config.secret)
        client.API_BASE_URL = emu.wecom_api_base
        fetch = client._fetch_access_token
        # wechatpy 1.8 hard-codes the gettoken host; everything else follows API_BASE_URL.
        client.fetch_access_token = lambda: fetch(
            url=emu.wecom_api_base + "gettoken", params={"corpid": client.corp_id, "corpsecret": client.secret})
        yield client, emu


def test_wechatpy_message_and_appchat_calls_succeed(sdk):
    client, emu = sdk
    answer = client.message.send_text(emu.config.agent_id, ["zhangsan", "nobody"], "你好")
    assert answer["errcode"] == 0 and answer["invaliduser"] == "nobody" and answer["msgid"]
    assert client.appchat.create(chat_id="chat1", name="测试群", owner="zhangsan", user_list=["zhangsan", "lisi"])["chatid"] == "chat1"
    client.appchat.send_text("chat1", "群消息")
    assert client.appchat.get("chat1")["userlist"] == ["zhangsan", "lisi"]
    assert [e["content"] for e in emu.state.received("appchat:chat1")] == ["群消息"]
    assert [e["content"] for e in emu.state.received("user:zhangsan")] == ["你好"]


def test_wechatpy_sees_the_real_errcodes(sdk):
    client, emu = sdk
    with pytest.raises(WeChatClientException) as err:
        client.message.send_text(emu.config.agent_id, ["nobody"], "x")
    assert err.value.errcode == 81013
    emu.state.add_foreign_chat("otherchat", ["zhangsan", "lisi"])
    with pytest.raises(WeChatClientException) as err:
        client.appchat.send_text("otherchat", "x")
    assert err.value.errcode == 86008


def test_wechatpy_refetches_after_the_token_is_invalidated(sdk):
    client, emu = sdk
    client.message.send_text(emu.config.agent_id, ["zhangsan"], "一")
    first = emu.state.current_token()
    emu.state.invalidate_token()
    client.message.send_text(emu.config.agent_id, ["zhangsan"], "二")  # 40014, then wechatpy refetches
    assert emu.state.current_token() != first
    assert [e["content"] for e in emu.state.received("user:zhangsan")] == ["一", "二"]
