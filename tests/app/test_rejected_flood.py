"""A flood of forged callbacks (issue 11, item 11): the detail rows and the log are capped, the
counts stay exact, 413s are counted, and the dashboard reports the true number.

Before the fix every rejection added a row and a log line (no bound), and a 413 was not counted.
"""

from __future__ import annotations

import logging

import httpx
from sqlalchemy import func, select

from app.inbound.models import RejectedCallback
from tests.support import callbacks as cb

TOKEN = "flood-admin-token"
CAP = 5


def forged(base: str, n: int) -> None:
    for i in range(n):
        params, body = cb.sealed_wecom(cb.text_xml("head01", "x", 9300 + i))
        response = httpx.post(f"{base}/wecom/callback", params={**params, "msg_signature": "0" * 40}, content=body)
        assert response.status_code == 403


def oversized(base: str, n: int) -> None:
    params, _ = cb.sealed_wecom(cb.text_xml("head01", "x", 9399))
    for _ in range(n):
        response = httpx.post(f"{base}/mp/callback", params=params, content=b"<xml>" + b"a" * 100_000 + b"</xml>")
        assert response.status_code == 413


def dashboard_rejections(base: str) -> dict[tuple[str, int], int]:
    metrics = httpx.get(f"{base}/api/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    return {(row["channel"], row["code"]): row["count"] for row in metrics["rejected_callbacks"]}


def test_a_flood_keeps_a_sample_and_counts_every_rejection(make_server, db, caplog):
    caplog.set_level(logging.WARNING, logger="jobmatrix.inbound")
    with make_server(JOBMATRIX_ADMIN_TOKEN=TOKEN, JOBMATRIX_REJECTED_SAMPLE_PER_HOUR=CAP) as base:
        forged(base, 40)
        oversized(base, 3)
        figures = dashboard_rejections(base)
    stored = db.scalar(select(func.count()).where(RejectedCallback.channel == "wecom"))
    assert stored == CAP
    assert figures[("wecom", -40001)] == 40
    assert sum(n for (channel, _), n in figures.items() if channel == "mp") == 3
    lines = [r for r in caplog.records if r.name == "jobmatrix.inbound" and "rejected" in r.getMessage()]
    assert len(lines) <= CAP + 3 + 2  # the wecom sample, the 413s, one "now counting only" note each


def test_below_the_cap_every_rejection_keeps_its_reason(make_server, db):
    with make_server(JOBMATRIX_ADMIN_TOKEN=TOKEN, JOBMATRIX_REJECTED_SAMPLE_PER_HOUR=CAP) as base:
        forged(base, 2)
        assert dashboard_rejections(base)[("wecom", -40001)] == 2
    reasons = db.scalars(select(RejectedCallback.reason)).all()
    assert len(reasons) == 2 and all("msg_signature" in r for r in reasons)
