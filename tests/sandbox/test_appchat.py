"""appchat create/update/get/send (§2.4)."""


def create(api, **body):
    return api.post(
        "appchat/create", {"name": "村群", "owner": "zhangsan", "userlist": ["zhangsan", "lisi"], **body}
    )


def test_create_get_update(api):
    assert create(api, chatid="village01") == {"errcode": 0, "errmsg": "ok", "chatid": "village01"}
    info = api.http.get(
        "/cgi-bin/appchat/get", params={"access_token": api.token, "chatid": "village01"}
    ).json()
    assert info["chat_info"]["userlist"] == ["zhangsan", "lisi"] and info["chat_info"]["owner"] == "zhangsan"
    answer = api.post("appchat/update", {"chatid": "village01", "add_user_list": ["wangwu"], "name": "新名"})
    assert answer["errcode"] == 0
    assert api.emu.state.chat("village01")["userlist"] == ["zhangsan", "lisi", "wangwu"]


def test_generated_chatid(api):
    chatid = create(api)["chatid"]
    assert chatid.isdigit() and api.emu.state.chat(chatid)


def test_member_count_chatid_and_existence_rules(api):
    assert create(api, userlist=["zhangsan"])["errcode"] == 86006
    assert create(api, userlist=["zhangsan", "ghost"])["errcode"] == 86216
    assert create(api, chatid="bad-id!")["errcode"] == 86001
    assert create(api, chatid="x" * 33)["errcode"] == 86001
    assert create(api, owner="wangwu")["errcode"] == 86007
    assert create(api, name="名" * 51)["errcode"] == 86004
    assert create(api, chatid="dup")["errcode"] == 0
    assert create(api, chatid="dup")["errcode"] == 86215
    assert api.post("appchat/update", {"chatid": "dup", "del_user_list": ["lisi"]})["errcode"] == 86006
    assert (
        api.post("appchat/send", {"chatid": "nochat", "msgtype": "text", "text": {"content": "x"}})["errcode"]
        == 86003
    )


def test_500_members_max(api):
    users = [f"user{i}" for i in range(501)]
    api.emu.state.register_users(users)
    assert create(api, userlist=users, owner=None)["errcode"] == 86006
    assert create(api, userlist=users[:500], owner=None)["errcode"] == 0


def test_chat_created_outside_this_app_is_86008(api):
    api.control("appchats", {"chatid": "foreign1", "userlist": ["zhangsan", "lisi"], "name": "别人的群"})
    send = api.post("appchat/send", {"chatid": "foreign1", "msgtype": "text", "text": {"content": "x"}})
    assert send["errcode"] == 86008
    assert api.post("appchat/update", {"chatid": "foreign1", "name": "x"})["errcode"] == 86008
    get = api.http.get(
        "/cgi-bin/appchat/get", params={"access_token": api.token, "chatid": "foreign1"}
    ).json()
    assert get["errcode"] == 86008
    assert create(api, chatid="foreign1")["errcode"] == 86215
    assert api.emu.state.received("appchat:foreign1") == []


def test_send_text_markdown_and_order(api):
    create(api, chatid="g1")
    for i in range(3):
        assert (
            api.post("appchat/send", {"chatid": "g1", "msgtype": "text", "text": {"content": f"第{i}条"}})[
                "errcode"
            ]
            == 0
        )
    api.post("appchat/send", {"chatid": "g1", "msgtype": "markdown", "markdown": {"content": "**粗**"}})
    entries = api.inspect("received", target="appchat:g1")["entries"]
    assert [e["content"] for e in entries] == ["第0条", "第1条", "第2条", "**粗**"]
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)


def test_template_card_is_not_an_appchat_type(api):
    create(api, chatid="g1")
    answer = api.post(
        "appchat/send",
        {"chatid": "g1", "msgtype": "template_card", "template_card": {"card_type": "text_notice"}},
    )
    assert answer["errcode"] == 40008


def test_appchat_byte_limit_both_modes(make_emulator):
    from tests.sandbox.conftest import Api

    for mode, expected in (("truncate", 0), ("error", 45002)):
        api = Api(make_emulator(text_overflow=mode))
        create(api, chatid="g1")
        body = {"chatid": "g1", "msgtype": "markdown", "markdown": {"content": "字" * 683}}  # 2049 bytes
        assert api.post("appchat/send", body)["errcode"] == expected
    assert len(api.emu.state.received("appchat:g1")) == 0
