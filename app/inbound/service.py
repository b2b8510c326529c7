"""Accept one verified inbound message: dedupe, store, run its handler, keep the reply.

Dedupe is a single INSERT .. ON CONFLICT DO NOTHING under the unique (channel, dedupe_key):
not check-then-insert and not process memory, so it holds across restarts and workers. The
handler runs in the same transaction as the insert, so a message's effects happen once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.inbound.handlers import Context, dispatch
from app.inbound.identity import identify
from app.inbound.models import InboundMessage, RejectedCallback
from bots.inbound import Inbound


def _insert_once(session: Session, values: dict) -> int | None:
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    statement = (
        dialect.insert(InboundMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["channel", "dedupe_key"])
        .returning(InboundMessage.id)
    )
    return session.execute(statement).scalar()


def accept(*, session: Session, inbound: Inbound, now: datetime) -> str:
    """Store the message once and return its passive reply; a retry gets the first reply again."""
    speaker = identify(session=session, inbound=inbound)
    row_id = _insert_once(
        session,
        {
            "channel": inbound.channel,
            "dedupe_key": inbound.dedupe_key,
            "sender": inbound.sender,
            "sender_kind": speaker.kind,
            "msg_type": inbound.msg_type,
            "event": inbound.event,
            "chat_id": inbound.chat_id,
            "content": inbound.content or None,
            "received_at": now,
        },
    )
    if row_id is None:
        session.rollback()
        stored = session.scalar(
            select(InboundMessage.reply).where(
                InboundMessage.channel == inbound.channel, InboundMessage.dedupe_key == inbound.dedupe_key
            )
        )
        return stored or ""
    reply = dispatch(Context(session=session, inbound=inbound, speaker=speaker, now=now))
    session.get(InboundMessage, row_id).reply = reply
    session.commit()
    return reply


def record_rejection(*, session: Session, channel: str, code: int, reason: str, remote: str, now: datetime) -> None:
    session.add(RejectedCallback(channel=channel, code=code, reason=reason[:200], remote=remote[:64], at=now))
    session.commit()
