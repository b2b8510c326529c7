"""The admin API with and without the token, decisions, and the audit log as JSON and CSV."""

from __future__ import annotations

import csv
import io

import httpx
from sqlalchemy import text

from tests.vetting.admin_support import AUTH, BODY
from tests.vetting.conftest import GOOD_CODE


def test_token_is_required(server, rorg):
    assert httpx.get(f"{server}/api/enterprises").status_code == 401
    assert httpx.get(f"{server}/api/enterprises", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert httpx.post(f"{server}/api/enterprises", json=BODY).status_code == 401


def test_not_configured_is_503(make_server, rorg):
    with make_server(JOBMATRIX_ADMIN_TOKEN="") as base:
        assert httpx.get(f"{base}/api/enterprises", headers=AUTH).status_code == 503


def test_create_decide_and_export_the_audit(server, rorg, db):
    bad = httpx.post(f"{server}/api/enterprises", json={**BODY, "credit_code": GOOD_CODE[:17] + "0"}, headers=AUTH)
    assert bad.status_code == 422 and "校验码" in bad.json()["detail"]["reason"]
    created = httpx.post(f"{server}/api/enterprises", json=BODY, headers=AUTH)
    assert created.status_code == 201 and created.json()["status"] == "licence_review"
    eid = created.json()["id"]
    assert httpx.post(f"{server}/api/enterprises", json=BODY, headers=AUTH).status_code == 422  # duplicate
    decide = f"{server}/api/enterprises/{eid}/decisions"
    assert httpx.post(decide, json={"action": "reject"}, headers=AUTH).status_code == 422  # a reason is required
    assert httpx.post(decide, json={"action": "approve"}, headers=AUTH).json()["status"] == "qualification_review"
    assert httpx.post(decide, json={"action": "approve"}, headers=AUTH).json()["status"] == "certified"
    assert httpx.post(decide, json={"action": "approve"}, headers=AUTH).status_code == 422
    assert httpx.get(f"{server}/api/enterprises/{eid}", headers=AUTH).json()["status"] == "certified"
    assert [e["code"] for e in httpx.get(f"{server}/api/enterprises?status=certified", headers=AUTH).json()] == ["E" + str(eid)]
    events = httpx.get(f"{server}/api/audit?enterprise_id={eid}", headers=AUTH).json()
    assert [e["action"] for e in events] == ["applied", "approve:licence_review", "approve:qualification_review", "certified"]
    exported = httpx.get(f"{server}/api/audit.csv", headers=AUTH)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["action"] for r in rows] == [e["action"] for e in events] and rows[0]["actor"] == "token:admin"
    assert httpx.get(f"{server}/api/audit.csv").status_code == 401


def test_audit_log_refuses_updates(rorg, db):
    from datetime import UTC, datetime

    from vetting import audit

    audit.record(session=db, actor="x", action="test", now=datetime.now(UTC))
    db.commit()
    try:
        db.execute(text("UPDATE vetting_audit SET actor = 'y'"))
        db.commit()
        raise AssertionError("the update went through")
    except Exception as exc:  # the database trigger refuses it
        db.rollback()
        assert "append-only" in str(exc)
