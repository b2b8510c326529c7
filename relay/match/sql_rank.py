"""The ranking of relay/match/score.py written as SQL, so the database returns only the page asked
for: hard limits in WHERE, points as an expression, best first. score.py stays the reference and
gives the reasons of the rows returned; tests/relay/test_match_sql_rank.py checks both agree.

Two bounded reads keep a common trade fast (bench/match.py: 21,000 seekers of one occupation took
70 ms to rank in full): the IN_TOWNSHIP newest candidates of the source's township (index on kind,
code, township, time) and the NEWEST_ELSEWHERE newest anywhere. The ranking is exact whenever the
occupation has fewer candidates than that; beyond, an older candidate can be missed.

Building the statement cost more than running it (6 ms), so a statement is built once per shape
(which limits and points apply, how many occupation codes) with bound parameters, and reused.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from app.db import UtcDateTime
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


class Shape(NamedTuple):
    """What decides the statement's text; the values go in as parameters."""

    want: str
    codes: int  # (code, source) pairs with points; 0: no occupation (日结的有吗)
    village: bool
    township: bool
    # want=seeker (a job's): 限男/限女, 须持证, 日结, pay stated, age range stated
    # want=job (a seeker's): age, gender, no certificate (known), 日结 asked, pay expected, one township only
    limits: tuple[bool, ...]
    # want=job: certificates held, experience (their points do not depend on the candidate)
    extras: tuple[bool, ...]


def shape_and_values(source: Profile, want: str, now: datetime, since: datetime,
                     table: dict[tuple[str, str], float]) -> tuple[Shape, dict[str, Any]]:
    values: dict[str, Any] = {"want": want, "since": since, "now": now.timestamp(),
                              "village": source.place.village_id, "township": source.place.township_id,
                              "codes": sorted({code for code, _ in table})}
    for i, ((code, src), value) in enumerate(table.items()):
        values |= {f"c{i}": code, f"s{i}": src, f"v{i}": value}
    if want == "seeker":
        job = source
        offered = job.pay_max or job.pay_min
        limits: tuple[bool, ...] = (job.gender_req in ("男", "女"), job.cert_required, job.daily_pay, bool(offered),
                  job.age_min is not None or job.age_max is not None)
        extras: tuple[bool, ...] = ()
        values |= {"age_lo": job.age_min or 0, "age_hi": job.age_max or 200, "gender_req": job.gender_req,
                   "offered": offered or 0, "pay_unit": job.pay_unit,
                   "cert_points": float(points.CERT_ASKED if job.certs else points.CERT_HELD)}
    else:
        seeker = source
        limits = (seeker.age is not None, bool(seeker.gender), seeker.facts_known and not seeker.certs,
                  seeker.daily_pay, bool(seeker.pay_min), seeker.township_limit is not None)
        extras = (bool(seeker.certs), bool(seeker.experience_years))
        values |= {"age": seeker.age, "gender": seeker.gender, "pay_min": seeker.pay_min or 0,
                   "pay_unit": seeker.pay_unit, "limit": seeker.township_limit,
                   "experience": float(min(seeker.experience_years or 0, 5))}
    shape = Shape(want, len(table), source.place.village_id is not None, source.place.township_id is not None,
                  limits, extras)
    return shape, values


def _num(value: float) -> ColumnElement[float]:
    return literal(float(value))


def _p(name: str, kind: Any = Integer) -> Any:
    return bindparam(name, type_=kind)


def _place(t: Any, shape: Shape) -> ColumnElement[float]:
    whens = []
    if shape.village:
        whens.append((t.village_id == _p("village"), _num(points.PLACE_POINTS["village"])))
    if shape.township:
        whens.append((t.township_id == _p("township"), _num(points.PLACE_POINTS["township"])))
    return case(*whens, else_=_num(0)) if whens else _num(0)


def _fresh(t: Any) -> ColumnElement[float]:
    age = _p("now", Float) - func.extract("epoch", t.created_at)
    window = points.FRESH_DAYS * DAY
    return case((age <= 0, _num(points.FRESH_POINTS)), (age >= window, _num(0)),
                else_=points.FRESH_POINTS * (1 - age / window))


def _seekers_for_job(t: Any, shape: Shape) -> tuple[list[ColumnElement[bool]], ColumnElement[float]]:
    gender, certificate, daily, paid, aged = shape.limits
    limits: list[ColumnElement[bool]] = [or_(t.age.is_(None), t.age.between(_p("age_lo"), _p("age_hi")))]
    limits.append(or_(t.township_limit.is_(None), t.township_limit == _p("township")) if shape.township else literal(True))
    if gender:
        limits.append(or_(t.gender == "", t.gender == _p("gender_req", String)))
    if certificate:
        limits.append(t.certs != "")
    if not daily:
        limits.append(t.daily_pay.is_(False))
    if paid:
        limits.append(or_(t.pay_min.is_(None), t.pay_unit != _p("pay_unit", String), t.pay_min <= _p("offered")))
    extra: ColumnElement[float] = case((t.certs != "", _p("cert_points", Float)), else_=_num(0))
    if aged:
        extra = extra + case((t.age.is_not(None), _num(points.AGE_FITS)), else_=_num(0))
    extra = extra + case((t.experience_years >= 5, _num(5)), (t.experience_years > 0, t.experience_years * 1.0),
                         else_=_num(0))
    if paid:
        extra = extra + case((and_(t.pay_min > 0, t.pay_unit == _p("pay_unit", String)), _num(points.PAY_FITS)),
                             else_=_num(0))
    if daily:
        extra = extra + case((t.daily_pay.is_(True), _num(points.DAILY_POINTS)), else_=_num(0))
    return limits, extra


def _jobs_for_seeker(t: Any, shape: Shape) -> tuple[list[ColumnElement[bool]], ColumnElement[float]]:
    aged, gendered, uncertified, daily, expects, one_township = shape.limits
    certified, experienced = shape.extras
    limits: list[ColumnElement[bool]] = []
    if aged:
        limits += [or_(t.age_min.is_(None), t.age_min <= _p("age")), or_(t.age_max.is_(None), t.age_max >= _p("age"))]
    if gendered:
        limits.append(or_(t.gender_req.not_in(("男", "女")), t.gender_req == _p("gender", String)))
    if uncertified:
        limits.append(t.cert_required.is_(False))
    if daily:
        limits.append(t.daily_pay.is_(True))
    if expects:
        offered = func.coalesce(func.nullif(t.pay_max, 0), t.pay_min)
        limits.append(or_(t.pay_unit != _p("pay_unit", String), offered.is_(None), offered >= _p("pay_min")))
    if one_township:
        limits.append(or_(t.township_id.is_(None), t.township_id == _p("limit")))
    extra: ColumnElement[float] = _num(0)
    if certified:
        extra = extra + case((t.certs != "", _num(points.CERT_ASKED)), else_=_num(points.CERT_HELD))
    if aged:
        extra = extra + case((or_(t.age_min.is_not(None), t.age_max.is_not(None)), _num(points.AGE_FITS)),
                             else_=_num(0))
    if experienced:
        extra = extra + _p("experience", Float)
    if expects:
        extra = extra + case((and_(t.pay_unit == _p("pay_unit", String), or_(t.pay_max > 0, t.pay_min > 0)),
                              _num(points.PAY_FITS)), else_=_num(0))
    if daily:
        extra = extra + _num(points.DAILY_POINTS)
    return limits, extra


@lru_cache(maxsize=256)
def statement(shape: Shape) -> Select:
    """The newest candidates anywhere and (when the source has one) those of its township, as one
    UNION ALL, scored and ordered best first (Core columns: ORM aliases cost more to build)."""
    rows: Any = (MatchOccupation if shape.codes else MatchProfile).__table__.c
    where = [rows.kind == _p("want", String), rows.created_at >= _p("since", UtcDateTime())]
    if shape.codes:
        where.append(rows.code.in_(bindparam("codes", expanding=True)))
    tiers = [select(*rows).where(*where).order_by(rows.created_at.desc()).limit(NEWEST_ELSEWHERE)]
    if shape.township:
        tiers.append(select(*rows).where(*where, rows.township_id == _p("township"))
                     .order_by(rows.created_at.desc()).limit(IN_TOWNSHIP))
    pool: Any = (union_all(*[tier.subquery().select() for tier in tiers]) if len(tiers) > 1 else tiers[0]).subquery().c
    limits, extra = _seekers_for_job(pool, shape) if shape.want == "seeker" else _jobs_for_seeker(pool, shape)
    total = _place(pool, shape) + extra + _fresh(pool)
    if shape.codes:
        total = case(*[(and_(pool.code == _p(f"c{i}", String), pool.source == _p(f"s{i}", String)), _p(f"v{i}", Float))
                       for i in range(shape.codes)], else_=_num(0)) + total
    return (select(pool.item_id, total.label("points"), pool.created_at).where(*limits)
            .order_by(total.desc(), pool.created_at.desc(), pool.item_id.desc()))


def ranked_ids(
    session: Session, *, source: Profile, want: str, now: datetime, since: datetime, limit: int, offset: int,
    need_occupation: bool, exclude: tuple[int, ...] = (),
) -> list[tuple[int, str]]:
    """(id, masked text) of the open `want` items for `source`, best first, the page [offset, offset + limit)."""
    table = occupation_points(source, want)
    if need_occupation and not table:
        return []
    shape, values = shape_and_values(source, want, now, since, table)
    read = statement(shape)
    wanted = 2 * (offset + limit + MARGIN)  # an item read by both tiers comes twice
    while True:
        best: dict[int, tuple[float, datetime]] = {}
        rows = session.execute(read.limit(wanted), values).all()
        for item_id, value, created in rows:
            if item_id not in exclude and (item_id not in best or best[item_id][0] < value):
                best[item_id] = (float(value), created)
        ordered = sorted(best, key=lambda i: (-best[i][0], -best[i][1].timestamp(), -i))
        texts = {row.id: row.masked_text for row in session.execute(
            select(Item.id, Item.masked_text).where(Item.id.in_(ordered), Item.status == "relaying"))}
        ranked = [(i, texts[i]) for i in ordered if i in texts]
        if len(ranked) >= offset + limit or len(rows) < wanted:
            return ranked[offset: offset + limit]
        wanted *= 4  # many closed items among the best: read further
