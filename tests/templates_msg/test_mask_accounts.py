"""Accounts and numbers in the spellings residents use to get past filters."""

from __future__ import annotations

import pytest

from templates_msg.understand import understand


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("找保洁 加我vx zhangsan_88", "zhangsan_88"),
        ("找保洁 威信：wang123456", "wang123456"),
        ("找保洁 薇xin abc123456", "abc123456"),
        ("找活 wei xin：abc123456", "abc123456"),
        ("找保洁 扣扣号 987654321", "987654321"),
        ("找保洁 企鹅 987654321", "987654321"),
        ("工资打到卡上 6222021234567890128", "6222021234567890128"),
        ("会电焊 电话138🌟1234🌟5678", "12345678"),
        ("会电焊 电话138杠1234杠5678", "12345678"),
        ("会电焊 电话幺三八 然后幺二三四 最后是五六七八", "五六七八"),
        ("找活 电话是138后面是1234再后面是5678", "1234"),
        ("找保洁 手机号l38OOOOl234", "OOOOl234"),
        ("找活 我叫Tom 电话13800001234", "Tom"),
        ("电话前三位138 中间0000 后四位1234", "0000"),
        ("薇：abc_12345", "abc_12345"),
        ("农行卡 6228 4800 1234 5678 910 补贴打这里", "5678"),
    ],
)
def test_private_accounts_and_numbers_are_hidden(text: str, secret: str) -> None:
    assert secret not in understand(text, author_role="seeker").masked


@pytest.mark.parametrize(
    "text",
    [
        "招普工 月薪4500-6000 18-45岁 8:00-17:00 乘坐3路公交 报名截止12月5号 联系电话13800001111",
        "会议号 123 456 789 明天上午9点 乡镇人社所 地点3号会议室",
    ],
)
def test_prices_times_routes_and_a_business_phone_stay(text: str) -> None:
    u = understand(text, author_role="staff")
    for part in ("4500-6000", "18-45岁", "8:00-17:00", "3路", "12月5号", "13800001111", "123 456 789", "3号会议室"):
        if part in text:
            assert part in u.masked, u.masked


def test_a_number_of_no_known_shape_is_masked_held_and_listed_as_suspect() -> None:
    u = understand("会电焊 想找活 电话1380000", author_role="resident")
    assert "1380000" not in u.masked and u.held
    assert [f.value for f in u.suspects] == ["1380000"]  # the steward's card names it once released


def test_an_id_number_from_any_county_is_masked_without_holding_the_note() -> None:
    u = understand("求职 叉车 身份证410225 19590816 9824 会开叉车 电话13800001234", author_role="resident")
    assert "19590816" not in u.masked and "[身份证号已隐藏]" in u.masked
    assert not u.held and u.suspects == ()  # its check digit is right: nothing to doubt


def test_a_phone_read_in_parts_is_one_phone_not_a_number_to_check() -> None:
    u = understand("找个活 俺会修手机 男 25 县城 前三位130 后面00018623", author_role="resident")
    assert "00018623" not in u.masked and "130****8623" in u.masked and not u.held


@pytest.mark.parametrize(
    ("text", "secret"),
    [("加我 zhangsan_88 详聊", "zhangsan_88"), ("微❤️：zhangsan88", "zhangsan88"), ("有意加 gaoxiaomei", "gaoxiaomei")],
)
def test_an_account_id_with_no_word_before_it_is_masked_on_suspicion(text: str, secret: str) -> None:
    u = understand(text, author_role="resident")
    assert secret not in u.masked and secret in [f.value for f in u.suspects]


def test_model_numbers_and_licence_classes_stay() -> None:
    text = "B2驾照 会CAD 用过Excel2010 手机是iPhone13 会开A1 C1"
    assert understand(text, author_role="resident").masked == text


@pytest.mark.parametrize("spelled", ["𝟏𝟑𝟖𝟎𝟎𝟎𝟎𝟏𝟐𝟑𝟒", "¹³⁸⁰⁰⁰⁰¹²³⁴", "➊➌➑⓿⓿⓿⓿➊➋➌➍", "𝟭𝟯𝟴 𝟬𝟬𝟬𝟬 𝟭𝟮𝟯𝟰", "١٣٨٠٠٠٠١٢٣٤"])
def test_a_phone_in_fancy_digits_is_masked(spelled: str) -> None:
    from templates_msg.textnorm import digits_only

    masked = understand(f"会电焊 想找活 电话{spelled}", author_role="resident").masked
    assert "13800001234" not in digits_only(masked), masked
