"""The org file's rules, without a database: messages say what is wrong, where, and what is allowed."""

from __future__ import annotations

from app.org.schema import normalize_phone, parse_org


def issues(source: str) -> tuple[list[str], list[str]]:
    _, out = parse_org(source_text=source, filename="f.yaml")
    return [str(e) for e in out.errors], [str(w) for w in out.warnings]


def village(extra: str = "", staff: str = "") -> str:
    return f"""\
district:
  code: d
  name: 县
  townships:
    - code: d-t
      name: 镇
      villages:
        - code: d-t-01
          name: 村
{extra}          staff:
            - {{userid: h1, name: 甲, role: village_head}}
{staff}"""


def test_a_file_without_district_or_with_nothing_says_how_to_start():
    assert issues("")[0] == [
        "f.yaml, line 1, column 1: the file is empty; it must start with 'district:' (see docs/org-file.md)"
    ]
    assert "has no 'district:'" in issues("version: 1\n")[0][0]
    assert "version '2' is not supported" in issues("version: 2\ndistrict: {code: d, name: x}\n")[0][0]


def test_missing_posts_and_groups_are_warnings_not_errors():
    errors, warnings = issues(village())
    assert errors == []
    assert "f.yaml, line 8, column 11: village 'd-t-01' has no hr_specialist, volunteer" in warnings
    assert any("township 'd-t' has no township_steward" in w for w in warnings)
    assert any("village 'd-t-01' has no residents group" in w for w in warnings)


def test_a_role_must_serve_at_the_right_tier():
    errors, _ = issues(village(staff="            - {userid: s1, name: 乙, role: township_steward}\n"))
    assert errors == [
        "f.yaml, line 12, column 43: role 'township_steward' does not serve at a village; "
        "a village takes: village_head, hr_specialist, volunteer"
    ]


def test_unknown_and_repeated_keys_are_named():
    errors, _ = issues(village(extra="          nmae: 村\n          name: 村\n"))
    assert (
        "f.yaml, line 10, column 11: unknown key 'nmae' in a village; allowed keys: code, name, overrides, "
        "groups, staff, residents, employers (did you mean 'name'?)" in errors
    )
    assert "f.yaml, line 11, column 11: key 'name' appears twice in a village" in errors


def test_addresses_are_checked_per_channel():
    group = "          groups:\n            - {{purpose: residents, channel: {0}, address: '{1}'}}\n"
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    assert "paste only the key" in issues(village(extra=group.format("robot", url)))[0][0]
    assert "at most 32 letters and digits" in issues(village(extra=group.format("appchat", "a" * 33)))[0][0]
    assert issues(village(extra=group.format("customer_group", "wrAbC_123")))[0] == []


def test_overrides_must_be_json_and_times_must_be_quoted():
    bad = village(extra="          overrides: {opens: 2026-01-01}\n")
    assert "quote dates and times" in issues(bad)[0][0]
    spec, out = parse_org(
        source_text=village(
            extra="          overrides: {service_hours: '08:00-18:00', "
            "auto_approve: false, deadline_minutes: 30}\n"
        ),
        filename="f",
    )
    assert out.errors == []
    assert spec.nodes[-1].overrides == {
        "service_hours": "08:00-18:00",
        "auto_approve": False,
        "deadline_minutes": 30,
    }


def test_numbers_are_read_as_written_and_phones_normalized():
    staff = "            - {userid: 2024001, name: 乙, role: volunteer, mobile: +86 138-0000-0011}\n"
    spec, out = parse_org(source_text=village(staff=staff), filename="f")
    assert out.errors == []
    assert (spec.nodes[-1].staff[1].userid, spec.nodes[-1].staff[1].mobile) == ("2024001", "13800000011")
    assert normalize_phone("0086 0371 0000 0002") == "037100000002"
    bad = village(staff="            - {userid: v2, name: 乙, role: volunteer, mobile: '12345'}\n")
    assert "mobile '12345' is not an 11-digit mobile number" in issues(bad)[0][0]


def test_contacts_need_an_identity_and_unique_ones():
    contacts = (
        "          residents:\n            - {name: 无名}\n"
        "            - {openid: o_demo_x1}\n            - {openid: o_demo_x1}\n"
    )
    errors, _ = issues(village(extra=contacts))
    assert errors == [
        "f.yaml, line 11, column 15: a resident contact needs an 'openid' (Official Account) or a 'userid' (WeCom)",
        "f.yaml, line 13, column 24: contact openid 'o_demo_x1' is already used on line 12; each must be unique",
    ]
