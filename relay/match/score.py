"""Points and reasons for one job and one seeker (the same for both directions and for queries).

Points are additive so a reason is exactly what earned (or cost) them. Weights were set by hand
against the labelled population in tests/data/matching (precision@5 in docs/matching.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from relay.match import occupations
from relay.match.places import nearness
from relay.match.profile import Profile

OCCUPATION_POINTS = {occupations.EXACT: 40, occupations.NARROWER: 32, occupations.BROADER: 28}
SKILL_ONLY = 0.85  # a seeker who can do the work but said they want something else
PLACE_POINTS = {"village": 20, "township": 12}
AGE_FITS = 8
CERT_ASKED, CERT_HELD = 12, 5
PAY_FITS = 8
DAILY_POINTS = 10
FRESH_POINTS, FRESH_DAYS = 8, 30

_CERT_PREFIX = re.compile(r"^(有|持|需|要|须|必须|需要|持有)")
_GENERIC_CERT = {"有证", "持证", "证", "带证", "证件"}


@dataclass(frozen=True)
class Scored:
    points: float
    reasons: tuple[str, ...]

    @property
    def reason_line(self) -> str:
        return " · ".join(self.reasons)


def _occupation(job: Profile, seeker: Profile) -> tuple[float, str] | None:
    best: tuple[float, str] | None = None
    for wanted in job.codes:
        for offered, source in seeker.codes.items():
            kind = occupations.relation(wanted, offered)
            if kind is None:
                continue
            points = OCCUPATION_POINTS[kind] * (SKILL_ONLY if source == "skill" else 1.0)
            label = {occupations.EXACT: f"{'想干' if source != 'skill' else '会'}{offered}",
                     occupations.NARROWER: f"{offered}对口", occupations.BROADER: f"招{wanted}"}[kind]
            if best is None or points > best[0]:
                best = (points, label)
    return best


def cert_name(cert: str, codes: dict[str, str]) -> str:
    """有证 -> 有叉车证 (from the occupation), 叉车证 -> 有叉车证."""
    bare = _CERT_PREFIX.sub("", cert)
    if cert in _GENERIC_CERT or bare in _GENERIC_CERT or not bare:
        first = next(iter(codes), "")
        bare = f"{occupations.short_name(first)}证" if first else "证"
    return f"有{bare}"


def within_limits(job: Profile, seeker: Profile) -> bool:
    """The job's and the seeker's hard limits, as people state them: the job's age range and 限男/限女,
    a certificate the job requires (须持…证), 日结 when the seeker asks for it, pay at least the
    seeker's expectation, and the only township a seeker accepts (只在白沙附近)."""
    if seeker.age is not None and not (job.age_min or 0) <= seeker.age <= (job.age_max or 200):
        return False
    if seeker.gender and job.gender_req in ("男", "女") and job.gender_req != seeker.gender:
        return False
    if job.cert_required and seeker.facts_known and not seeker.certs:
        return False
    if seeker.daily_pay and not job.daily_pay:
        return False
    offered = job.pay_max or job.pay_min
    if seeker.pay_min and offered and seeker.pay_unit == job.pay_unit and offered < seeker.pay_min:
        return False
    limit = seeker.township_limit
    return limit is None or job.place.township_id is None or job.place.township_id == limit


def score(job: Profile, seeker: Profile, now: datetime, *, newest: datetime | None = None, fresh_word: str = "发布",
          need_occupation: bool = True) -> Scored | None:
    """None when a hard limit fails or (`need_occupation`) no occupations are related; else points
    and reasons.

    `newest` is the creation time that counts for freshness (the candidate's: 今天发布 / 今天登记)."""
    if not within_limits(job, seeker):
        return None
    reasons: list[str] = []
    points = 0.0
    occupation = _occupation(job, seeker)
    if occupation is None and need_occupation:
        return None
    near = nearness(job.place, seeker.place)
    if near:
        points += PLACE_POINTS[near]
        reasons.append("同村" if near == "village" else "同镇")
    if seeker.certs:
        asked = bool(job.certs)
        points += CERT_ASKED if asked else CERT_HELD
        reasons.append(cert_name(seeker.certs[0], seeker.codes or job.codes))
    if seeker.age is not None and (job.age_min is not None or job.age_max is not None):
        points += AGE_FITS
        reasons.append("年龄符合")
    if occupation is not None:
        points += occupation[0]
        reasons.append(occupation[1])
    if seeker.experience_years:
        points += min(seeker.experience_years, 5)
        reasons.append(f"{seeker.experience_years}年经验")
    if seeker.pay_min and (job.pay_max or job.pay_min) and seeker.pay_unit == job.pay_unit:
        points += PAY_FITS
        reasons.append("工资合适")
    if seeker.daily_pay and job.daily_pay:
        points += DAILY_POINTS
        reasons.append("日结")
    if newest is not None:
        days = max((now - newest).total_seconds() / 86400, 0.0)
        points += FRESH_POINTS * max(0.0, 1 - days / FRESH_DAYS)
        if days < 1:
            reasons.append(f"今天{fresh_word}")
        elif days <= 3:
            reasons.append(f"3天内{fresh_word}")
    if not reasons:
        reasons.append("区内")
    return Scored(points, tuple(reasons))
