"""Residents' questions (有没有保洁的活, 白沙镇附近招不招叉车工, 日结的有吗): five open jobs, best
first, each with its code; 更多 pages on. The answer goes in the passive reply when it is ready
within REPLY_BUDGET_SECONDS (WeChat waits 5 s for it), otherwise as a customer-service message."""

from __future__ import annotations

import logging
import os
import re
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from relay import outbox
from relay.match import messages, occupations
from relay.match.models import MatchQuery
from relay.match.places import Place, place_in_text, place_of_node
from relay.match.profile import Profile
from relay.match.search import Suggestion, rank

log = logging.getLogger(__name__)

PAGE = messages.PAGE
# WeChat drops a passive reply after 5 s; leave room for decrypting, the database and the network.
REPLY_BUDGET_SECONDS = float(os.environ.get("JOBMATRIX_MATCH_REPLY_BUDGET", "3.5"))
# 更多 refers to the last question for this long.
PAGES_LAST = timedelta(hours=12)
_DAILY = re.compile(r"日结|当天结|天天结|现结")
_MORE = re.compile(r"^\s*(更多|还有吗|还有没有|下一页|再来点|再看看)\s*[。.!！?？]*\s*$")
# The inbound channel a question came on -> the outbox channel a late answer goes out on.
_LATE_CHANNELS = {"mp": "mp", "wecom": "app"}
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="match-query")


def is_more(text: str) -> bool:
    return bool(_MORE.match(text or ""))


def question_profile(session: Session, *, text: str, fields: dict, home_node_id: int | None) -> Profile:
    """What a question asks for: occupations (refined), the place it names or the asker's home, 日结."""
    codes = occupations.refine([c for c in fields.get("jobs") or [] if c in occupations.tree()], text)
    named = place_in_text(session, f"{fields.get('location') or ''} {text}")
    place = named if named.known else place_of_node(session, home_node_id)
    return Profile(kind="seeker", codes=dict.fromkeys(codes, "intent"), place=place, daily_pay=bool(_DAILY.search(text)),
                   facts_known=False)


def spec_of(source: Profile) -> dict:
    return {"codes": source.codes, "village_id": source.place.village_id, "township_id": source.place.township_id,
            "daily": source.daily_pay, "age": source.age, "certs": source.certs, "pay_min": source.pay_min,
            "pay_unit": source.pay_unit, "gender": source.gender, "known": source.facts_known,
            "limit": source.township_limit}


def profile_of(spec: dict) -> Profile:
    return Profile(kind="seeker", codes=dict(spec.get("codes") or {}),
                   place=Place(spec.get("village_id"), spec.get("township_id")), daily_pay=bool(spec.get("daily")),
                   age=spec.get("age"), certs=list(spec.get("certs") or []), pay_min=spec.get("pay_min"),
                   pay_unit=spec.get("pay_unit") or "", gender=spec.get("gender") or "",
                   facts_known=bool(spec.get("known", False)), township_limit=spec.get("limit"))


def remember(session: Session, *, channel: str, sender: str, source: Profile, shown: int, now: datetime) -> None:
    """Keep what was asked, so 更多 continues from `shown`."""
    row = session.scalar(select(MatchQuery).where(MatchQuery.channel == channel, MatchQuery.sender == sender))
    if row is None:
        row = MatchQuery(channel=channel, sender=sender)
        session.add(row)
    row.spec, row.shown, row.updated_at = spec_of(source), shown, now


def _search(session: Session, source: Profile, now: datetime, offset: int) -> list[Suggestion]:
    return rank(session, source=source, want="job", now=now, limit=PAGE + 1, offset=offset,
                need_occupation=bool(source.codes))


def _wanted(source: Profile) -> str:
    if source.codes:
        return "、".join(source.codes)
    return "日结" if source.daily_pay else ""


def answer(
    *, session: Session, channel: str, sender: str, text: str, fields: dict, home_node_id: int | None, now: datetime,
    budget: float | None = None,
) -> str:
    """The passive reply to a question: the first page, or 'searching' when it takes too long (the
    page then follows as a customer-service message)."""
    source = question_profile(session, text=text, fields=fields, home_node_id=home_node_id)
    engine = session.get_bind()
    late_channel = _LATE_CHANNELS.get(channel)
    if not isinstance(engine, Engine) or late_channel is None:  # no second connection / no way to answer later
        found = _search(session, source, now, 0)
        remember(session, channel=channel, sender=sender, source=source, shown=min(len(found), PAGE), now=now)
        return messages.query_answer(found[:PAGE], wanted=_wanted(source), has_more=len(found) > PAGE)

    def work() -> list[Suggestion]:
        with Session(engine) as own:
            return _search(own, source, now, 0)

    future = _POOL.submit(work)
    try:
        found = future.result(timeout=REPLY_BUDGET_SECONDS if budget is None else budget)
    except FutureTimeout:
        remember(session, channel=channel, sender=sender, source=source, shown=PAGE, now=now)
        future.add_done_callback(lambda done: _send_late(engine, late_channel, sender, source, _wanted(source), done, now))
        return messages.SEARCHING
    except SQLAlchemyError:
        log.exception("matching: the search for %s failed", sender)
        return messages.SEARCH_FAILED
    remember(session, channel=channel, sender=sender, source=source, shown=min(len(found), PAGE), now=now)
    return messages.query_answer(found[:PAGE], wanted=_wanted(source), has_more=len(found) > PAGE,
                                 can_subscribe=bool(source.codes) and channel == "mp")


def _send_late(engine: Engine, channel: str, sender: str, source: Profile, wanted: str,
               done: Future[list[Suggestion]], now: datetime) -> None:
    """The answer that missed the passive reply, as a customer-service message (its own transaction)."""
    try:
        try:
            found = done.result()
            content = messages.query_answer(found[:PAGE], wanted=wanted, has_more=len(found) > PAGE)
        except Exception:
            log.exception("matching: the search for %s failed", sender)
            content = messages.SEARCH_FAILED
        with Session(engine) as session, session.begin():
            outbox.to_person(session=session, purpose="reply", userid=sender, content=content, now=now, channel=channel,
                             key=f"match-late:{sender}:{uuid.uuid4().hex[:12]}")
    except Exception:  # a lost late answer must not go unnoticed, nor take the pool thread down
        log.exception("matching: the late answer for %s could not be queued", sender)


def more(*, session: Session, channel: str, sender: str, now: datetime) -> str:
    """更多: the next page of the last question (or of the jobs a seeker was sent)."""
    row = session.scalar(select(MatchQuery).where(MatchQuery.channel == channel, MatchQuery.sender == sender))
    if row is None or row.updated_at < now - PAGES_LAST:
        return messages.NO_QUESTION
    found = _search(session, profile_of(row.spec), now, row.shown)
    row.shown += min(len(found), PAGE)
    row.updated_at = now
    return messages.more_answer(found[:PAGE], has_more=len(found) > PAGE)


def note_ack_jobs(*, session: Session, fields: dict, text: str, home_node_id: int | None, now: datetime) -> str:
    """The open jobs shown under the ack of a seeker note ("" when none fit)."""
    from relay.matching import best_jobs_for_fields

    jobs = best_jobs_for_fields(session, fields=fields, text=text, node_id=home_node_id, limit=3, now=now)
    return "\n\n" + messages.seeker_note_jobs(jobs) if jobs else ""
