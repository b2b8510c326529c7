"""Finding and ranking candidates: the database ranks by occupation code (the code, its broader and
narrower occupations), place, limits and freshness; each suggestion returned gets its reasons from
score.py (bench/match.py times it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from relay.match import occupations
from relay.match.models import FACT_COLUMNS, MatchOccupation, MatchProfile
from relay.match.profile import Profile, from_facts
from relay.match.score import score
from relay.match.sql_rank import ranked_ids
from templates_msg.contactless import without_phone_digits

# A job post older than this is probably filled even if nobody said so; a seeker note lasts longer.
OPEN_FOR = {"job": timedelta(days=30), "seeker": timedelta(days=90)}
CODES = {"job": "J", "seeker": "S"}


@dataclass(frozen=True)
class Suggestion:
    """One suggested job or seeker: its code (J12 / S7), points, reasons and the masked text
    (a seeker's without any phone digits)."""

    item_id: int
    code: str
    score: float
    reasons: tuple[str, ...]
    text: str

    @property
    def reason_line(self) -> str:
        """同镇 · 有叉车证 · 年龄符合"""
        return " · ".join(self.reasons)


def _profiles(session: Session, *, ids: list[int], codes: list[str]) -> dict[int, Profile]:
    """The stored profiles of `ids`, with those of their codes that are among `codes` (the facts are
    copied on every code row, so one read gives both)."""
    entity: Any = MatchOccupation if codes else MatchProfile
    columns = [getattr(entity, name) for name in ("item_id", *FACT_COLUMNS)]
    statement = select(*columns, *([entity.code, entity.source] if codes else [])).where(entity.item_id.in_(ids))
    if codes:
        statement = statement.where(entity.code.in_(codes)).order_by(entity.id)
    found: dict[int, Profile] = {}
    for row in session.execute(statement).mappings():
        profile = found.setdefault(row["item_id"], from_facts(row))
        if codes:
            profile.codes.setdefault(row["code"], row["source"])
    return found


def related_codes(codes: dict[str, str]) -> list[str]:
    return list(dict.fromkeys(c for code in codes for c in occupations.related(code)))


def rank(
    session: Session, *, source: Profile, want: str, now: datetime, limit: int = 5, offset: int = 0,
    exclude: tuple[int, ...] = (), need_occupation: bool = True,
) -> list[Suggestion]:
    """The best `want` (job | seeker) profiles for `source`, best first, page [offset, offset+limit).

    The database ranks and pages (relay/match/sql_rank.py); score.py gives each row its reasons."""
    page = ranked_ids(session, source=source, want=want, now=now, since=now - OPEN_FOR[want], limit=limit,
                      offset=offset, need_occupation=need_occupation, exclude=exclude)
    if not page:
        return []
    candidates = _profiles(session, ids=[item_id for item_id, _ in page], codes=related_codes(source.codes))
    out = []
    for item_id, text in page:
        candidate = candidates[item_id]
        job, seeker = (candidate, source) if want == "job" else (source, candidate)
        result = score(job, seeker, now, newest=candidate.created_at, fresh_word="发布" if want == "job" else "登记",
                       need_occupation=need_occupation)
        if result is None:  # cannot happen while sql_rank mirrors score.py; never show what score refuses
            continue
        out.append(Suggestion(item_id=item_id, code=f"{CODES[want]}{item_id}", score=round(result.points, 1),
                              reasons=result.reasons, text=without_phone_digits(text) if want == "seeker" else text))
    return out
