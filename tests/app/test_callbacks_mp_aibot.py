"""Official Account (plain and safe mode, QR binding) and AI-bot callbacks over real HTTP."""

from __future__ import annotations

import json
import secrets
import time

import httpx
import pytest
from sqlalchemy import select

from app.org.models import Contact
from bots.wire.crypto import sign
from bots.wire.envelope import cdata, parse_xml
from tests.support import callbacks as cb


def mp_plain(base: str, plaintext: str, openid: str) -> httpx.Response:
    ts, nonce = str(int(time.time())), str(secrets.randbelow(10**9))
    params = {"signature": sign(cb.MP_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": openid}
    return httpx.post(f"{base}/mp/callback", params=params, content=plaintext)


def mp_safe(base: str, plaintext: str, openid: str) -> httpx.Response:
    ts, nonce = str(int(time.time())), str(secrets.randbelow(10**9))
    sealed = cb.mp.encrypt(plaintext, timestamp=ts, nonce=nonce)
    params = {
        "signature": sign(cb.MP_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": openid,
        "encrypt_type": "aes", "msg_signature": sealed.signature,
    }
    body = f"<xml><ToUserName>{cdata('gh_testaccount')}</ToUserName><Encrypt>{cdata(sealed.encrypt)}</Encrypt></xml>"
    return httpx.post(f"{base}/mp/callback", params=params, content=body)


def test_mp_url_check_returns_echostr_verbatim(server):
    ts, nonce = str(int(time.time())), "998877"
    params = {"signature": sign(cb.MP_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "echostr": "4375120948345356249"}
    r = httpx.get(f"{server}/mp/callback", params=params)
    assert r.status_code == 200 and r.text == "4375120948345356249"
    r = httpx.get(f"{server}/mp/callback", params={**params, "signature": "f" * 40})
    assert r.status_code == 403


def test_mp_plain_mode_text_from_a_resident_gets_a_plain_reply(server, org):
    r = mp_plain(server, cb.text_xml("o_resident_01", "谢谢", 9001, to="gh_testaccount"), "o_resident_01")
    reply = parse_xml(r.content)
    assert reply["ToUserName"] == "o_resident_01" and reply["FromUserName"] == "gh_testaccount"
    assert reply["Content"]


def test_mp_safe_mode_reply_is_encrypted_with_the_app_id(server, org):
    r = mp_safe(server, cb.text_xml("o_stranger", "有活吗", 9002, to="gh_testaccount"), "o_stranger")
    reply = cb.open_xml_reply(r.text, crypto=cb.mp)
    assert "二维码" in reply["Content"]


@pytest.mark.parametrize("event, key", [("subscribe", "qrscene_t-a-01"), ("SCAN", "t-a-01")])
def test_qr_scan_binds_a_new_resident_to_the_village(server, org, db, event, key):
    r = mp_safe(server, cb.event_xml("o_newcomer", event, key), "o_newcomer")
    assert "甲一村" in cb.open_xml_reply(r.text, crypto=cb.mp)["Content"]
    contact = db.scalar(select(Contact).where(Contact.openid == "o_newcomer"))
    assert contact is not None and contact.node_id == org.village.id and contact.kind == "resident"


def test_qr_scan_with_an_unknown_scene_binds_nobody(server, org, db):
    r = mp_safe(server, cb.event_xml("o_lost", "subscribe", "qrscene_nowhere"), "o_lost")
    assert "失效" in cb.open_xml_reply(r.text, crypto=cb.mp)["Content"]
    assert db.scalar(select(Contact).where(Contact.openid == "o_lost")) is None


def test_ai_bot_mention_in_a_group_gets_an_encrypted_stream_reply(server, org):
    payload = {
        "msgid": "CAIQ_test_001", "aibotid": "AIBOTID", "chatid": "wrGROUP01", "chattype": "group",
        "from": {"userid": "head01"}, "response_url": "http://127.0.0.1/none", "msgtype": "text",
        "text": {"content": "@就业助手 谢谢"},
    }
    ts, nonce = str(int(time.time())), "5551212"
    sealed = cb.aibot.encrypt(json.dumps(payload, ensure_ascii=False), timestamp=ts, nonce=nonce)
    params = {"msg_signature": sealed.signature, "timestamp": ts, "nonce": nonce}
    r = httpx.post(f"{server}/aibot/callback", params=params, content=json.dumps({"encrypt": sealed.encrypt}))
    assert r.status_code == 200
    reply = cb.open_json_reply(r.text)
    assert reply["msgtype"] == "stream" and reply["stream"]["finish"] is True and reply["stream"]["content"]


def test_ai_bot_url_check_uses_an_empty_receive_id(server):
    ts, nonce = str(int(time.time())), "42"
    sealed = cb.aibot.encrypt("556677", timestamp=ts, nonce=nonce)
    r = httpx.get(f"{server}/aibot/callback", params={"msg_signature": sealed.signature, "timestamp": ts, "nonce": nonce, "echostr": sealed.encrypt})
    assert r.text == "556677"
