"""Routing rules: which hops each kind of item gets, on plain org data."""

from __future__ import annotations

from relay.org_view import GroupView, NodeView, OrgView
from relay.routing import first_hops, hops_after_township, townships_named_in


def _org(town_overrides: dict | None = None) -> OrgView:
    nodes = {
        1: NodeView(1, "district", "测试区", None, {}),
        2: NodeView(2, "township", "甲镇", 1, {}),
        3: NodeView(3, "township", "雁鸣湖镇", 1, town_overrides or {}),
        4: NodeView(4, "village", "甲一村", 2, {}),
        5: NodeView(5, "village", "前庄村", 3, {}),
        6: NodeView(6, "village", "后屯村", 3, {}),
    }
    children = {1: [2, 3], 2: [4], 3: [5, 6]}
    groups = {(1, "employers"): GroupView(1, 1, "employers", "appchat", "d")}
    return OrgView(nodes=nodes, groups=groups, children=children)


def test_seeker_note_goes_to_its_township_for_approval():
    plans = first_hops("seeker", origin_id=5, org=_org())
    assert [(p.to_node_id, p.from_node_id, p.tier, p.needs_approval) for p in plans] == [(3, 5, "township", True)]


def test_seeker_note_after_approval_goes_to_the_district():
    assert [(p.to_node_id, p.tier) for p in hops_after_township("seeker", township_id=3, org=_org())] == [(1, "district")]


def test_job_is_published_at_once_then_waits_in_every_township():
    plans = first_hops("job", origin_id=1, org=_org(), location="县城")
    assert [(p.to_node_id, p.tier, p.needs_approval) for p in plans] == [
        (1, "district", False), (2, "township", True), (3, "township", True)]


def test_job_location_naming_a_township_targets_it_only():
    plans = first_hops("job", origin_id=1, org=_org(), location="雁鸣湖物流园")
    assert [p.to_node_id for p in plans] == [1, 3]


def test_job_location_naming_a_village_targets_its_township():
    assert townships_named_in("后屯村东头", _org(), 1) == [3]
    assert townships_named_in("甲一村", _org(), 1) == [2]


def test_explicit_targets_win_over_location():
    plans = first_hops("job", origin_id=1, org=_org(), targets=[2], location="雁鸣湖镇")
    assert [p.to_node_id for p in plans] == [1, 2]


def test_job_after_approval_fans_out_to_the_townships_villages():
    assert [p.to_node_id for p in hops_after_township("job", township_id=3, org=_org())] == [5, 6]


def test_township_override_skips_approval():
    plans = first_hops("job", origin_id=1, org=_org({"requires_approval": False}))
    assert {p.to_node_id: p.needs_approval for p in plans} == {1: False, 2: True, 3: False}


def test_policy_reaches_every_node_without_approval():
    plans = first_hops("policy", origin_id=1, org=_org())
    assert sorted(p.to_node_id for p in plans) == [1, 2, 3, 4, 5, 6]
    assert not any(p.needs_approval for p in plans)
