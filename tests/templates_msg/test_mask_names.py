"""Names and house addresses: private in a resident's text, in references and graduate lists;
a job ad's contact person and ordinary words that start with a surname stay."""

from __future__ import annotations

import pytest

from templates_msg.understand import understand


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("俺妈叫李秀兰 今年58 想找个保洁的活 13800001234", "李秀兰"),
        ("帮俺闺女问问 她叫王小燕 22岁 想进电子厂", "王小燕"),
        ("我叫张二狗 会开叉车 想在县城干 13800005555", "张二狗"),
        ("想找个看大门的活 赵铁柱 男 61岁 13800007777", "赵铁柱"),
        ("我爱人叫刘翠花，会做饭，想找食堂的活", "刘翠花"),
        ("邻居孙德胜也想找活，会瓦工", "孙德胜"),
        ("俺闺女叫小芳 十九了 想进厂", "小芳"),
        ("找活 姓名：欧阳春花 性别女 年龄45", "春花"),
        ("我 叫 王 建 国 想找活", "建 国"),
        ("村里陈二嫂 五十六 手脚利索 想找洗碗的活", "陈二嫂"),
        ("咱村的石头叔想找个看门的活", "石头叔"),
        ("我想找个门卫 晚上也中 俺杨老汉 七十二", "杨老汉"),
        ("俺补贴咋还没到 鄢德福", "鄢德福"),
        ("俺老伴麻梅会做饭", "麻梅"),
        ("找活 涂永胜 13800001234", "涂永胜"),
        ("苑胜河问一下还招人吗", "苑胜河"),
        ("请问还招人吗 我是娄宝", "娄宝"),
        ("俺家掌柜的马德福会开车", "德福"),
        ("帮前庄村的马德福发个求职 男 55 会开车", "德福"),
        ("俺家刘家成想找活", "家成"),
    ],
)
def test_a_residents_text_never_shows_a_persons_name(text: str, name: str) -> None:
    u = understand(text, author_role="seeker")
    assert name not in u.masked


def test_words_that_start_with_a_surname_stay_but_a_neighbour_called_by_kinship_does_not() -> None:
    text = "王大姐 女 50岁 会保洁 周末也能干 马上能上班 高铁站附近 中午管顿黄焖鸡就中 刘集的 李婶介绍的 13800001111"
    u = understand(text, author_role="seeker")
    for word in ("周末", "马上", "高铁", "黄焖鸡", "刘集"):
        assert word in u.masked, u.masked
    assert "王大姐" not in u.masked and "李婶" not in u.masked
    assert "*大姐" in u.masked  # the kinship word stays readable, the surname that names her goes
    for plain in ("我和大哥一起找活 会瓦工", "俺村的二婶想找活", "住在东风路往南走 200米路西", "高中 女 30岁 想找文员"):
        assert plain.split()[0] in understand(plain, author_role="seeker").masked


def test_a_job_ads_contact_by_title_stays_and_a_foreman_by_full_name_does_not() -> None:
    u = understand("工地招木工4名 一天400 官渡镇 班长吴德胜 18300081284 老板182-0004-0924 王经理", author_role="employer")
    assert "吴德胜" not in u.masked and "18300081284" not in u.masked
    assert "182-0004-0924" in u.masked and "王经理" in u.masked
    contact = understand("招保洁2名 月薪2800 县城 联系人张建国 13800001111", author_role="employer")
    assert "张建国 13800001111" in contact.masked
    for shop in ("张记烩面馆招服务员2名 月薪3000 县城 电话13800001111", "招聘 李宁专卖店导购 3500 县城 13800001111"):
        assert understand(shop, author_role="employer").masked == shop  # a shop's name is no person's
    assert understand("张记烩面馆还招人吗", author_role="resident").masked == "张记烩面馆还招人吗"


def test_thanks_and_chat_are_not_names() -> None:
    for text in ("谢谢", "谢谢 我电话换了", "好的 马上到"):
        assert understand(text, author_role="seeker").masked.startswith(text.split()[0])


def test_a_former_workers_phone_without_a_name_is_masked_and_the_employers_stays() -> None:
    u = understand("招保姆 5000 郑东新区 之前干过的阿姨可以问问情况 电话13900001111 我的电话13800002222")
    assert "13900001111" not in u.masked and "13800002222" in u.masked
    assert "13800007777" in understand("招普工 4500 有意者可以问问 13800007777", author_role="employer").masked
    told = understand("招大车司机 月薪9000 县城 老司机王师傅干了十年 想了解可以打他电话13900001111 老板13800002222")
    assert "13900001111" not in told.masked and "13800002222" in told.masked
    raised = understand("招普工 之前的工资4000 现在涨到5000 电话13800001111", author_role="employer")
    assert "13800001111" in raised.masked


def test_a_reference_ends_where_the_employers_own_contact_begins() -> None:
    u = understand("招厨师 月薪6000 老员工张师傅推荐的优先 联系周经理13800003333 推荐人李建伟 联系方式13900009876")
    assert "周经理13800003333" in u.masked
    assert "李建伟" not in u.masked and "13900009876" not in u.masked


def test_job_ad_keeps_its_contact_but_not_a_former_workers_name_and_phone() -> None:
    u = understand("急招普工 月薪5000 中牟县城 联系王经理13800005678 原来的工人刘德顺可以作证 电话13900001111")
    assert u.kind == "job"
    assert "王经理13800005678" in u.masked
    assert "刘德顺" not in u.masked and "13900001111" not in u.masked


def test_training_notice_masks_the_graduate_list_and_keeps_the_bureau_phone() -> None:
    text = (
        "县人社局通知：2024年第三期电工培训结业学员名单：张卫红 13800002222，李秀娟 13800003333，"
        "周保军 13800004444。\n咨询电话0371-62345678"
    )
    u = understand(text, author_role="staff")
    for private in ("张卫红", "李秀娟", "周保军", "13800002222", "13800003333", "13800004444"):
        assert private not in u.masked
    assert "0371-62345678" in u.masked and "2024年第三期电工培训" in u.masked


def test_an_address_said_in_words_is_masked_and_flagged_for_the_steward() -> None:
    u = understand("想找保洁 住中牟县青年路南段路东第三个胡同", author_role="resident")
    assert "第三个胡同" not in u.masked and "青年路" in u.masked
    assert u.needs_review and [f.value for f in u.suspects] == ["第三个胡同"]


@pytest.mark.parametrize(
    "text",
    [
        "学员联系方式：13800001717、13900001818 欢迎企业来电 咨询电话0371-62345678",
        "学员刘 13800001717 学员陈 13900001818 咨询电话0371-62345678",
        "欢迎企业招聘我校学员 学员本人电话：孙丽 13800001717 咨询电话0371-62345678",
        "育婴员培训班学员 张秀兰 13800001717 李红霞 13900001818 已结业 咨询电话0371-62345678",
        "优秀学员：金凤 考取了育婴师证 联系她13800001717 学员王丽娟 13900001818 咨询电话0371-62345678",
    ],
)
def test_a_training_schools_graduates_are_private_and_its_own_phone_is_not(text: str) -> None:
    u = understand(text, author_role="trainer")
    assert "13800001717" not in u.masked and "13900001818" not in u.masked
    assert "0371-62345678" in u.masked


def test_a_graduate_list_one_name_a_line_is_masked_to_the_schools_own_contact() -> None:
    text = "焊工班结业名单：\n褚卫东 13800001111\n巩玉凤 13900002222\n咨询电话0371-62345678"
    u = understand(text, author_role="trainer")
    for private in ("褚卫东", "巩玉凤", "13800001111", "13900002222"):
        assert private not in u.masked
    assert "0371-62345678" in u.masked


def test_a_graduates_phone_broken_over_a_line_end_is_still_masked() -> None:
    u = understand("焊工培训结业名单：吴德胜 199\n00047283 褚卫东 180\n00012984 均已取证", author_role="trainer")
    assert "00047283" not in u.masked and "00012984" not in u.masked


def test_village_group_and_house_number_are_hidden() -> None:
    u = understand("男 45 想找个活 会开挖掘机 住八岗村三组15号 13800009999")
    assert "三组15号" not in u.masked and "八岗村" in u.masked


def test_a_follow_up_that_completes_a_note_is_masked_as_the_authors_own() -> None:
    from templates_msg.reply import merge_partial, partial_state

    first = understand("想找个活 住在后街第三排第二家", author_role="resident")
    follow_up = understand("谢谢 俺家老二韩大军", author_role="resident")
    assert follow_up.kind != "seeker"  # masked alone as what it looked like, then again as the note
    note = merge_partial(partial_state(first), follow_up, kind="seeker")
    assert "韩大军" not in note.masked
    assert "第三排第二家" in [f.value for f in note.suspects]  # still shown to the steward


@pytest.mark.parametrize(
    "word", ["黄焖鸡", "毛衣", "龙虾", "包子", "熊猫", "易拉罐", "向日葵", "冯庄", "汪汪", "岳母", "段落", "张罗"]
)
def test_a_known_word_that_starts_with_a_surname_stays_wherever_it_is_written(word: str) -> None:
    for text in (f"会开叉车 想找活 {word}也行 电话13800001234", f"{word} 想找活 13800001234"):
        assert word in understand(text, author_role="resident").masked
