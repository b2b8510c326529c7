"""Each call's request shape and typed result (wecom-platform.md §2.2-2.5, §4.3)."""

from __future__ import annotations

import logging

import pytest

from bots.client import ButtonCard, CardButton, CardField, PermanentApiError

from .fake_wecom import AGENT_ID, ROBOT_KEY, SECRET


def approval_card(task_id: str = "relay_123") -> ButtonCard:
    return ButtonCard(
        task_id=task_id,
        title="岗位转发审批",
        description="白沙镇 · 30分钟内处理",
        fields=(CardField("岗位", "装卸工 10人"), CardField("工资", "日结180元")),
        buttons=(CardButton("通过", "approve:123", style=1), CardButton("驳回", "reject:123", style=2)),
    )


def test_send_text_returns_msgid_and_invalid_users(fake, wecom):
    [result] = wecom.message.send_text(touser=["zhangsan", "ghost"], content="你好")

    assert result.msgid and result.invalid_users == ("ghost",)
    body = fake.state.received["message/send"][0]
    assert body["touser"] == "zhangsan|ghost" and body["agentid"] == AGENT_ID
    assert body["msgtype"] == "text" and body["safe"] == 0


def test_single_userid_given_as_a_string_is_not_spelled_out(fake, wecom):
    wecom.message.send_markdown(touser="zhangsan", content="**加急**")
    assert fake.state.received["message/send"][0]["touser"] == "zhangsan"


def test_duplicate_check_parameters(fake, wecom):
    wecom.message.send_markdown(
        touser=["lisi"], content="**岗位**", enable_duplicate_check=True, duplicate_check_interval=600
    )
    body = fake.state.received["message/send"][0]
    assert (body["enable_duplicate_check"], body["duplicate_check_interval"]) == (1, 600)
    with pytest.raises(ValueError):
        wecom.message.send_text(
            touser=["lisi"], content="x", enable_duplicate_check=True, duplicate_check_interval=5 * 3600
        )


def test_no_recipient_is_refused_locally(fake, wecom):
    with pytest.raises(ValueError):
        wecom.message.send_text(content="x")
    assert fake.state.api_calls["message/send"] == 0


def test_template_card_then_update_by_replace_name(fake, wecom):
    sent = wecom.message.send_template_card(touser=["zhangsan"], card=approval_card())

    assert sent.response_code
    card = fake.state.received["message/send"][0]["template_card"]
    assert card["card_type"] == "button_interaction" and card["task_id"] == "relay_123"
    assert card["button_list"][1] == {"text": "驳回", "style": 2, "key": "reject:123"}
    assert card["horizontal_content_list"][0] == {"keyname": "岗位", "value": "装卸工 10人"}

    updated = wecom.message.update_card_button(
        response_code=sent.response_code, replace_name="已通过", userids=["zhangsan", "ghost"]
    )

    assert updated.invalid_users == ("ghost",)  # an array in this API (§2.3)
    body = fake.state.received["message/update_template_card"][0]
    assert body == {
        "agentid": AGENT_ID,
        "response_code": sent.response_code,
        "userids": ["zhangsan", "ghost"],
        "button": {"replace_name": "已通过"},
    }
    with pytest.raises(PermanentApiError):  # a response_code works once
        wecom.message.update_card_button(response_code=sent.response_code, replace_name="x", atall=True)


def test_update_with_a_full_card(fake, wecom):
    sent = wecom.message.send_template_card(touser=["zhangsan"], card=approval_card())

    wecom.message.update_card(response_code=sent.response_code, card=approval_card(), atall=True)

    body = fake.state.received["message/update_template_card"][0]
    assert body["atall"] == 1 and body["template_card"]["task_id"] == "relay_123"


@pytest.mark.parametrize(
    "change",
    [
        {"task_id": "空格 not allowed"},
        {"task_id": "x" * 129},
        {"buttons": ()},
        {"buttons": tuple(CardButton(str(n), f"k{n}") for n in range(7))},
        {"buttons": (CardButton("a", "same"), CardButton("b", "same"))},
    ],
)
def test_bad_cards_are_refused_before_sending(change):
    options = dict(task_id="t1", title="标题", buttons=(CardButton("好", "ok"),))
    with pytest.raises(ValueError):
        ButtonCard(**{**options, **change})


def test_appchat_create_update_send(fake, wecom):
    chat = wecom.appchat.create(
        name="白沙镇群", userlist=["zhangsan", "lisi"], owner="zhangsan", chatid="baisha01"
    )

    wecom.appchat.update(chatid=chat.chatid, add_user_list=["wangwu"], del_user_list=["lisi"])
    delivered = wecom.appchat.send_text(chatid=chat.chatid, content="今日岗位")

    assert chat.chatid == "baisha01" and delivered.parts == 1
    assert fake.state.chats["baisha01"] == ["zhangsan", "wangwu"]
    assert fake.state.received["appchat/send"][0] == {
        "chatid": "baisha01",
        "safe": 0,
        "msgtype": "text",
        "text": {"content": "今日岗位"},
    }
    with pytest.raises(PermanentApiError) as raised:
        wecom.appchat.send_markdown(chatid="nosuchchat", content="x")
    assert raised.value.errcode == 86003


def test_robot_text_with_mentions(fake, robot):
    robot.send_text(content="新岗位", mentioned_list=["zhangsan", "@all"])

    assert fake.state.received["webhook/send"][0] == {
        "msgtype": "text",
        "text": {"content": "新岗位", "mentioned_list": ["zhangsan", "@all"]},
    }


def test_mp_custom_text(fake, mp):
    assert mp.custom.send_text(openid="o-resident-1", content="已收到您的求职信息").parts == 1
    assert fake.state.received["message/custom/send"][0] == {
        "touser": "o-resident-1",
        "msgtype": "text",
        "text": {"content": "已收到您的求职信息"},
    }
    with pytest.raises(PermanentApiError):
        mp.custom.send_text(openid="o-stranger", content="x")


def test_secrets_stay_out_of_the_logs(fake, wecom, robot, store, caplog):
    caplog.set_level(logging.INFO, logger="httpx")

    wecom.message.send_text(touser=["zhangsan"], content="x")
    robot.send_text(content="x")

    token = store.load(wecom.app_key).token
    assert "HTTP Request" in caplog.text
    assert SECRET not in caplog.text and ROBOT_KEY not in caplog.text and token not in caplog.text
