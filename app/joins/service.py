"""Plain functions on a session for the join flow: what is owed, what is cached, who is in which group."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.joins.models import CustomerGroupMember, CustomerGroupSync, JoinInvitation, VillageJoinWay
from app.org.models import ChatGroup, Node
from app.org.service import get_group

MAX_STATE = 30  # add_join_way's state is at most 30 characters (§2.6)


def join_state(node: Node) -> str:
    """The `state` of a village's join QR: its code, or `node-<id>` when the code is too long."""
    return node.code if len(node.code) <= MAX_STATE else f"node-{node.id}"


def customer_group_of(*, session: Session, node_id: int) -> ChatGroup | None:
    """The village's residents group when it is a WeCom customer group (the only kind with a join QR)."""
    group = get_group(session=session, node_id=node_id, purpose="residents")
    if group is None:
        return None
    return group if group.kind == "customer" and group.address else None


def record_scan(*, session: Session, openid: str, node: Node, event: str, now: datetime, owed: bool) -> JoinInvitation:
    """The scan, on record; `owed`: the village group's join QR is to be sent (status pending)."""
    status = "pending" if owed else "not_owed"
    invitation = JoinInvitation(openid=openid, node_id=node.id, event=event, scanned_at=now, status=status, last_error="")
    session.add(invitation)
    return invitation


def pending_invitation_ids(*, session: Session) -> list[int]:
    return list(session.scalars(select(JoinInvitation.id).where(JoinInvitation.status == "pending").order_by(JoinInvitation.id)))


def fail_interrupted(*, session: Session, before: datetime) -> int:
    """Invitations a worker took but never finished (it died): the scan's window is long gone, so
    they are failed with the reason rather than left "sending" for ever."""
    count = session.execute(
        update(JoinInvitation)
        .where(JoinInvitation.status == "sending", JoinInvitation.scanned_at < before)
        .values(status="failed", last_error="interrupted: the worker stopped while sending")
    ).rowcount
    session.commit()
    return count


def claim_invitation(*, session: Session, invitation_id: int) -> JoinInvitation | None:
    """Take one pending invitation for this worker (pending → sending); None if another took it."""
    taken = session.execute(
        update(JoinInvitation)
        .where(JoinInvitation.id == invitation_id, JoinInvitation.status == "pending")
        .values(status="sending")
    ).rowcount
    session.commit()
    return session.get(JoinInvitation, invitation_id) if taken == 1 else None


def finish_invitation(*, session: Session, invitation: JoinInvitation, now: datetime, error: str = "", retry: bool = False) -> None:
    if error:
        invitation.status, invitation.last_error = ("pending" if retry else "failed"), error[:300]
    else:
        invitation.status, invitation.sent_at, invitation.last_error = "sent", now, ""
    session.commit()


def get_join_way(*, session: Session, node_id: int) -> VillageJoinWay | None:
    return session.scalar(select(VillageJoinWay).where(VillageJoinWay.node_id == node_id))


# -- membership -------------------------------------------------------------------------------


def request_group_sync(*, session: Session, chat_id: str, now: datetime) -> None:
    """A change_external_chat arrived: the group must be read again (once, however many events)."""
    row = session.scalar(select(CustomerGroupSync).where(CustomerGroupSync.chat_id == chat_id))
    if row is None:
        session.add(CustomerGroupSync(chat_id=chat_id, requested_at=now, member_version="", last_error=""))
    else:
        row.requested_at = now


def due_group_syncs(*, session: Session) -> list[CustomerGroupSync]:
    """Groups whose last read is older than their last change."""
    rows = session.scalars(select(CustomerGroupSync).order_by(CustomerGroupSync.requested_at))
    return [r for r in rows if r.synced_at is None or r.synced_at < r.requested_at]


def apply_group_chat(*, session: Session, chat_id: str, members: Iterable[dict], now: datetime) -> None:
    """Make the stored membership equal to groupchat/get's member_list; members gone get `left_at`."""
    stored = {m.userid: m for m in session.scalars(select(CustomerGroupMember).where(CustomerGroupMember.chat_id == chat_id))}
    present: set[str] = set()
    for item in members:
        userid = str(item["userid"])
        present.add(userid)
        row = stored.get(userid)
        if row is None:
            row = CustomerGroupMember(chat_id=chat_id, userid=userid)
            session.add(row)
        row.member_type = int(item.get("type", 2))
        row.join_time = datetime.fromtimestamp(int(item["join_time"]), UTC) if item.get("join_time") else None
        row.join_scene = int(item.get("join_scene", 0))
        row.state = str(item.get("state", ""))[:MAX_STATE]
        row.invitor = str((item.get("invitor") or {}).get("userid", ""))
        row.left_at, row.synced_at = None, now
    for userid, row in stored.items():
        if userid not in present and row.left_at is None:
            row.left_at = now


def mark_group_gone(*, session: Session, chat_id: str, now: datetime) -> None:
    """The group no longer exists (40050): nobody is in it any more."""
    session.execute(
        update(CustomerGroupMember)
        .where(CustomerGroupMember.chat_id == chat_id, CustomerGroupMember.left_at.is_(None))
        .values(left_at=now)
    )
