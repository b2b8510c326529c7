"""Finding and ranking candidates: an indexed lookup by occupation code (the code, its broader and
narrower occupations and siblings), then scoring in Python with reasons (bench/match.py times it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from relay.match import occupations
from relay.match.models import MatchOccupation, MatchProfile
from relay.match.places import Place
from relay.match.profile import Profile, without_phone_digits
from relay.match.score import score
from relay.models import Item

# A job post older than this is probably filled even if nobody said so; a seeker note lasts longer.
OPEN_FOR = {"job": timedelta(days=30), "seeker": timedelta(days=90)}
# Newest candidates looked at per search: bounds the time of the busiest occupation.
CANDIDATES = 1500
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


_COLUMNS = (MatchProfile.item_id, MatchProfile.village_id, MatchProfile.township_id, MatchProfile.age,
            MatchProfile.age_min, MatchProfile.age_max, MatchProfile.pay_min, MatchProfile.pay_max,
            MatchProfile.pay_unit, MatchProfile.gender, MatchProfile.gender_req, MatchProfile.certs,
            MatchProfile.experience_years, MatchProfile.daily_pay, MatchProfile.created_at,
            MatchProfile.cert_required, MatchProfile.township_limit)


def _candidates(session: Session, *, kind: str, codes: list[str], now: datetime, daily_only: bool) -> list[Profile]:
    """Open profiles of `kind` with one of `codes` (any open one when `codes` is empty)."""
    since = now - OPEN_FOR[kind]
    if codes:
        statement = (select(*_COLUMNS, MatchOccupation.code, MatchOccupation.source)
                     .join(MatchOccupation, MatchOccupation.item_id == MatchProfile.item_id)
                     .where(MatchOccupation.kind == kind, MatchOccupation.code.in_(codes),
                            MatchOccupation.created_at >= since)
                     .order_by(MatchOccupation.created_at.desc()))
    else:
        statement = (select(*_COLUMNS).where(MatchProfile.kind == kind, MatchProfile.created_at >= since)
                     .order_by(MatchProfile.created_at.desc()))
    if daily_only:
        statement = statement.where(MatchProfile.daily_pay.is_(True))
    statement = statement.join(Item, Item.id == MatchProfile.item_id).where(Item.status == "relaying")
    found: dict[int, Profile] = {}
    for row in session.execute(statement.limit(CANDIDATES)):
        profile = found.get(row[0])
        if profile is None:
            profile = found[row[0]] = Profile(
                kind=kind, codes={}, place=Place(row[1], row[2]), age=row[3], age_min=row[4], age_max=row[5],
                pay_min=row[6], pay_max=row[7], pay_unit=row[8], gender=row[9], gender_req=row[10],
                certs=[c for c in row[11].split("|") if c], experience_years=row[12], daily_pay=row[13],
                created_at=row[14], item_id=row[0], cert_required=row[15], township_limit=row[16],
            )
        if codes:
            profile.codes.setdefault(row[17], row[18])
    return list(found.values())


def related_codes(codes: dict[str, str]) -> list[str]:
    return list(dict.fromkeys(c for code in codes for c in occupations.related(code)))


def rank(
    session: Session, *, source: Profile, want: str, now: datetime, limit: int = 5, offset: int = 0,
    exclude: tuple[int, ...] = (), need_occupation: bool = True,
) -> list[Suggestion]:
    """The best `want` (job | seeker) profiles for `source`, best first, page [offset, offset+limit)."""
    codes = related_codes(source.codes)
    if need_occupation and not codes:
        return []
    daily_only = want == "job" and source.kind != "job" and source.daily_pay and not codes
    scored = []
    for candidate in _candidates(session, kind=want, codes=codes, now=now, daily_only=daily_only):
        if candidate.item_id in exclude:
            continue
        job, seeker = (candidate, source) if want == "job" else (source, candidate)
        result = score(job, seeker, now, newest=candidate.created_at, fresh_word="发布" if want == "job" else "登记",
                       need_occupation=need_occupation)
        if result is not None:
            scored.append((result, candidate))
    scored.sort(key=lambda pair: (-pair[0].points, -(pair[1].created_at or now).timestamp(), -(pair[1].item_id or 0)))
    page = scored[offset: offset + limit]
    texts = dict(session.execute(select(Item.id, Item.masked_text)
                                 .where(Item.id.in_([c.item_id for _, c in page]))).tuples().all()) if page else {}
    return [
        Suggestion(item_id=c.item_id or 0, code=f"{CODES[want]}{c.item_id}", score=round(r.points, 1), reasons=r.reasons,
                   text=without_phone_digits(texts.get(c.item_id or 0, "")) if want == "seeker" else texts.get(c.item_id or 0, ""))
        for r, c in page
    ]
