"""Hostile callbacks (issue 11, item 10): each answers a 4xx and stores nothing but the rejection.

Every case was a 500 (or, on PostgreSQL, a list stored as '{…}') before the fix. They run on
SQLite and, with JOBMATRIX_TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import json
import secrets
import time

import httpx
import pytest
from sqlalchemy import func, select

from app.db import Base
from bots.wire.crypto import sign
from tests.support import callbacks as cb

# The rejection log is allowed (and expected) to grow; nothing else may.
REJECTION_TABLES = {"rejected_callbacks", "rejected_callback_counts"}


def snapshot(db) -> dict[str, int]:
    db.expire_all()
    return {
        table.name: db.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
        if table.name not in REJECTION_TABLES
    }


def now_ts() -> str:
    return str(int(time.time()))


def wecom_post(base: str, plaintext: str, *, json_envelope: bool = False, **params) -> httpx.Response:
    ts, nonce = now_ts(), str(secrets.randbelow(10**9))
    sealed = cb.wecom.encrypt(plaintext, timestamp=ts, nonce=nonce)
    query = {"msg_signature": sealed.signature, "timestamp": ts, "nonce": nonce, **params}
    body = json.dumps({"encrypt": sealed.encrypt}) if json_envelope else f"<xml><Encrypt>{sealed.encrypt}</Encrypt></xml>"
    return httpx.post(f"{base}/wecom/callback", params=query, content=body)


def aibot_post(base: str, payload: object) -> httpx.Response:
    ts, nonce = now_ts(), str(secrets.randbelow(10**9))
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    sealed = cb.aibot.encrypt(text, timestamp=ts, nonce=nonce)
    query = {"msg_signature": sealed.signature, "timestamp": ts, "nonce": nonce}
    return httpx.post(f"{base}/aibot/callback", params=query, content=json.dumps({"encrypt": sealed.encrypt}))


def signed_envelope(base: str, path: str, envelope: str, crypto=cb.wecom) -> httpx.Response:
    """A JSON envelope whose `encrypt` is whatever the attacker likes, signed over its text."""
    ts, nonce = now_ts(), "7"
    value = json.loads(envelope).get("encrypt")
    signature = sign(crypto.token, ts, nonce, value if isinstance(value, str) else json.dumps(value))
    return httpx.post(f"{base}{path}", params={"msg_signature": signature, "timestamp": ts, "nonce": nonce},
                      content=envelope)


def mp_plain(base: str, body: bytes, **overrides) -> httpx.Response:
    ts, nonce = now_ts(), "99"
    params = {"signature": sign(cb.MP_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": "o_hostile", **overrides}
    return httpx.post(f"{base}/mp/callback", params=params, content=body)


AIBOT_OK = {"msgid": "CAIQ_hostile", "aibotid": "AIBOT", "chatid": "wrG", "chattype": "group",
            "from": {"userid": "head01"}, "msgtype": "text", "text": {"content": "@助手 谢谢"}, "create_time": 1}


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


CASES = {
    "non-ASCII msg_signature": lambda base: wecom_post(base, cb.text_xml("head01", "x", 8101), msg_signature="签名" * 20),
    "non-ASCII MP signature": lambda base: mp_plain(base, cb.text_xml("o_hostile", "x", 8102).encode(),
                                                    signature="签名"),
    "non-ASCII URL-check signature": lambda base: httpx.get(
        f"{base}/wecom/callback", params={"msg_signature": "签", "timestamp": now_ts(), "nonce": "1", "echostr": "abc"}),
    "huge timestamp": lambda base: wecom_post(base, cb.text_xml("head01", "x", 8103), timestamp="9" * 400),
    "negative timestamp": lambda base: wecom_post(base, cb.text_xml("head01", "x", 8104), timestamp="-1"),
    "full-width digits timestamp": lambda base: wecom_post(base, cb.text_xml("head01", "x", 8105), timestamp="１７００"),
    "encrypt is a number": lambda base: signed_envelope(base, "/wecom/callback", '{"encrypt": 12345}'),
    "encrypt is a list": lambda base: signed_envelope(base, "/aibot/callback", '{"encrypt": ["a"]}', crypto=cb.aibot),
    "envelope nested 30000 deep": lambda base: httpx.post(
        f"{base}/aibot/callback", params={"msg_signature": "0", "timestamp": now_ts(), "nonce": "1"},
        content='{"encrypt": ' + _deep(30000) + "}"),
    # 20,000 levels: deep enough to overflow the parser, small enough to pass the 64 KB body limit.
    "plaintext nested 20000 deep": lambda base: aibot_post(base, '{"a": ' + _deep(20000) + "}"),
    "envelope XML nested 20000 deep": lambda base: httpx.post(
        f"{base}/wecom/callback", params={"msg_signature": "0", "timestamp": now_ts(), "nonce": "1"},
        content="<xml>" + "<a>" * 20000 + "</a>" * 20000 + "</xml>"),
    "MP plain XML nested 10000 deep": lambda base: mp_plain(base, ("<xml>" + "<a>" * 10000 + "</a>" * 10000 + "</xml>").encode()),
    "MP plain body valid XML but GBK": lambda base: mp_plain(
        base, ('<?xml version="1.0" encoding="GBK"?>' + cb.text_xml("o_hostile", "会开叉车", 8106)).encode("gbk")),
    "aibot from is a string": lambda base: aibot_post(base, {**AIBOT_OK, "from": "head01"}),
    "aibot from.userid is a list": lambda base: aibot_post(base, {**AIBOT_OK, "from": {"userid": ["head01", "x"]}}),
    "aibot from.userid is an object": lambda base: aibot_post(base, {**AIBOT_OK, "from": {"userid": {"a": 1}}}),
    "aibot userid longer than WeCom allows": lambda base: aibot_post(base, {**AIBOT_OK, "from": {"userid": "u" * 300}}),
    "wecom FromUserName longer than WeCom allows": lambda base: wecom_post(base, cb.text_xml("u" * 300, "x", 8109)),
    "wecom MsgId of 500 digits": lambda base: wecom_post(base, cb.text_xml("head01", "x", int("9" * 500))),
    "aibot msgid with a NUL character": lambda base: aibot_post(base, {**AIBOT_OK, "msgid": "CAIQ\u0000x"}),
    "aibot text with a NUL character": lambda base: aibot_post(base, {**AIBOT_OK, "text": {"content": "谢\u0000谢"}}),
    "wecom JSON plaintext chat field with a NUL": lambda base: wecom_post(
        base, json.dumps({"ToUserName": cb.CORP_ID, "FromUserName": "head01", "CreateTime": 1, "MsgType": "text",
                          "Content": "x", "MsgId": 8110, "ChatId": "wr\u0000"}), json_envelope=True),
    "aibot text is a list": lambda base: aibot_post(base, {**AIBOT_OK, "text": ["谢谢"]}),
    "aibot content is a number": lambda base: aibot_post(base, {**AIBOT_OK, "text": {"content": 12}}),
    "aibot msgid is an object": lambda base: aibot_post(base, {**AIBOT_OK, "msgid": {"x": 1}}),
    "aibot create_time not a number": lambda base: aibot_post(base, {**AIBOT_OK, "create_time": "yesterday"}),
    "aibot create_time infinite": lambda base: aibot_post(base, '{"msgid": "CAIQ_inf", "from": {"userid": "head01"},'
                                                              ' "msgtype": "text", "text": {"content": "x"}, "create_time": 1e999}'),
    "wecom JSON plaintext FromUserName is a list": lambda base: wecom_post(
        base, json.dumps({"ToUserName": cb.CORP_ID, "FromUserName": ["head01"], "CreateTime": 1, "MsgType": "text",
                          "Content": "x", "MsgId": 8107}), json_envelope=True),
    "wecom JSON plaintext Content is an object": lambda base: wecom_post(
        base, json.dumps({"ToUserName": cb.CORP_ID, "FromUserName": "head01", "CreateTime": 1, "MsgType": "text",
                          "Content": {"x": 1}, "MsgId": 8108}), json_envelope=True),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_callback_is_a_4xx_and_stores_nothing(server, org, db, case):
    before = snapshot(db)
    response = CASES[case](server)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
    assert snapshot(db) == before


def test_a_list_userid_never_reaches_the_database_as_text(server, org, db):
    """On PostgreSQL a list bound to a text column was stored as '{head01,x}'."""
    aibot_post(server, {**AIBOT_OK, "msgid": "CAIQ_list", "from": {"userid": ["head01", "x"]}})
    from app.inbound.models import InboundMessage

    senders = db.scalars(select(InboundMessage.sender)).all()
    assert not any(s.startswith("{") or s.startswith("[") for s in senders)


def test_a_well_formed_ai_bot_message_still_goes_through(server, org, db):
    """The strict checks refuse only wrong types: the normal message is accepted and stored."""
    before = snapshot(db)["inbound_messages"]
    response = aibot_post(server, {**AIBOT_OK, "msgid": "CAIQ_fine"})
    assert response.status_code == 200 and response.text
    assert snapshot(db)["inbound_messages"] == before + 1
