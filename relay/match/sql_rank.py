"""The ranking of relay/match/score.py written as SQL, so the database returns only the page asked
for: hard limits in WHERE, points as an expression, best first. score.py stays the reference and
gives the reasons of the rows returned; tests/relay/test_match_sql_rank.py checks both agree.

Two bounded reads keep a common trade fast (bench/match.py: 21,000 seekers of one occupation took
70 ms to rank in full): the IN_TOWNSHIP newest candidates of the source's township (index on kind,
code, township, time) and the NEWEST_ELSEWHERE newest anywhere. The ranking is exact whenever the
occupation has fewer candidates than that; beyond, an older candidate can be missed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from relay.match import occupations
from relay.match import score as points
from relay.match.models import MatchOccupation, MatchProfile
from relay.match.profile import Profile
from relay.models import Item

DAY = 86400.0
NEWEST_ELSEWHERE = 2000
IN_TOWNSHIP = 5000
# Extra rows read past the page: an item listed under two related codes, or closed since.
MARGIN = 5


def occupation_points(source: Profile, want: str) -> dict[tuple[str, str], float]:
    """(candidate code, candidate source) -> the best occupation points against the source's codes."""
    out: dict[tuple[str, str], float] = {}
    for code in dict.fromkeys(c for s in source.codes for c in occupations.related(s)):
        for cand_source in (("intent", "skill") if want == "seeker" else ("title",)):
            best = 0.0
            for own, own_source in source.codes.items():
                wanted, offered = (own, code) if want == "seeker" else (code, own)
                kind = occupations.relation(wanted, offered)
                if kind is None:
                    continue
                skill = cand_source if want == "seeker" else own_source
                best = max(best, points.OCCUPATION_POINTS[kind] * (points.SKILL_ONLY if skill == "skill" else 1.0))
            if best:
                out[(code, cand_source)] = best
    return out


def _num(value: float) -> ColumnElement[float]:
    return literal(float(value))


def _place(t: Any, source: Profile) -> ColumnElement[float]:
    whens = []
    if source.place.village_id is not None:
        whens.append((t.village_id == source.place.village_id, _num(points.PLACE_POINTS["village"])))
    if source.place.township_id is not None:
        whens.append((t.township_id == source.place.township_id, _num(points.PLACE_POINTS["township"])))
    return case(*whens, else_=_num(0)) if whens else _num(0)


def _fresh(t: Any, now: datetime) -> ColumnElement[float]:
    age = literal(now.timestamp()) - func.extract("epoch", t.created_at)
    window = points.FRESH_DAYS * DAY
    return case((age <= 0, _num(points.FRESH_POINTS)), (age >= window, _num(0)),
                else_=points.FRESH_POINTS * (1 - age / window))


def _seekers_for_job(t: Any, job: Profile) -> tuple[list[ColumnElement[bool]], ColumnElement[float]]:
    limits: list[ColumnElement[bool]] = [
        or_(t.age.is_(None), t.age.between(job.age_min or 0, job.age_max or 200)),
        or_(t.township_limit.is_(None), literal(job.place.township_id is None), t.township_limit == job.place.township_id),
    ]
    if job.gender_req in ("男", "女"):
        limits.append(or_(t.gender == "", t.gender == job.gender_req))
    if job.cert_required:
        limits.append(t.certs != "")
    if not job.daily_pay:
        limits.append(t.daily_pay.is_(False))
    offered = job.pay_max or job.pay_min
    if offered:
        limits.append(or_(t.pay_min.is_(None), t.pay_unit != job.pay_unit, t.pay_min <= offered))
    extra: ColumnElement[float] = case((t.certs != "", _num(points.CERT_ASKED if job.certs else points.CERT_HELD)),
                                       else_=_num(0))
    if job.age_min is not None or job.age_max is not None:
        extra = extra + case((t.age.is_not(None), _num(points.AGE_FITS)), else_=_num(0))
    extra = extra + case((t.experience_years >= 5, _num(5)), (t.experience_years > 0, t.experience_years * 1.0),
                         else_=_num(0))
    if offered:
        extra = extra + case((and_(t.pay_min > 0, t.pay_unit == job.pay_unit), _num(points.PAY_FITS)), else_=_num(0))
    if job.daily_pay:
        extra = extra + case((t.daily_pay.is_(True), _num(points.DAILY_POINTS)), else_=_num(0))
    return limits, extra


def _jobs_for_seeker(t: Any, seeker: Profile) -> tuple[list[ColumnElement[bool]], ColumnElement[float]]:
    limits: list[ColumnElement[bool]] = []
    if seeker.age is not None:
        limits += [or_(t.age_min.is_(None), t.age_min <= seeker.age), or_(t.age_max.is_(None), t.age_max >= seeker.age)]
    if seeker.gender:
        limits.append(or_(t.gender_req.not_in(("男", "女")), t.gender_req == seeker.gender))
    if seeker.facts_known and not seeker.certs:
        limits.append(t.cert_required.is_(False))
    if seeker.daily_pay:
        limits.append(t.daily_pay.is_(True))
    if seeker.pay_min:
        offered = func.coalesce(func.nullif(t.pay_max, 0), t.pay_min)
        limits.append(or_(t.pay_unit != seeker.pay_unit, offered.is_(None), offered >= seeker.pay_min))
    if seeker.township_limit is not None:
        limits.append(or_(t.township_id.is_(None), t.township_id == seeker.township_limit))
    extra: ColumnElement[float] = _num(0)
    if seeker.certs:
        extra = extra + case((t.certs != "", _num(points.CERT_ASKED)), else_=_num(points.CERT_HELD))
    if seeker.age is not None:
        extra = extra + case((or_(t.age_min.is_not(None), t.age_max.is_not(None)), _num(points.AGE_FITS)), else_=_num(0))
    if seeker.experience_years:
        extra = extra + _num(min(seeker.experience_years, 5))
    if seeker.pay_min:
        extra = extra + case((and_(t.pay_unit == seeker.pay_unit, or_(t.pay_max > 0, t.pay_min > 0)), _num(points.PAY_FITS)),
                             else_=_num(0))
    if seeker.daily_pay:
        extra = extra + _num(points.DAILY_POINTS)
    return limits, extra


def _base(t: Any, want: str, since: datetime, table: dict[tuple[str, str], float]) -> list[ColumnElement[bool]]:
    where = [t.kind == want, t.created_at >= since]
    if table:
        where.append(t.code.in_({code for code, _ in table}))
    return where


def _scored(t: Any, source: Profile, want: str, now: datetime, table: dict[tuple[str, str], float]) -> Select:
    """The rows of `t` (a bounded read of candidates) within the limits, best first, with their points."""
    limits, extra = _seekers_for_job(t, source) if want == "seeker" else _jobs_for_seeker(t, source)
    total = _place(t, source) + extra + _fresh(t, now)
    if table:
        total = case(*[(and_(t.code == code, t.source == src), _num(value)) for (code, src), value in table.items()],
                     else_=_num(0)) + total
    return (select(t.item_id, total.label("points"), t.created_at).where(*limits)
            .order_by(total.desc(), t.created_at.desc(), t.item_id.desc()))


def _read(source: Profile, want: str, now: datetime, since: datetime, table: dict[tuple[str, str], float]) -> Select:
    """The newest candidates anywhere and (when the source has one) those of its township, as one
    UNION ALL scored once. Core columns throughout: building the expressions on ORM aliases cost
    more than running them."""
    rows: Any = (MatchOccupation if table else MatchProfile).__table__.c
    where = _base(rows, want, since, table)
    tiers = [select(*rows).where(*where).order_by(rows.created_at.desc()).limit(NEWEST_ELSEWHERE)]
    if source.place.township_id is not None:
        tiers.append(select(*rows).where(*where, rows.township_id == source.place.township_id)
                     .order_by(rows.created_at.desc()).limit(IN_TOWNSHIP))
    pool = union_all(*[tier.subquery().select() for tier in tiers]) if len(tiers) > 1 else tiers[0]
    return _scored(pool.subquery().c, source, want, now, table)


def ranked_ids(
    session: Session, *, source: Profile, want: str, now: datetime, since: datetime, limit: int, offset: int,
    need_occupation: bool, exclude: tuple[int, ...] = (),
) -> list[tuple[int, str]]:
    """(id, masked text) of the open `want` items for `source`, best first, the page [offset, offset + limit)."""
    table = occupation_points(source, want)
    if need_occupation and not table:
        return []
    read = _read(source, want, now, since, table)
    wanted = 2 * (offset + limit + MARGIN)  # an item read by both tiers comes twice
    while True:
        best: dict[int, tuple[float, datetime]] = {}
        rows = session.execute(read.limit(wanted)).all()
        full = len(rows) == wanted
        for item_id, value, created in rows:
            if item_id not in exclude and (item_id not in best or best[item_id][0] < value):
                best[item_id] = (float(value), created)
        ordered = sorted(best, key=lambda i: (-best[i][0], -best[i][1].timestamp(), -i))
        texts = dict(session.execute(select(Item.id, Item.masked_text)
                                     .where(Item.id.in_(ordered), Item.status == "relaying")).tuples().all())
        ranked = [(i, texts[i]) for i in ordered if i in texts]
        if len(ranked) >= offset + limit or not full:
            return ranked[offset: offset + limit]
        wanted *= 4  # many closed items among the best: read further
