"""Matching quality on the invented, hand-labelled population of tests/data/matching/population.py:
precision@5 for every seeker (the jobs suggested to them) and every job (the seekers suggested to
its employer), through the real parser, profile store and ranking.

Run: .venv/bin/python bench/match_quality.py [--verbose]   (SQLite in memory, a few seconds)

precision@5   relevant suggestions / suggestions shown (at most 5; nothing shown counts 0)
hits@5        relevant suggestions / min(5, relevant ones that exist): what a perfect ranker gets 1.0 on
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from app.org.models import Node  # noqa: E402
from relay.match import profile  # noqa: E402
from relay.match.search import rank  # noqa: E402
from relay.models import Item  # noqa: E402
from templates_msg.understand import understand  # noqa: E402
from tests.data.matching.population import (  # noqa: E402
    HELD_OUT_RELEVANT,
    HELD_OUT_SEEKERS,
    JOBS,
    RELEVANT,
    SEEKERS,
    TOWNSHIPS,
    VILLAGES,
)

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


@dataclass
class Side:
    """One direction (jobs for seekers, or seekers for jobs): per-query figures."""

    precision: list[float] = field(default_factory=list)
    hits: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, query: str, shown: list[str], relevant: set[str]) -> None:
        good = [s for s in shown if s in relevant]
        self.precision.append(len(good) / len(shown) if shown else 0.0)
        self.hits.append(len(good) / min(5, len(relevant)) if relevant else float(not shown))
        wrong = [s for s in shown if s not in relevant]
        if wrong or len(good) < min(5, len(relevant)):
            self.misses.append(f"{query}: shown {shown}, relevant {sorted(relevant)}")

    @property
    def p5(self) -> float:
        return statistics.mean(self.precision)

    @property
    def h5(self) -> float:
        return statistics.mean(self.hits)


@dataclass
class Report:
    seekers: Side
    jobs: Side
    held_out: Side  # seekers written and labelled after the rules were set, run once


def load(session: Session) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The population as items (jobs relaying, seeker notes approved) with their profiles; the
    held-out seekers are stored too but never offered to jobs (their labels cover jobs -> them only
    from their side)."""
    district = Node(code="q", kind="district", name="评测区", overrides={})
    session.add(district)
    session.flush()
    towns = {code: Node(code=f"q-{code}", kind="township", name=name, parent_id=district.id, overrides={})
             for code, name in TOWNSHIPS.items()}
    session.add_all(towns.values())
    session.flush()
    villages = {code: Node(code=f"q-{code}", kind="village", name=name, parent_id=towns[code[:2]].id, overrides={})
                for code, name in VILLAGES.items()}
    session.add_all(villages.values())
    session.flush()
    created = NOW - timedelta(days=1)  # everyone equally fresh: freshness must not decide the labels
    jobs, seekers = {}, {}
    for key, text in JOBS.items():
        jobs[key] = _item(session, "job", text, district.id, f"emp_{key}", created)
    for key, (village, text) in SEEKERS.items():
        seekers[key] = _item(session, "seeker", text, villages[village].id, f"o_{key}", created)
    held_out = {key: _item(session, "seeker", text, villages[village].id, f"o_{key}", created, status="withdrawn")
                for key, (village, text) in HELD_OUT_SEEKERS.items()}
    return jobs, seekers, held_out


def _item(session: Session, kind: str, text: str, node_id: int, author: str, created: datetime,
          status: str = "relaying") -> int:
    understood = understand(text, author_role="employer" if kind == "job" else "seeker")
    # the main population is written so the parser reads it whole; held-out notes are as people write
    assert understood.kind == kind and (understood.complete or status != "relaying"), (text, understood.missing)
    item = Item(kind=kind, status=status, origin_node_id=node_id, author_ref=author, author_kind="resident",
                masked_text=understood.masked, title=understood.fields.get("title"),
                fields_json=json.dumps(understood.fields, ensure_ascii=False, default=str), created_at=created)
    session.add(item)
    session.flush()
    profile.store(session, item)
    return item.id


def evaluate(session_factory: sessionmaker[Session]) -> Report:
    with session_factory() as session:
        jobs, seekers, held_out = load(session)
        session.commit()
        job_key = {v: k for k, v in jobs.items()}
        seeker_key = {v: k for k, v in seekers.items()}
        wanted_by = {job: {s for s, rel in RELEVANT.items() if job in rel} for job in JOBS}
        report = Report(Side(), Side(), Side())
        for side, population, labels in ((report.seekers, seekers, RELEVANT), (report.held_out, held_out, HELD_OUT_RELEVANT)):
            for key, item_id in population.items():
                shown = rank(session, source=profile.build(session, session.get(Item, item_id)), want="job", now=NOW)
                side.add(key, [job_key[s.item_id] for s in shown], set(labels[key]))
        for key, item_id in jobs.items():
            if not wanted_by[key]:
                continue
            shown = rank(session, source=profile.build(session, session.get(Item, item_id)), want="seeker", now=NOW)
            report.jobs.add(key, [seeker_key[s.item_id] for s in shown], wanted_by[key])
        return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every query with a wrong or missing suggestion")
    args = parser.parse_args()
    from cryptography.fernet import Fernet
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    import app.models  # noqa: F401  (every table on the metadata)
    from app.db import Base
    from app.privacy import DataCipher, install_cipher

    install_cipher(DataCipher([Fernet.generate_key().decode()]))  # a throwaway key: nothing is kept
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    Base.metadata.create_all(engine)
    report = evaluate(sessionmaker(bind=engine, expire_on_commit=False))
    print(f"{'direction':<28}{'queries':>8}{'precision@5':>13}{'hits@5':>9}")
    for name, side in (("jobs suggested to seekers", report.seekers), ("seekers suggested to jobs", report.jobs),
                       ("held-out seekers", report.held_out)):
        print(f"{name:<28}{len(side.precision):>8}{side.p5:>13.3f}{side.h5:>9.3f}")
    if args.verbose:
        for line in report.seekers.misses + report.jobs.misses + report.held_out.misses:
            print(" ", line)


if __name__ == "__main__":
    main()
