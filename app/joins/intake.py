"""The join flow's part of handling a callback: what the handler records, in its transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.joins import messaging, service
from app.org.models import Node
from bots.inbound import CHANNEL_WECOM, Inbound


def welcome_and_invite(*, session: Session, openid: str, node: Node, event: str, now: datetime) -> str:
    """The welcome reply; when the village has a customer group, its join QR is owed to `openid`."""
    has_group = service.customer_group_of(session=session, node_id=node.id) is not None
    service.record_scan(session=session, openid=openid, node=node, event=event, now=now, owed=has_group)
    return messaging.welcome(node.name, join_qr_coming=has_group)


def is_group_change(inbound: Inbound) -> bool:
    return inbound.channel == CHANNEL_WECOM and inbound.event == "change_external_chat" and bool(
        inbound.extra.get("ChatId")
    )


def note_group_change(*, session: Session, inbound: Inbound, now: datetime) -> str:
    """change_external_chat carries only ids (§1.8): remember to read the group; no reply."""
    service.request_group_sync(session=session, chat_id=inbound.extra["ChatId"], now=now)
    return ""
