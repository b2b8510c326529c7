"""Officers' decisions on one review end with one decision (issue 11, item 3, for vetting):
a second officer's click on a card of a review that is already decided changes nothing — it
must not approve the next review — and two clicks at once (PostgreSQL, two connections) move
the enterprise one step."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.org.actors import Actor
from tests.vetting.test_other_reviewers_cards import _enterprise_with_two_officers, _send_cards
from vetting import flows
from vetting.models import AuditEvent, Enterprise, VettingCard

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def _click(session, userid: str, code: str) -> str:
    card = session.scalar(select(VettingCard).where(VettingCard.userid == userid, VettingCard.stage == "licence"))
    return flows.card_click(session=session, actor=Actor.staff(userid), event_key=f"vapprove:{code}", task_id=card.task_id,
                            response_code=f"click-{userid}", now=NOW)


def test_a_stale_licence_card_does_not_approve_the_qualification_review(db, rorg):
    enterprise = _enterprise_with_two_officers(db, rorg)
    _send_cards(db)
    assert _click(db, "officer01", enterprise.code).startswith("已通过")
    db.commit()
    second = _click(db, "officer02", enterprise.code)
    db.commit()
    db.expire_all()
    assert db.get(Enterprise, enterprise.id).status == "qualification_review"
    assert "已由" in second and "处理" in second


def test_two_clicks_at_once_move_one_step(session_factory, db, rorg, engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) exist on PostgreSQL only; SQLite serialises writers")
    enterprise = _enterprise_with_two_officers(db, rorg)
    _send_cards(db)
    loaded = threading.Barrier(2)
    errors: list[BaseException] = []

    def officer(userid: str) -> None:
        try:
            with session_factory() as s:
                assert s.get(Enterprise, enterprise.id).status == "licence_review"
                loaded.wait(timeout=10)
                _click(s, userid, enterprise.code)
                s.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=officer, args=(u,)) for u in ("officer01", "officer02")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    db.expire_all()
    assert db.get(Enterprise, enterprise.id).status == "qualification_review"
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "approve:licence_review")) == 1
