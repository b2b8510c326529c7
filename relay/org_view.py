"""The org tree as plain data for routing: loaded once per decision, so the rules stay pure.

A district has ~20 townships and ~400 villages: two queries load all of it, cheaper than a
lookup per village during a fan-out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import ChatGroup, Node
from relay.rules import DeadlinePolicy, policy_for


@dataclass(frozen=True)
class NodeView:
    id: int
    kind: str
    name: str
    parent_id: int | None
    overrides: dict[str, Any]


@dataclass(frozen=True)
class GroupView:
    id: int
    node_id: int
    purpose: str
    channel: str
    address: str


@dataclass
class OrgView:
    nodes: dict[int, NodeView]
    groups: dict[tuple[int, str], GroupView]
    children: dict[int, list[int]] = field(default_factory=dict)

    def children_of(self, node_id: int) -> list[NodeView]:
        return [self.nodes[i] for i in self.children.get(node_id, [])]

    def ancestors(self, node_id: int) -> list[NodeView]:
        """The node and its parents, nearest first."""
        chain, current = [], self.nodes.get(node_id)
        while current is not None:
            chain.append(current)
            current = self.nodes.get(current.parent_id) if current.parent_id is not None else None
        return chain

    def up_to(self, node_id: int, kind: str) -> NodeView | None:
        """The node itself or its ancestor of this kind."""
        return next((n for n in self.ancestors(node_id) if n.kind == kind), None)

    def group(self, node_id: int, purpose: str) -> GroupView | None:
        return self.groups.get((node_id, purpose))

    def policy(self, node_id: int, base: DeadlinePolicy | None = None) -> DeadlinePolicy:
        """The node's rules: defaults, then district, township and village overrides."""
        return policy_for([n.overrides for n in reversed(self.ancestors(node_id))], base=base)

    def townships(self, district_id: int) -> list[NodeView]:
        return [n for n in self.children_of(district_id) if n.kind == "township"]


def load_org(*, session: Session) -> OrgView:
    """Every node and group, as plain data (children in code order)."""
    rows = session.execute(
        select(Node.id, Node.kind, Node.name, Node.parent_id, Node.overrides).order_by(Node.code)
    ).all()
    nodes = {r.id: NodeView(r.id, r.kind, r.name, r.parent_id, dict(r.overrides or {})) for r in rows}
    children: dict[int, list[int]] = {}
    for r in rows:
        if r.parent_id is not None:
            children.setdefault(r.parent_id, []).append(r.id)
    groups = {
        (g.node_id, g.purpose): GroupView(g.id, g.node_id, g.purpose, g.channel, g.address)
        for g in session.execute(
            select(ChatGroup.id, ChatGroup.node_id, ChatGroup.purpose, ChatGroup.channel, ChatGroup.address)
        ).all()
    }
    return OrgView(nodes=nodes, groups=groups, children=children)
