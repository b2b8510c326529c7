"""The outbound steps of the join flow, each a few client calls and one commit.

send_join_qr: the village's join QR (made once: add_join_way with state = the village's code,
get_join_way for its qr_code) → its PNG → media/upload (reused for 3 days) → custom/send image.
sync_group: groupchat/get → the stored membership (change_external_chat only says "changed", §1.8).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy.orm import Session

from app.joins import service
from app.joins.models import CustomerGroupSync, JoinInvitation, VillageJoinWay
from app.org.models import Node
from bots.client import ApiError, MpClient, PermanentApiError, WeComClient

log = logging.getLogger("jobmatrix.joins")

# Temporary media live 3 days (MP-media); upload again a little before that.
MEDIA_REUSE = timedelta(days=2, hours=12)
# A follow or scan opens a customer-service window of 3 messages for 1 minute (§4.3).
EVENT_WINDOW = timedelta(seconds=60)
GROUP_GONE = 40050


class JoinFailed(Exception):
    """This invitation cannot be served (no customer group, window closed): record, don't retry."""


@dataclass
class JoinClients:
    wecom: WeComClient
    mp: MpClient
    http: httpx.Client  # fetches the qr_code image (p.qpic.cn in production)


def send_join_qr(*, session: Session, clients: JoinClients, invitation: JoinInvitation, now: datetime) -> None:
    """Send one owed join QR; raises JoinFailed or a bots.client ApiError."""
    if now - invitation.scanned_at > EVENT_WINDOW:
        raise JoinFailed("the 1-minute customer-service window of the scan has closed (§4.3)")
    node = session.get(Node, invitation.node_id)
    assert node is not None
    way = ensure_join_way(session=session, clients=clients, node=node, now=now)
    media_id = _media_for(session=session, clients=clients, way=way, now=now)
    clients.mp.custom.send_image(openid=invitation.openid, media_id=media_id)


def ensure_join_way(*, session: Session, clients: JoinClients, node: Node, now: datetime) -> VillageJoinWay:
    """The village's join QR, made on first use and kept pointing at its current customer group."""
    group = service.customer_group_of(session=session, node_id=node.id)
    if group is None:
        raise JoinFailed(f"village {node.code} has no customer group to join")
    api = clients.wecom.groupchat
    way = service.get_join_way(session=session, node_id=node.id)
    state = service.join_state(node)
    if way is None:
        config_id = api.add_join_way(chat_id_list=[group.address], state=state, remark=f"{node.name}入群码"[:30])["config_id"]
        way = VillageJoinWay(node_id=node.id, chat_id=group.address, config_id=config_id, state=state, qr_code="", created_at=now)
        session.add(way)
    elif way.chat_id != group.address or way.state != state:  # the org file moved the village to another group
        api.update_join_way(config_id=way.config_id, chat_id_list=[group.address], state=state)
        way.chat_id, way.state, way.media_id = group.address, state, None
    if not way.qr_code:
        way.qr_code = api.get_join_way(config_id=way.config_id)["join_way"]["qr_code"]
    session.commit()
    return way


def _media_for(*, session: Session, clients: JoinClients, way: VillageJoinWay, now: datetime) -> str:
    if way.media_id and way.media_uploaded_at and now - way.media_uploaded_at < MEDIA_REUSE:
        return way.media_id
    response = clients.http.get(way.qr_code)
    response.raise_for_status()
    way.media_id = clients.mp.media.upload_image(content=response.content)["media_id"]
    way.media_uploaded_at = now
    session.commit()
    return way.media_id


def sync_group(*, session: Session, clients: JoinClients, sync: CustomerGroupSync, now: datetime) -> None:
    """Read one customer group and store its members; a group that is gone empties."""
    try:
        chat = clients.wecom.groupchat.get(chat_id=sync.chat_id)["group_chat"]
    except PermanentApiError as err:
        if err.errcode != GROUP_GONE:
            raise
        service.mark_group_gone(session=session, chat_id=sync.chat_id, now=now)
        sync.synced_at, sync.last_error = now, "customer group no longer exists (40050)"
        session.commit()
        return
    service.apply_group_chat(session=session, chat_id=sync.chat_id, members=chat.get("member_list", []), now=now)
    sync.synced_at, sync.member_version, sync.last_error = now, str(chat.get("member_version", "")), ""
    session.commit()


def describe(error: Exception) -> str:
    if isinstance(error, ApiError):
        return f"{error.api} errcode {error.errcode}: {error.errmsg}"
    return f"{type(error).__name__}: {error}"
