"""The SQL ranking (relay/match/sql_rank.py) orders exactly as the reference scorer (score.py) does,
checked on every seeker and job of the labelled population and on questions, on the test database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bench.match_quality import NOW, load
from relay.match import profile
from relay.match.models import MatchProfile
from relay.match.places import Place
from relay.match.profile import Profile
from relay.match.score import score
from relay.match.search import _profiles, rank, related_codes
from relay.models import Item


def reference(session, source: Profile, want: str, now: datetime, *, need_occupation: bool = True) -> list[int]:
    """Every open candidate scored in Python, best first (what sql_rank must reproduce)."""
    ids = list(session.scalars(select(MatchProfile.item_id).join(Item, Item.id == MatchProfile.item_id)
                               .where(MatchProfile.kind == want, Item.status == "relaying")))
    candidates = _profiles(session, ids=ids, codes=related_codes(source.codes))
    scored = []
    for item_id, candidate in candidates.items():
        if need_occupation and not candidate.codes:
            continue
        job, seeker = (candidate, source) if want == "job" else (source, candidate)
        result = score(job, seeker, now, newest=candidate.created_at, need_occupation=need_occupation)
        if result is not None:
            scored.append((-round(result.points, 6), -candidate.created_at.timestamp(), -item_id, item_id))
    return [entry[-1] for entry in sorted(scored)[:5]]


def test_sql_ranking_equals_the_reference_scorer(session_factory):
    with session_factory() as session:
        jobs, seekers, held_out = load(session)
        session.commit()
        checked = 0
        for want, population in (("job", {**seekers, **held_out}), ("seeker", jobs)):
            for item_id in population.values():
                source = profile.build(session, session.get(Item, item_id))
                got = [s.item_id for s in rank(session, source=source, want=want, now=NOW)]
                assert got == reference(session, source, want, NOW), (want, item_id)
                checked += 1
        assert checked == len(jobs) + len(seekers) + len(held_out)


def test_questions_rank_as_the_reference_does(session_factory):
    with session_factory() as session:
        load(session)
        session.commit()
        village = session.scalar(select(MatchProfile.village_id).where(MatchProfile.kind == "seeker"))
        township = session.scalar(select(MatchProfile.township_id).where(MatchProfile.village_id == village))
        for codes, daily in (({"保洁员": "intent"}, False), ({"焊工": "intent"}, False), ({}, True)):
            question = Profile(kind="seeker", codes=codes, place=Place(village, township), daily_pay=daily,
                               facts_known=False)
            got = [s.item_id for s in rank(session, source=question, want="job", now=NOW, need_occupation=bool(codes))]
            assert got and got == reference(session, question, "job", NOW, need_occupation=bool(codes))
