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
        ("本人会开叉车 想找仓库的活 13800001234", ["叉车工"], ["会开叉车"]),
        ("干过电焊 有电工证 想进厂", ["焊工", "电工"], ["干过电焊", "有电工证"]),
        ("有电工证 想在县城找活", ["电工"], ["有电工证"]),
        ("会看图纸 干过十年木工 想找装修的活", ["木工"], ["会看图纸", "干过十年木工"]),
        ("俺会开挖机 也会开铲车 有活叫我 13800001234", ["挖掘机司机", "叉车工"], ["会开挖机", "会开铲车"]),
    ],
)
def test_the_skill_slot_is_normalised_and_kept_as_typed(text, skills, typed):
    u = understand(text, author_role="resident")
    assert u.kind == "seeker"
    assert u.fields["skills"] == skills and u.fields["skills_typed"] == typed
    assert "intent_jobs" not in u.missing


@pytest.mark.parametrize(
    ("text", "pay"),
    [
        ("招普工 3000-5000 白沙镇 电话13800001234", (3000, 5000, "month")),
        ("招普工 工资3千到5千 白沙镇", (3000, 5000, "month")),
        ("招焊工 5k+ 白沙镇", (5000, None, "month")),
        ("装卸工 200一天 白沙镇 电话13800001234", (200, None, "day")),
        ("招缝纫工 计件 多劳多得 白沙镇", (None, None, "piece")),
        ("招普工 综合工资5-7k", (5000, 7000, "month")),
        # A phone number is never a wage, however its digit groups are written.
        ("招普工 工资面议 电话 138 0000 1234", (None, None, None)),
        ("招保洁两名 包午饭 白沙镇 电话0371-62345678", (None, None, None)),
        ("招普工 月薪4500 电话:0371 6234 5678", (4500, None, "month")),
    ],
)
def test_pay_in_its_usual_spellings_and_never_a_phone(text, pay):
    f = understand(text).fields
    assert (f["salary_min"], f["salary_max"], f["salary_unit"]) == pay
