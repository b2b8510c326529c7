"""Submitting items: item, hops and deliveries written together (transactional outbox)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.db import session_scope
from relay import outbox, service
from relay.models import Delivery, Hop, Item
from tests.relay.conftest import MORNING
from tests.relay.support import JOB, JOB_ANYWHERE, POLICY, SEEKER, deliveries, targets, understood


def submit(db, rorg, kind, text, origin=None, **kw):
    origin = origin or (rorg.villages["a1"].id if kind == "seeker" else rorg.district.id)
    item = service.submit_item(session=db, kind=kind, origin_node_id=origin, author_ref="someone",
                               author_kind="staff", understanding=understood(text, "staff" if kind != "seeker" else "seeker"),
                               now=kw.pop("now", MORNING), **kw)
    db.commit()
    return item


def test_seeker_note_writes_a_pending_township_hop_and_a_card_to_the_steward(db, rorg):
    item = submit(db, rorg, "seeker", SEEKER)
    hop = db.scalar(select(Hop).where(Hop.item_id == item.id))
    assert (hop.tier, hop.status, hop.to_node_id) == ("township", "pending", rorg.town_a.id)
    assert hop.due_at == MORNING + timedelta(minutes=30)
    [card] = deliveries(db, purpose="card")
    assert (card.channel, card.target, card.payload["msgtype"]) == ("app", "steward_a", "template_card")
    body = card.payload["card"]
    assert body["task_id"] == hop.card_task_id and len(body["task_id"]) <= 128
    assert [b["key"] for b in body["button_list"]] == [f"approve:{hop.id}", f"reject:{hop.id}", f"edit:{hop.id}"]
    assert "13812345678" not in str(card.payload) and "王建国" not in str(card.payload)
    assert "13812345678" not in item.masked_text and "13812345678" not in hop.text
    assert deliveries(db, purpose="relay") == []  # nothing leaves before the steward decides


def test_job_is_posted_to_the_district_and_carded_in_every_township(db, rorg):
    item = submit(db, rorg, "job", JOB_ANYWHERE)
    assert targets(db) == ["chatdistrict"]
    assert targets(db, "card") == ["steward_a", "steward_b"]
    assert item.code == f"J{item.id}"


def test_job_targets_the_township_its_location_names(db, rorg):
    submit(db, rorg, "job", JOB)  # 地点雁鸣湖镇物流园
    assert targets(db, "card") == ["steward_b"]


def test_explicit_target_townships(db, rorg):
    submit(db, rorg, "job", JOB, target_township_ids=[rorg.town_a.id])
    assert targets(db, "card") == ["steward_a"]


def test_policy_goes_to_every_group_without_approval(db, rorg):
    submit(db, rorg, "policy", POLICY)
    assert targets(db) == sorted(["chat-a2", "chatdistrict", "chattowna", "chattownb", "cg-b1", "robot-a1"])
    assert deliveries(db, purpose="card") == []
    assert db.scalar(select(func.count()).select_from(Hop).where(Hop.status != "approved")) == 0


def test_township_without_approval_relays_at_once(db, rorg):
    rorg.town_a.overrides = {"requires_approval": False}
    db.commit()
    submit(db, rorg, "job", JOB_ANYWHERE)
    assert targets(db, "card") == ["steward_b"]
    assert targets(db) == sorted(["chatdistrict", "chattowna", "robot-a1", "chat-a2"])


def test_an_exception_mid_way_leaves_nothing(session_factory, rorg, monkeypatch):
    calls = {"n": 0}
    real = outbox.enqueue

    def failing(**kw):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("crash between two outbox rows")
        return real(**kw)

    monkeypatch.setattr(outbox, "enqueue", failing)
    with pytest.raises(RuntimeError), session_scope(session_factory) as session:
        service.submit_item(session=session, kind="job", origin_node_id=rorg.district.id, author_ref="x",
                            author_kind="staff", understanding=understood(JOB_ANYWHERE, "staff"), now=MORNING)
    with session_factory() as check:
        counts = [check.scalar(select(func.count()).select_from(t)) for t in (Item, Hop, Delivery)]
    assert calls["n"] == 2 and counts == [0, 0, 0]


def test_same_delivery_twice_is_one_row(db, rorg):
    item = submit(db, rorg, "seeker", SEEKER)
    first = outbox.to_person(session=db, purpose="notice", userid="u1", content="a", now=MORNING, item_id=item.id)
    again = outbox.to_person(session=db, purpose="notice", userid="u1", content="a", now=MORNING, item_id=item.id)
    db.commit()
    assert first is not None and again is None
    assert len(deliveries(db, purpose="notice")) == 1
