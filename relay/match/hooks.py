"""What matching does when an item goes out: a published job is indexed, its employer gets the best
matching seekers' masked notes and subscribers get it pushed; an approved seeker note is indexed and
its author gets the best open jobs. Called from relay.service.deliver_hop; runs once per item."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.org.models import Contact
from relay import outbox
from relay.match import messages, profile, subscriptions
from relay.match.models import MatchProfile
from relay.match.query import remember
from relay.match.search import rank
from relay.models import Item

PAGE = messages.PAGE
log = logging.getLogger(__name__)


def item_went_out(*, session: Session, item: Item, now: datetime) -> None:
    """The first approved hop of a job or seeker note (later hops change nothing here). A bug in
    matching must not stop the relay: it is logged and the item goes on without suggestions (a
    database error has broken the transaction anyway and is raised)."""
    if item.kind not in ("job", "seeker") or item.status != "relaying":
        return
    if session.get(MatchProfile, item.id) is not None:
        return
    try:
        _match(session, item, now)
    except SQLAlchemyError:
        raise
    except Exception:
        log.exception("matching: %s is relayed without suggestions", item.code)


def _match(session: Session, item: Item, now: datetime) -> None:
    source = profile.store(session, item)
    if item.kind == "job":
        seekers = rank(session, source=source, want="seeker", now=now, limit=PAGE)
        if seekers:
            _to_author(session, item, messages.seekers_for_employer(item.code, seekers), now)
        subscriptions.push_new_job(session=session, item=item, source=source, now=now)
        return
    jobs = rank(session, source=source, want="job", now=now, limit=PAGE + 1)
    if jobs:
        channel = _to_author(session, item, messages.jobs_for_seeker(item.code, jobs[:PAGE], has_more=len(jobs) > PAGE), now)
        remember(session, channel=channel, sender=item.author_ref, source=source, shown=PAGE, now=now)


def _to_author(session: Session, item: Item, content: str, now: datetime) -> str:
    """A message to whoever posted the item (OA by openid, WeCom by userid); the inbound channel name."""
    by_openid = session.scalar(select(Contact.id).where(Contact.openid == item.author_ref))
    channel = "mp" if by_openid is not None else "app"
    outbox.to_person(session=session, purpose="match", userid=item.author_ref, content=content, now=now,
                     item_id=item.id, channel=channel, key=f"match:{item.id}:author")
    return "mp" if channel == "mp" else "wecom"
