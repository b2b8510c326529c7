"""Village coverage by membership: who is in each village's customer group, and who came through its QR.

"Came through the village's QR" means groupchat/get reported the member with the village's join
state (add_join_way's `state`, D-99547) — a count no invitation or forward can inflate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.joins.models import CustomerGroupMember
from app.joins.service import customer_group_of, join_state
from app.org.models import Contact, Node
from app.org.service import list_villages

EXTERNAL = 2


@dataclass(frozen=True)
class VillageMembership:
    village_code: str
    village_name: str
    chat_id: str | None  # None: the village has no customer group (manual or internal pilot)
    members: int  # external contacts in the group now
    joined_by_qr: int  # of them, those who joined through this village's join QR
    bound_by_scan: int  # residents bound to the village by scanning its OA code


def village_membership(*, session: Session, node: Node) -> VillageMembership:
    group = customer_group_of(session=session, node_id=node.id)
    members = joined = 0
    if group is not None:
        current = (
            select(CustomerGroupMember.state, func.count())
            .where(
                CustomerGroupMember.chat_id == group.address,
                CustomerGroupMember.member_type == EXTERNAL,
                CustomerGroupMember.left_at.is_(None),
            )
            .group_by(CustomerGroupMember.state)
        )
        by_state = dict(session.execute(current).tuples().all())
        members, joined = sum(by_state.values()), by_state.get(join_state(node), 0)
    bound = session.scalar(
        select(func.count()).select_from(Contact).where(Contact.node_id == node.id, Contact.bound_via == f"qr:{node.code}")
    )
    return VillageMembership(node.code, node.name, group.address if group else None, members, joined, bound or 0)


def membership_report(*, session: Session, township_code: str | None = None) -> dict:
    """Every village's membership and the share of villages with at least one QR joiner."""
    villages = list_villages(session=session)
    if township_code is not None:
        villages = [v for v in villages if v.parent is not None and v.parent.code == township_code]
    rows = [village_membership(session=session, node=v) for v in villages]
    with_group = [r for r in rows if r.chat_id]
    reached = [r for r in with_group if r.joined_by_qr > 0]
    return {
        "villages": [asdict(r) for r in rows],
        "villages_with_customer_group": len(with_group),
        "villages_with_qr_joiners": len(reached),
        "qr_join_coverage": round(len(reached) / len(with_group), 4) if with_group else None,
    }
