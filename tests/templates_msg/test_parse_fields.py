"""Field parsing cases found outside the corpus."""

from __future__ import annotations


def test_an_explicit_workplace_cue_names_a_place_outside_the_place_list():
    from templates_msg.understand import understand

    u = understand("招聘保洁员 月薪2800 60岁以下 地点县人民医院 电话13700004444")
    assert u.fields["location"] == "县人民医院" and "location" not in u.missing
    # ... but a home address after 地址 is never taken as a place (it may be private)
    assert understand("会做保洁 想找活 地址青年路十二号院").fields.get("intent_location") != "青年路十二号院"


import pytest  # noqa: E402

from templates_msg.understand import understand  # noqa: E402


@pytest.mark.parametrize(
    ("text", "skills", "typed"),
    [
        ("本人会开叉车 想找仓库的活 13800001234", ["叉车工"], ["开叉车"]),
        ("干过电焊 有电工证 想进厂", ["焊工", "电工"], ["电焊", "电工证"]),
        ("有高压证 想在县城找活", ["电工"], ["高压证"]),
        ("会看图纸 干过十年木工 想找装修的活", ["木工"], ["看图纸", "木工"]),
        ("俺会开挖机 也会开铲车 有活叫我 13800001234", ["挖掘机司机", "叉车工"], ["开挖机", "开铲车"]),
        ("俺是个瓦匠 砌墙抹灰都会 有活喊俺", ["瓦工", "抹灰工"], ["瓦匠", "砌墙", "抹灰"]),
        ("俺会蒸馒头 炸油条 想找个早餐店的活", ["面点师"], ["蒸馒头", "炸油条"]),
        ("本人 男 31 有B2 会开吊车 找长期的活", ["吊车司机", "货车司机"], ["开吊车", "B2"]),
        # 不会 is not a skill; 会做饭 is one, but not a sign of the job wanted.
        ("她不会打字 想找个饭店洗碗的", [], []),
    ],
)
def test_the_skill_slot_is_normalised_and_kept_as_typed(text, skills, typed):
    u = understand(text, author_role="resident")
    assert u.kind == "seeker"
    assert sorted(u.fields["skills"]) == sorted(skills) and sorted(u.fields["skills_typed"]) == sorted(typed)


def test_a_skill_outside_the_vocabulary_is_kept_only_as_typed_and_skills_say_the_wish():
    u = understand("俺叫娄二妮 会做饭 会开车 找活 13800001234", author_role="resident")
    assert u.fields["skills_typed"] == ["做饭", "开车"] and u.fields["skills"] == ["小车司机"]
    # Nothing wanted in words: what they can do is what they want.
    assert u.fields["intent_jobs"] == ["小车司机"]
    u = understand("求职 开锁 换锁 男 39 县城 13800001234", author_role="resident")
    assert u.fields["skills_typed"] == ["开锁"]


def test_the_employers_phone_is_the_contact_not_a_reference_persons():
    f = understand("招厨师 6000 县城 13800095857 前厨师的电话188.0007.0078也可以问").fields
    assert f["contact_phone"] == "13800095857"
    f = understand("工地招木工4名 一天400 官渡镇 班长 13800081284 老板138-0004-0924").fields
    assert f["contact_phone"] == "13800040924"


def test_job_title_is_an_occupation_of_the_vocabulary_and_the_words_stay_for_display():
    u = understand("急招模特 18-25岁 月入5万 白沙镇 13800001234")
    assert u.fields["title"] is None and u.fields["title_text"] == "模特"
    assert "title" not in u.missing  # the ad names its job, in words the vocabulary lacks
    assert understand("大孟 面粉厂 叉车2名 5500 13800001234").fields["title"] == "叉车工"
    assert understand("纸箱厂招工人8名 计件 黄店镇 13800001234").fields["title"] == "纸箱厂工人"


def test_ages_benefits_and_pay_in_short_ads():
    f = understand("白沙 汽配厂 普工15个 18-45 5000左右 管午饭 有班车 13000097659").fields
    assert (f["age_min"], f["age_max"], f["headcount"], f["salary_min"]) == (18, 45, 15, 5000)
    assert f["benefits"] == ["包吃"] and f["perks"] == ["班车"]
    f = understand("河南佳美食品有限公司 诚聘 包装工40名 年龄18-50 计件 熟练工月入6000+ 电话13800001234").fields
    assert (f["salary_min"], f["salary_unit"], f["age_min"]) == (6000, "piece", 18)
    f = understand("河南顺捷快递 招快递员5名 底薪3000+提成 月入6000-8000 地点：中牟县城 电话13800001234").fields
    assert (f["salary_min"], f["salary_max"], f["company"]) == (6000, 8000, "河南顺捷快递")
    assert understand("万滩 鱼塘 要个看塘的 3000 管吃住 13800001234").fields["headcount"] == 1


def test_a_town_or_village_outside_the_place_list_is_still_the_workplace():
    assert understand("薛店镇 招普工 4000 13800001234").fields["location"] == "薛店镇"
    assert understand("本人男 想在城南工业园找活 13800001234").fields["intent_location"] == "城南工业园"


def test_a_company_name_keeps_its_legal_form():
    text = "郑州鑫源物流有限公司招聘分拣员30名，工资4500-6000元/月，年龄18-50岁，包吃住，电话：13800001234 李经理"
    f = understand(text).fields
    assert f["company"] == "郑州鑫源物流有限公司" and (f["title"], f["headcount"]) == ("分拣员", 30)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [("求职：焊工学徒 男 19 县城 能吃苦", ["电焊学徒"]), ("求职 木工学徒 男 18", ["学徒工"]),
     ("俺儿 20了 想学个汽修 哪有要学徒的 13800001234", ["汽修学徒"]), ("想学电工 当学徒", ["电工学徒"])],
)
def test_an_apprenticeship_is_wanted_not_the_trade(text, wanted):
    assert understand(text, author_role="resident").fields["intent_jobs"] == wanted


def test_a_certified_trade_and_a_vehicle_driven_are_skills():
    f = understand("找个水电工的活 持证电工 男 52 13800001234", author_role="resident").fields
    assert "电工" in f["skills"]
    f = understand("求职 男 52 开过公交 想找个班车司机 13800001234", author_role="resident").fields
    assert f["skills"] == ["公交司机"] and f["skills_typed"] == ["开过公交"]


@pytest.mark.parametrize(
    ("text", "pay"),
    [("招纸箱厂 折盒工 在家也能做 一个一毛 县城 13800001234", (0.1, "piece")),
     ("计件 一件3毛 招缝纫工 13800001234", (0.3, "piece")),
     ("招普工 年薪8万 县城 13800001234", (6667, "month"))],
)
def test_dimes_and_yearly_pay(text, pay):
    f = understand(text).fields
    assert (f["salary_min"], f["salary_unit"]) == pay


@pytest.mark.parametrize(
    "text",
    ["招叉车司机1名 月薪5500 年龄20-45岁 地点白沙镇仓储中心 联系电话13800100002",
     "招保洁 月薪5500 年纪 20到45 周岁 县城 13800001234"],
)
def test_an_age_range_after_the_wage_does_not_hide_the_wage(text):
    # The age range is blanked before reading pay; its 岁 must go with it, or the wage reads as an age.
    f = understand(text, author_role="employer").fields
    assert (f["salary_min"], f["salary_unit"], f["age_min"], f["age_max"]) == (5500, "month", 20, 45)
