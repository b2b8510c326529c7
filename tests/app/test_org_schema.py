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
    group = "          groups:\n            - {{purpose: stewards, channel: {0}, address: '{1}'}}\n"
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    assert "paste only the key" in issues(village(extra=group.format("robot", url)))[0][0]
    assert "at most 32 letters and digits" in issues(village(extra=group.format("appchat", "a" * 33)))[0][0]
    customer = "          groups:\n            - {purpose: residents, kind: customer, chat_id: '{0}', owner: h1}\n"
    assert issues(village(extra=customer.replace("{0}", "wrAbC_123")))[0] == []
    assert "chat_id 'wr x' is not a customer group chat_id" in issues(village(extra=customer.replace("{0}", "wr x")))[0][0]


def group_line(entry: str) -> str:
    return "          groups:\n            - {" + entry + "}\n"


def test_residents_on_an_internal_channel_are_refused_unless_a_pilot():
    errors, _ = issues(village(extra=group_line("purpose: residents, channel: robot, address: robotkey-0001")))
    assert errors == [
        "f.yaml, line 11, column 45: group '村群众求职群' holds residents, who use personal WeChat: WeCom apps "
        "and robots cannot post into their groups (robot reaches internal groups only). Make it a 'customer' "
        "group (chat_id + owner) or a 'manual' group (relay_by), or mark it 'internal_pilot: true' if every "
        "member really is staff"
    ]
    pilot = "purpose: residents, kind: internal, channel: appchat, address: pilot01, internal_pilot: true"
    spec, out = parse_org(source_text=village(extra=group_line(pilot)), filename="f")
    assert out.errors == []
    assert (spec.nodes[-1].groups[0].kind, spec.nodes[-1].groups[0].internal_pilot) == ("internal", True)


def test_customer_and_manual_groups_name_their_owner_who_must_be_staff():
    spec, out = parse_org(source_text=village(extra=group_line("purpose: residents, kind: manual, relay_by: h1")),
                          filename="f")
    assert out.errors == []
    group = spec.nodes[-1].groups[0]
    assert (group.kind, group.channel, group.owner, group.address) == ("manual", "manual", "h1", "manual:d-t-01")
    errors, _ = issues(village(extra=group_line("purpose: residents, kind: customer, chat_id: wr01, owner: nobody")))
    assert errors == [
        "f.yaml, line 11, column 74: 'nobody' of group '村群众求职群' is not a staff userid in this file; "
        "a group's owner or relayer must be listed under some node's staff"
    ]
    errors, _ = issues(village(extra=group_line("purpose: residents, kind: customer, owner: h1")))
    assert errors == ["f.yaml, line 11, column 15: customer group '村群众求职群' has no 'chat_id' "
                      "(the customer group's id, 'wr…')"]
    errors, _ = issues(village(extra=group_line("purpose: residents, kind: manual")))
    assert "group '村群众求职群' has no 'relay_by'" in errors[0]


def test_unknown_kinds_and_keys_of_another_kind_are_named():
    errors, _ = issues(village(extra=group_line("purpose: residents, kind: custmer, chat_id: wr01, owner: h1")))
    assert errors == ["f.yaml, line 11, column 42: kind 'custmer' is not one of: internal, customer, manual "
                      "(did you mean 'customer'?)"]
    errors, _ = issues(village(extra=group_line("purpose: residents, kind: customer, chat_id: wr01, owner: h1, "
                                                "address: wr01")))
    assert errors == ["f.yaml, line 11, column 87: 'address' does not apply to customer group '村群众求职群'; "
                      "a customer group takes: purpose, kind, name, chat_id, owner"]


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
