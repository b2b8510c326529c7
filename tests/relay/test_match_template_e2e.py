"""Subscribed jobs outside the 48-hour window go as Official Account template messages when
MP_JOB_TEMPLATE_ID is set (docs/matching.md), end to end over real HTTP with the emulator and one
manual clock (the `world` of test_match_e2e): never in quiet hours, within the same daily limit,
and a template the account does not have fails the row with its errcode instead of vanishing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from relay.match.job_template import KEYWORDS
from relay.match.models import MatchPush
from relay.models import Delivery
from tests.relay import test_match_e2e as e2e

world = e2e.world  # the shared end-to-end fixture
RESIDENT, CLEANING = e2e.RESIDENT, e2e.CLEANING
TEMPLATE = "tmpl_job_push_01"


@pytest.fixture
def templated(world, monkeypatch):
    """The Official Account has the job template and this deployment is configured to use it."""
    world.emulator.state.config.mp_templates[TEMPLATE] = list(KEYWORDS)
    monkeypatch.setenv("MP_JOB_TEMPLATE_ID", TEMPLATE)
    return world


def templates_to(world, openid: str) -> list[dict]:
    return [e["message"] for e in world.emulator.state.received(f"openid:{openid}") if e["msgtype"] == "template"]


def statuses(db) -> list[str]:
    return sorted(db.scalars(select(MatchPush.status)).all())


def test_a_closed_window_brings_the_job_by_template_message_within_the_daily_limit(templated, db):
    world = templated
    assert "岗位摘要会以服务通知的形式送达" in world.resident("订阅 保洁")
    world.advance(timedelta(hours=49))  # 11:00 two days later: the resident has been silent for 49 h
    codes = [world.post_job(CLEANING[0].format(i)) for i in range(4)]
    world.dispatch()
    sent = templates_to(world, RESIDENT)
    assert [m["data"]["character_string1"]["value"] for m in sent] == codes[:3]  # at most 3 a day, in order
    first = sent[0]
    assert first["template_id"] == TEMPLATE and first["touser"] == RESIDENT
    assert first["data"]["thing2"]["value"].startswith("招保洁员2名") and "同镇" in first["data"]["thing3"]["value"]
    assert not any("订阅推送" in t for t in world.texts_to(RESIDENT))  # no customer-service message tried
    assert statuses(db) == ["daily_limit", "template", "template", "template"]
    rows = db.scalars(select(Delivery).where(Delivery.channel == "mp_template")).all()
    assert [r.status for r in rows] == ["sent"] * 3 and all(r.msgid for r in rows)


def test_inside_the_window_it_is_still_a_customer_service_message(templated, db):
    world = templated
    world.resident("订阅 保洁")
    code = world.post_job(CLEANING[0].format(1))
    world.dispatch()
    assert templates_to(world, RESIDENT) == []
    assert any(code in t and "订阅推送" in t for t in world.texts_to(RESIDENT))
    assert statuses(db) == ["queued"]


def test_without_a_configured_template_it_stays_no_window_and_nothing_is_sent(world, db, monkeypatch):
    monkeypatch.delenv("MP_JOB_TEMPLATE_ID", raising=False)
    world.emulator.state.config.mp_templates[TEMPLATE] = list(KEYWORDS)  # the account has it, we do not use it
    assert "48小时内给我们发过消息，我们才能推送" in world.resident("订阅 保洁")
    world.advance(timedelta(hours=49))
    code = world.post_job(CLEANING[0].format(2))
    world.dispatch()
    assert templates_to(world, RESIDENT) == [] and not any(code in t for t in world.texts_to(RESIDENT))
    assert statuses(db) == ["no_window"]
    assert db.scalars(select(Delivery).where(Delivery.purpose == "subscription")).all() == []


def test_quiet_hours_hold_the_template_message_to_the_next_opening(templated, db):
    world = templated
    world.resident("订阅 保洁")
    world.advance(timedelta(hours=60))  # 22:00 two days later in 甲一村: quiet hours, window closed
    code = world.post_job(CLEANING[0].format(3))
    world.dispatch()
    assert templates_to(world, RESIDENT) == []
    [push] = db.scalars(select(MatchPush)).all()
    assert push.status == "template" and push.send_at is not None
    world.advance(timedelta(hours=9, minutes=31))  # 07:31 next morning
    world.dispatch()
    assert [m["data"]["character_string1"]["value"] for m in templates_to(world, RESIDENT)] == [code]


def test_a_template_the_account_does_not_have_fails_the_row_with_40037(world, db, monkeypatch):
    monkeypatch.setenv("MP_JOB_TEMPLATE_ID", "tmpl_never_added")
    world.resident("订阅 保洁")
    world.advance(timedelta(hours=49))
    world.post_job(CLEANING[0].format(4))
    world.dispatch()
    assert templates_to(world, RESIDENT) == []
    [row] = db.scalars(select(Delivery).where(Delivery.channel == "mp_template")).all()
    assert row.status == "failed" and row.last_errcode == 40037 and row.attempts == 1  # permanent: not retried
    assert statuses(db) == ["template"]
