"""Matching quality on the hand-labelled invented population (tests/data/matching): at least 50
seekers and 50 jobs, precision@5 both ways through the real parser, profiles and ranking."""

from __future__ import annotations

from bench.match_quality import evaluate
from tests.data.matching.population import JOBS, RELEVANT, SEEKERS


def test_the_labels_cover_fifty_seekers_and_fifty_jobs():
    assert len(SEEKERS) >= 50 and set(RELEVANT) == set(SEEKERS)
    labelled_jobs = {job for jobs in RELEVANT.values() for job in jobs}
    assert labelled_jobs <= set(JOBS) and len(labelled_jobs) >= 50


def test_precision_at_five_both_ways(session_factory):
    report = evaluate(session_factory)
    assert len(report.seekers.precision) >= 50 and len(report.jobs.precision) >= 50
    # docs/matching.md reports the figures; a change to scoring that loses quality fails here
    assert report.seekers.p5 >= 0.95, report.seekers.misses
    assert report.jobs.p5 >= 0.95, report.jobs.misses
    assert report.seekers.h5 >= 0.95 and report.jobs.h5 >= 0.95
    # seekers labelled after the rules were set (0.917 when first run: 在白沙这块 is not read as
    # 白沙 only, 摘水果 is not in the vocabulary)
    assert len(report.held_out.precision) == 20 and report.held_out.p5 >= 0.85, report.held_out.misses
