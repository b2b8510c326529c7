"""Where an item goes next (pure: plain org data in, hop plans out).

Job posts flow down (district → townships → villages), seeker notes flow up (village →
township → district employers' group), policy notices go to every group at once. Township
hops wait for the steward unless the township's `requires_approval` override says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from relay.org_view import NodeView, OrgView
from relay.rules import DeadlinePolicy

# Place-name endings people leave out when they write a location ("雁鸣湖" for 雁鸣湖镇).
_SUFFIXES = ("街道办事处", "街道", "社区", "镇", "乡", "村")


@dataclass(frozen=True)
class HopPlan:
    to_node_id: int
    from_node_id: int | None
    tier: str
    needs_approval: bool


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _names_place(location: str, node: NodeView) -> bool:
    return node.name in location or _stem(node.name) in location


def townships_named_in(location: str, org: OrgView, district_id: int) -> list[int]:
    """Townships whose name, or the name of one of their villages, appears in the location text."""
    if not location:
        return []
    return [
        township.id
        for township in org.townships(district_id)
        if _names_place(location, township) or any(_names_place(location, v) for v in org.children_of(township.id))
    ]


def job_townships(org: OrgView, district_id: int, *, targets: list[int] | None, location: str) -> list[NodeView]:
    """Explicit targets win; else the townships the location names; else every township."""
    every = org.townships(district_id)
    wanted = set(targets) if targets else set(townships_named_in(location, org, district_id))
    chosen = [t for t in every if t.id in wanted]
    return chosen or every


def township_hop(township: NodeView, *, from_node_id: int | None, policy: DeadlinePolicy) -> HopPlan:
    return HopPlan(township.id, from_node_id, "township", policy.requires_approval)


def first_hops(
    kind: str, *, origin_id: int, org: OrgView, targets: list[int] | None = None, location: str = "",
    base: DeadlinePolicy | None = None,
) -> list[HopPlan]:
    """The hops written when an item is submitted."""
    district = org.up_to(origin_id, "district")
    if district is None:
        raise ValueError(f"node {origin_id} is not under a district")
    if kind == "seeker":
        township = org.up_to(origin_id, "township")
        if township is None:
            raise ValueError(f"seeker notes start in a village; node {origin_id} has no township")
        return [township_hop(township, from_node_id=origin_id, policy=org.policy(township.id, base))]
    if kind == "job":
        publish = HopPlan(district.id, None, "district", False)  # certified employer: published at once
        townships = job_townships(org, district.id, targets=targets, location=location)
        return [publish] + [township_hop(t, from_node_id=district.id, policy=org.policy(t.id, base)) for t in townships]
    if kind == "policy":
        return policy_hops(org, district)
    raise ValueError(f"no route for items of kind {kind!r}")


def policy_hops(org: OrgView, district: NodeView) -> list[HopPlan]:
    """A policy notice reaches every group of the district, without approval."""
    plans = [HopPlan(district.id, None, "district", False)]
    for township in org.townships(district.id):
        plans.append(HopPlan(township.id, district.id, "township", False))
        plans += [HopPlan(v.id, township.id, "village", False) for v in org.children_of(township.id) if v.kind == "village"]
    return plans


def hops_after_township(kind: str, *, township_id: int, org: OrgView) -> list[HopPlan]:
    """What an approved township hop releases: villages for a job, the district for a seeker note."""
    if kind == "job":
        return [HopPlan(v.id, township_id, "village", False) for v in org.children_of(township_id) if v.kind == "village"]
    if kind == "seeker":
        district = org.up_to(township_id, "district")
        assert district is not None
        return [HopPlan(district.id, township_id, "district", False)]
    return []


def target_group_purpose(tier: str) -> str:
    """Which group of a node receives relayed items."""
    return {"district": "employers", "township": "stewards", "village": "residents"}[tier]
