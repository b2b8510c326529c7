"""Accept one verified inbound message: run its handler, store it once, keep the reply.

Dedupe is a single INSERT .. ON CONFLICT DO NOTHING under the unique (channel, dedupe_key):
not check-then-insert and not process memory, so it holds across restarts and workers. The
handler runs first, in the same transaction, and the row goes in last with the reply: if the
insert finds the message already stored (a WeCom retry), the transaction is rolled back, so
the handler's effects happen exactly once, and the retry gets the first reply again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.inbound import messaging
from app.inbound.handlers import Context, dispatch
from app.inbound.identity import identify
from app.inbound.models import InboundMessage
from bots.inbound import Inbound
from relay.errors import RelayError
from relay.rules import DeadlinePolicy
from vetting.errors import VettingError

log = logging.getLogger("jobmatrix.inbound")


def _insert_statement(dialect_name: str):
    dialect = sqlite if dialect_name == "sqlite" else postgresql
    return (
        dialect.insert(InboundMessage)
        .on_conflict_do_nothing(index_elements=["channel", "dedupe_key"])
        .returning(InboundMessage.id)
    )


# Built once per dialect: this runs for every callback, and building the statement costs more
# than executing it on SQLite.
_INSERT_ONCE = {name: _insert_statement(name) for name in ("sqlite", "postgresql")}


def _insert_once(session: Session, values: dict) -> int | None:
    return session.execute(_INSERT_ONCE[session.get_bind().dialect.name], values).scalar()


def _stored_reply(session: Session, inbound: Inbound) -> str:
    return session.scalar(
        select(InboundMessage.reply).where(
            InboundMessage.channel == inbound.channel, InboundMessage.dedupe_key == inbound.dedupe_key
        )
    ) or ""


def _handle(session: Session, inbound: Inbound, speaker, now: datetime, policy) -> tuple[str, str]:
    """(reply, error): a refusal that escaped its handler is still a reply; anything else is
    logged, its effects rolled back, and the message kept with the error, never dropped."""
    try:
        return dispatch(Context(session=session, inbound=inbound, speaker=speaker, now=now, policy=policy)), ""
    except (RelayError, VettingError) as refusal:
        session.rollback()
        return refusal.reply, ""
    except Exception as exc:
        log.exception("handling %s message %s failed", inbound.channel, inbound.dedupe_key)
        session.rollback()
        return messaging.SORRY, f"{type(exc).__name__}: {exc}"[:300]


def accept(*, session: Session, inbound: Inbound, now: datetime, policy: DeadlinePolicy | None = None) -> str:
    """Store the message once and return its passive reply; a retry gets the first reply again."""
    speaker = identify(session=session, inbound=inbound)
    speaker_kind = speaker.kind
    reply, error = _handle(session, inbound, speaker, now, policy)
    row_id = _insert_once(
        session,
        {
            "channel": inbound.channel,
            "dedupe_key": inbound.dedupe_key,
            "sender": inbound.sender,
            "sender_kind": speaker_kind,
            "msg_type": inbound.msg_type,
            "event": inbound.event,
            "chat_id": inbound.chat_id,
            "content": inbound.content or None,
            "reply": reply,
            "error": error,
            "received_at": now,
        },
    )
    if row_id is None:
        session.rollback()  # a retry: undo what the handler just did, answer as the first time
        return _stored_reply(session, inbound)
    session.commit()
    return reply

