"""Fixtures for vetting tests: the relay test org, our server over real HTTP with an admin token,
and a phone that sends signed, encrypted callbacks to it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from sandbox import phone_payloads as payloads
from sandbox.phone import MP, WECOM, Phone, Receiver
from tests.app.conftest import make_server  # noqa: F401  (shared fixture)
from tests.relay.conftest import make_relay_org
from tests.support import callbacks as cb
from vetting.codes import with_check_digit

ADMIN_TOKEN = "vetting-admin-token"
GOOD_CODE = with_check_digit("91410122MA44ABCD1")
OTHER_CODE = with_check_digit("91410122MA45WXY12")


@pytest.fixture
def rorg(db):
    return make_relay_org(db)


@pytest.fixture
def server(make_server):  # noqa: F811
    with make_server(JOBMATRIX_ADMIN_TOKEN=ADMIN_TOKEN) as base:
        yield base


@pytest.fixture
def phone(server):
    p = Phone(
        wecom=Receiver(server + "/wecom/callback", cb.WECOM_TOKEN, cb.WECOM_AES, cb.CORP_ID),
        mp=Receiver(server + "/mp/callback", cb.MP_TOKEN, cb.MP_AES, cb.MP_APP_ID),
        corp_id=cb.CORP_ID, agent_id=cb.AGENT_ID,
    )
    yield p
    p.close()


def reply(result) -> str:
    assert result.ok, result.errors
    if not result.reply:
        return ""
    from bots.wire.envelope import parse_xml

    return parse_xml(result.reply).get("Content", "")


_CLICKS = itertools.count()


def click(phone: Phone, userid: str, task_id: str, key: str, code: str = "rc-1") -> str:
    """A template_card_event for a card our server sent (no emulator: we pick the ResponseCode).

    Events are deduped on FromUserName + CreateTime, so each click gets its own second."""
    created = int(datetime.now(UTC).timestamp()) - 100 + next(_CLICKS)
    plain = payloads.card_click(corp_id=cb.CORP_ID, agent_id=cb.AGENT_ID, userid=userid,
                                create_time=created, key=key, task_id=task_id,
                                card_type="button_interaction", response_code=code)
    return reply(phone._push(WECOM, plain))


def oa(phone: Phone, openid: str, text: str) -> str:
    return reply(phone.oa_text(openid, text))


def app(phone: Phone, userid: str, text: str) -> str:
    return reply(phone.app_text(userid, text))


def settle(session_factory) -> int:
    from relay.intake import start_queued_items

    return start_queued_items(session_factory=session_factory, now=datetime.now(UTC))


__all__ = ["ADMIN_TOKEN", "GOOD_CODE", "MP", "OTHER_CODE", "app", "click", "oa", "reply", "settle"]
