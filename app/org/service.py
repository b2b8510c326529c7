"""Lookups on the org tree: who is speaking, which groups to reach, who approves for a township."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.org.models import ChatGroup, Contact, Node, Staff

# Stewards are asked in this order: the backup only covers when the steward is away.
STEWARD_ROLES = ("township_steward", "backup_steward")


def get_node_by_code(*, session: Session, code: str) -> Node | None:
    """The node with this stable code, or None."""
    return session.scalar(select(Node).where(Node.code == code))


def get_staff_by_userid(*, session: Session, userid: str) -> Staff | None:
    """The staff member with this WeCom userid, or None."""
    return session.scalar(select(Staff).where(Staff.userid == userid))


def get_contact_by_openid(*, session: Session, openid: str) -> Contact | None:
    """The resident or employer contact bound to this Official Account openid, or None."""
    return session.scalar(select(Contact).where(Contact.openid == openid))


def get_contact_by_userid(*, session: Session, userid: str) -> Contact | None:
    """The resident or employer contact bound to this WeCom userid, or None."""
    return session.scalar(select(Contact).where(Contact.wecom_userid == userid))


def get_group(*, session: Session, node_id: int, purpose: str) -> ChatGroup | None:
    """The node's group for one purpose (a node has at most one per purpose), or None."""
    return session.scalar(select(ChatGroup).where(ChatGroup.node_id == node_id, ChatGroup.purpose == purpose))


def list_groups(
    *, session: Session, purpose: str | None = None, node_kind: str | None = None
) -> list[ChatGroup]:
    """Groups filtered by purpose and by the kind of their node, in node-code order."""
    query = select(ChatGroup).join(Node, ChatGroup.node_id == Node.id).order_by(Node.code, ChatGroup.purpose)
    if purpose is not None:
        query = query.where(ChatGroup.purpose == purpose)
    if node_kind is not None:
        query = query.where(Node.kind == node_kind)
    return list(session.scalars(query))


def list_children(*, session: Session, node_id: int) -> list[Node]:
    """The nodes directly under this one, in code order."""
    return list(session.scalars(select(Node).where(Node.parent_id == node_id).order_by(Node.code)))


def list_villages(*, session: Session, district_id: int | None = None) -> list[Node]:
    """Every village, or those of one district, in code order."""
    query = select(Node).where(Node.kind == "village").order_by(Node.code)
    if district_id is not None:
        township = aliased(Node)
        query = query.join(township, Node.parent_id == township.id).where(township.parent_id == district_id)
    return list(session.scalars(query))


def get_stewards(*, session: Session, township_id: int) -> list[Staff]:
    """The township's steward(s) first, then backup steward(s); userid breaks ties."""
    rows = session.scalars(
        select(Staff)
        .where(Staff.node_id == township_id, Staff.role.in_(STEWARD_ROLES), Staff.active)
        .order_by(Staff.userid)
    )
    return sorted(rows, key=lambda staff: STEWARD_ROLES.index(staff.role))


def list_staff(*, session: Session, node_id: int, roles: tuple[str, ...] | None = None) -> list[Staff]:
    """The staff serving at one node (who have not left), optionally only some roles, in userid order."""
    query = select(Staff).where(Staff.node_id == node_id, Staff.active).order_by(Staff.userid)
    if roles is not None:
        query = query.where(Staff.role.in_(roles))
    return list(session.scalars(query))
