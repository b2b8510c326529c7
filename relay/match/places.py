"""Where a profile sits in the org tree: (village, township) node ids, from an item's origin or
from a place name in its text (白沙镇物流园 -> 白沙镇)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import Node

# Suffixes dropped to find the short name people write (白沙镇 -> 白沙, 甲一村 -> 甲一).
_SUFFIXES = ("街道", "社区", "镇", "乡", "村")


@dataclass(frozen=True)
class Place:
    village_id: int | None
    township_id: int | None

    @property
    def known(self) -> bool:
        return self.village_id is not None or self.township_id is not None


NOWHERE = Place(None, None)


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def place_of_node(session: Session, node_id: int | None) -> Place:
    node = session.get(Node, node_id) if node_id is not None else None
    if node is None or node.kind == "district":
        return NOWHERE
    if node.kind == "township":
        return Place(None, node.id)
    return Place(node.id, node.parent_id)


def place_in_text(session: Session, text: str) -> Place:
    """The most specific village or township whose name (or short name) the text contains."""
    if not text:
        return NOWHERE
    rows = session.execute(select(Node.id, Node.kind, Node.name, Node.parent_id)
                           .where(Node.kind.in_(("township", "village")))).all()
    best: tuple[int, Place] | None = None
    for node_id, kind, name, parent_id in rows:
        for word in dict.fromkeys([name, _short(name)]):
            if word and word in text:
                rank = (2 if kind == "village" else 1) * 100 + len(word)
                place = Place(node_id, parent_id) if kind == "village" else Place(None, node_id)
                if best is None or rank > best[0]:
                    best = (rank, place)
    return best[1] if best else NOWHERE


def nearness(a: Place, b: Place) -> str | None:
    """village | township | None (the same district is everyone)."""
    if a.village_id is not None and a.village_id == b.village_id:
        return "village"
    if a.township_id is not None and a.township_id == b.township_id:
        return "township"
    return None
