"""template_card button_interaction, response codes and update_template_card (§1.8, §2.2, §2.3)."""

import pytest


def card(task_id="relay_1", buttons=None):
    return {
        "card_type": "button_interaction",
        "main_title": {"title": "审批"},
        "task_id": task_id,
        "button_list": buttons
        if buttons is not None
        else [
            {"text": "通过", "style": 1, "key": "approve:1"},
            {"text": "驳回", "style": 2, "key": "reject:1"},
        ],
    }


def send_card(api, touser="zhangsan|lisi", **kw):
    return api.post(
        "message/send",
        {"touser": touser, "msgtype": "template_card", "agentid": 1000002, "template_card": card(**kw)},
    )


def update(api, code, **body):
    return api.post("message/update_template_card", {"agentid": 1000002, "response_code": code, **body})


def test_button_card_answer_has_a_response_code(api):
    answer = send_card(api)
    assert answer["errcode"] == 0 and answer["response_code"] and answer["msgid"]
    entry = api.emu.state.received("user:lisi")[0]
    assert entry["msgtype"] == "template_card" and entry["task_id"] == "relay_1"
    assert entry["card"]["button_list"][0]["key"] == "approve:1"


def test_notice_cards_have_no_response_code(api):
    answer = api.post(
        "message/send",
        {
            "touser": "zhangsan",
            "msgtype": "template_card",
            "agentid": 1000002,
            "template_card": {"card_type": "text_notice", "main_title": {"title": "t"}},
        },
    )
    assert answer["errcode"] == 0 and "response_code" not in answer


@pytest.mark.parametrize("task_id", ["", "has space", "x" * 129, "中文"])
def test_task_id_is_validated(api, task_id):
    assert send_card(api, task_id=task_id)["errcode"] == 40058


def test_task_id_must_be_unique(api):
    assert send_card(api, task_id="t-1@a_b")["errcode"] == 0
    assert send_card(api, task_id="t-1@a_b")["errcode"] == 40058


@pytest.mark.parametrize("count,ok", [(0, False), (1, True), (6, True), (7, False)])
def test_one_to_six_buttons(api, count, ok):
    buttons = [{"text": f"b{i}", "key": f"k{i}"} for i in range(count)]
    assert (send_card(api, buttons=buttons)["errcode"] == 0) is ok


def test_repeated_button_keys_are_rejected(api):
    assert send_card(api, buttons=[{"text": "a", "key": "k"}, {"text": "b", "key": "k"}])["errcode"] == 40058


def test_send_code_updates_all_targets_once(api):
    code = send_card(api)["response_code"]
    answer = update(api, code, atall=1, button={"replace_name": "已处理"})
    assert answer == {"errcode": 0, "errmsg": "ok", "invaliduser": []}
    again = update(api, code, atall=1, button={"replace_name": "已处理"})
    assert again["errcode"] == 40058  # single use
    state = api.inspect("cards/relay_1")["recipients"]
    assert state["lisi"]["card_state"] == {"disabled": True, "replace_name": "已处理"}


def test_click_code_is_single_use_and_invaliduser_is_an_array(api):
    send_card(api)
    click = api.control("cards/click", {"userid": "lisi", "task_id": "relay_1", "key": "approve:1"})
    assert click["card_type"] == "button_interaction"
    answer = update(
        api, click["response_code"], userids=["lisi", "wangwu", "ghost"], button={"replace_name": "已通过"}
    )
    assert answer["errcode"] == 0
    assert answer["invaliduser"] == ["ghost", "wangwu"]
    assert (
        update(api, click["response_code"], userids=["lisi"], button={"replace_name": "x"})["errcode"]
        == 40058
    )
    lisi, zhangsan = api.emu.state.received("user:lisi")[0], api.emu.state.received("user:zhangsan")[0]
    assert lisi["card_state"]["replace_name"] == "已通过" and len(lisi["updates"]) == 1
    assert zhangsan["card_state"]["disabled"] is False


def test_click_code_without_targets_updates_the_clicker(api):
    send_card(api)
    code = api.emu.state.click_card("zhangsan", "relay_1", "reject:1")["response_code"]
    assert update(api, code, button={"replace_name": "已驳回"})["errcode"] == 0
    assert api.emu.state.received("user:zhangsan")[0]["card_state"]["replace_name"] == "已驳回"
    assert api.emu.state.received("user:lisi")[0]["card_state"]["disabled"] is False


def test_disabled_buttons_cannot_be_clicked(api):
    code = send_card(api)["response_code"]
    update(api, code, atall=1, button={"replace_name": "已处理"})
    response = api.http.post(
        "/_emulator/cards/click", json={"userid": "lisi", "task_id": "relay_1", "key": "approve:1"}
    )
    assert response.status_code == 404


def test_click_requires_a_received_card_and_a_real_key(api):
    send_card(api, touser="zhangsan")
    with pytest.raises(LookupError):
        api.emu.state.click_card("lisi", "relay_1", "approve:1")
    with pytest.raises(LookupError):
        api.emu.state.click_card("zhangsan", "relay_1", "nope")


def test_response_code_expires(make_emulator, clock):
    from tests.sandbox.conftest import Api

    api = Api(make_emulator(response_code_ttl=24 * 3600))
    code = send_card(api)["response_code"]
    clock.advance(24 * 3600)
    api._token = None  # the access token expired too
    assert update(api, code, atall=1, button={"replace_name": "x"})["errcode"] == 40058


def test_response_code_default_ttl_is_72h(api, clock):
    code = send_card(api)["response_code"]
    clock.advance(71 * 3600)
    api._token = None
    assert update(api, code, atall=1, button={"replace_name": "ok"})["errcode"] == 0


def test_full_card_replacement_is_recorded(api):
    code = send_card(api)["response_code"]
    new = {"card_type": "text_notice", "main_title": {"title": "已通过 by 张三"}}
    assert update(api, code, userids=["zhangsan"], template_card=new)["errcode"] == 0
    entry = api.emu.state.received("user:zhangsan")[0]
    assert entry["card"]["main_title"]["title"] == "已通过 by 张三"
    assert entry["updates"][0]["template_card"] == new


def test_update_needs_agentid_and_response_code(api):
    assert api.post("message/update_template_card", {"response_code": "x"})["errcode"] == 41011
    assert api.post("message/update_template_card", {"agentid": 1000002})["errcode"] == 40058
    assert update(api, "unknown", atall=1, button={"replace_name": "x"})["errcode"] == 40058
