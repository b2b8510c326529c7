"""Byte limits: long text becomes several sends, cut on line boundaries, never inside a character
(wecom-platform.md §3.1)."""

from __future__ import annotations

import pytest

from bots.client import BYTE_LIMITS, PermanentApiError, split_text
from bots.client.limits import utf8_len

from .support import chinese_text


def test_5000_bytes_of_chinese_split_on_line_boundaries():
    text = chinese_text(5000)

    parts = split_text(text, 2048)

    assert len(parts) == 3
    assert all(utf8_len(part) <= 2048 for part in parts)
    assert all(part.endswith("\n") for part in parts)  # each part is whole lines
    assert "".join(parts) == text


def test_3000_byte_single_line_split_between_characters():
    line = "招聘" * 500  # 1000 characters, 3000 bytes, no line break

    parts = split_text(line, 2048)

    assert [utf8_len(part) for part in parts] == [2046, 954]  # 682 characters fit in 2048 bytes
    assert "".join(parts) == line
    for part in parts:
        part.encode("utf-8").decode("utf-8")  # each part is valid UTF-8 by itself


def test_long_line_among_short_ones_keeps_order():
    text = "开头\n" + "长" * 1000 + "\n结尾"

    parts = split_text(text, 2048)

    assert "".join(parts) == text
    assert all(utf8_len(part) <= 2048 for part in parts)
    assert parts[0].startswith("开头\n") and parts[-1].endswith("结尾")


@pytest.mark.parametrize("text", ["", "短消息", "a\nb\n", "😀" * 700, "\n" * 3000])
def test_split_round_trips(text):
    parts = split_text(text, 2048)
    assert "".join(parts) == text and all(utf8_len(part) <= 2048 for part in parts)


def test_limits_table():
    assert BYTE_LIMITS["app_markdown"] == 2048 and BYTE_LIMITS["robot_markdown"] == 4096


def test_long_app_text_arrives_as_parts_in_order(fake, wecom):
    text = chinese_text(5000)

    results = wecom.message.send_text(touser=["zhangsan"], content=text, enable_duplicate_check=True)

    received = [body["text"]["content"] for body in fake.state.received["message/send"]]
    assert len(results) == len(received) == 3
    assert "".join(received) == text
    assert all(body["enable_duplicate_check"] == 1 for body in fake.state.received["message/send"])


def test_long_appchat_markdown_arrives_as_parts_in_order(fake, wecom):
    chat = wecom.appchat.create(name="白沙镇充分就业社区建设群", userlist=["zhangsan", "lisi"])
    text = chinese_text(5000)

    delivered = wecom.appchat.send_markdown(chatid=chat.chatid, content=text)

    received = [body["markdown"]["content"] for body in fake.state.received["appchat/send"]]
    assert delivered.parts == len(received) == 3
    assert "".join(received) == text


def test_robot_markdown_uses_4096_bytes_and_mentions_once(fake, robot):
    text = chinese_text(5000)

    assert robot.send_markdown(content=text).parts == 2
    assert robot.send_text(content=text, mentioned_list=["zhangsan"]).parts == 3
    texts = [body["text"] for body in fake.state.received["webhook/send"] if body["msgtype"] == "text"]
    assert [t.get("mentioned_list") for t in texts] == [["zhangsan"], None, None]


def test_failure_mid_way_reports_the_parts_sent(fake, wecom):
    chat = wecom.appchat.create(name="群", userlist=["zhangsan", "lisi"])
    fake.state.fail_next("appchat/send", 0, 86008)  # the first part passes, the second is refused

    with pytest.raises(PermanentApiError) as raised:
        wecom.appchat.send_text(chatid=chat.chatid, content=chinese_text(5000))

    assert raised.value.parts_sent == 1
    assert len(fake.state.received["appchat/send"]) == 1
