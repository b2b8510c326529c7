"""Field parsing cases found outside the corpus."""

from __future__ import annotations


def test_an_explicit_workplace_cue_names_a_place_outside_the_place_list():
    from templates_msg.understand import understand

    u = understand("招聘保洁员 月薪2800 60岁以下 地点县人民医院 电话13700004444")
    assert u.fields["location"] == "县人民医院" and "location" not in u.missing
    # ... but a home address after 地址 is never taken as a place (it may be private)
    assert understand("会做保洁 想找活 地址青年路十二号院").fields.get("intent_location") != "青年路十二号院"
