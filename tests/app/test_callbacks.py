"""The three inbound callbacks over real HTTP: verification, replies, dedupe, rejections."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text

from app.inbound.models import InboundMessage, RejectedCallback
from tests.support import callbacks as cb


def post_wecom(base: str, plaintext: str, **kw) -> httpx.Response:
    params, body = cb.sealed_wecom(plaintext, **kw)
    return httpx.post(f"{base}/wecom/callback", params=params, content=body)


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_verify_url_echoes_the_decrypted_echostr(server):
    ts, nonce = str(int(time.time())), "12345"
    sealed = cb.wecom.encrypt("8839221405719373721", timestamp=ts, nonce=nonce)
    r = httpx.get(f"{server}/wecom/callback", params={"msg_signature": sealed.signature, "timestamp": ts, "nonce": nonce, "echostr": sealed.encrypt})
    assert r.status_code == 200
    assert r.content == b"8839221405719373721"  # whole body, no quotes, no newline


def test_known_staff_gets_encrypted_chinese_ack(server, org, db):
    r = post_wecom(server, cb.text_xml("steward01", "收到，谢谢", 7001))
    assert r.status_code == 200
    reply = cb.open_xml_reply(r.text)
    assert reply["ToUserName"] == "steward01" and reply["FromUserName"] == cb.CORP_ID
    assert "收到" in reply["Content"]
    assert count(db, InboundMessage) == 1


def test_unknown_sender_gets_join_guidance(server, org):
    r = post_wecom(server, cb.text_xml("stranger", "你好 有活吗", 7002))
    assert "二维码" in cb.open_xml_reply(r.text)["Content"]


def test_four_retries_across_a_restart_store_one_message_and_one_reply(make_server, org, db):
    params, body = cb.sealed_wecom(cb.text_xml("head01", "会开叉车 想找仓库的活 电话13800138000", 4561255354251345929))
    replies = []
    with make_server() as base:
        for _ in range(2):
            replies.append(httpx.post(f"{base}/wecom/callback", params=params, content=body).text)
    with make_server() as base:  # a new process would see only the database
        for _ in range(2):
            replies.append(httpx.post(f"{base}/wecom/callback", params=params, content=body).text)
    contents = {cb.open_xml_reply(r)["Content"] for r in replies}
    assert len(contents) == 1
    assert count(db, InboundMessage) == 1


def test_message_text_is_encrypted_at_rest(server, org, db):
    post_wecom(server, cb.text_xml("head01", "王大锤 电话13612345678 会电焊", 7003))
    raw = db.execute(text("SELECT content, reply FROM inbound_messages")).one()
    assert "13612345678" not in raw.content and "电焊" not in raw.content
    assert db.scalar(select(InboundMessage.content)) == "王大锤 电话13612345678 会电焊"


@pytest.mark.parametrize(
    "mutate, status, reason",
    [
        (lambda p, b: ({**p, "msg_signature": "0" * 40}, b), 403, "msg_signature"),
        (lambda p, b: ({**p, "nonce": p["nonce"] + "1"}, b), 403, "msg_signature"),
        (lambda p, b: (p, b.replace("<Encrypt>", "<Encrypt1>")), 400, "malformed"),
        (lambda p, b: (p, "not xml at all"), 400, "malformed"),
    ],
)
def test_forged_or_malformed_requests_are_refused_and_change_nothing(server, org, db, mutate, status, reason):
    params, body = cb.sealed_wecom(cb.text_xml("head01", "会开叉车", 7004))
    params, body = mutate(params, body)
    r = httpx.post(f"{server}/wecom/callback", params=params, content=body)
    assert r.status_code == status
    assert count(db, InboundMessage) == 0
    assert reason in db.scalar(select(RejectedCallback.reason))


def test_wrong_receive_id_is_refused(server, org, db):
    other = cb.CallbackCrypto(token=cb.WECOM_TOKEN, encoding_aes_key=cb.WECOM_AES, receive_id="wwOTHERCORP")
    params, body = cb.sealed_wecom(cb.text_xml("head01", "会开叉车", 7005), crypto=other)
    r = httpx.post(f"{server}/wecom/callback", params=params, content=body)
    assert r.status_code == 400 and "receive id" in r.text
    assert count(db, InboundMessage) == 0


def test_stale_timestamp_is_refused_as_replay(server, org, db):
    params, body = cb.sealed_wecom(cb.text_xml("head01", "会开叉车", 7006), timestamp=str(int(time.time()) - 3600))
    r = httpx.post(f"{server}/wecom/callback", params=params, content=body)
    assert r.status_code == 403 and "timestamp" in r.text
    assert count(db, InboundMessage) == 0


def test_xml_bomb_is_refused(server, org, db):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><Encrypt>&lol3;</Encrypt></xml>'
    )
    params, _ = cb.sealed_wecom(cb.text_xml("head01", "x", 7007))
    r = httpx.post(f"{server}/wecom/callback", params=params, content=bomb)
    assert r.status_code == 400
    assert count(db, InboundMessage) == 0


def test_oversized_body_is_refused(server, org, db):
    params, _ = cb.sealed_wecom(cb.text_xml("head01", "x", 7008))
    r = httpx.post(f"{server}/wecom/callback", params=params, content="<xml>" + "a" * 200_000 + "</xml>")
    assert r.status_code == 413
    assert count(db, InboundMessage) == 0


def test_tencent_vector_goes_through_the_full_path(make_server, org):
    """The official sample's POST, at the moment it was signed, decrypts and is answered."""
    vectors = json.loads((Path(__file__).parent.parent / "data" / "wecom_vectors.json").read_text())["vectors"]
    v = next(x for x in vectors if x["id"] == "wecom-py-decrypt-text")
    at_signing = datetime.fromtimestamp(int(v["timestamp"]), UTC)
    overrides = {"WECOM_TOKEN": v["token"], "WECOM_ENCODING_AES_KEY": v["encoding_aes_key"], "WECOM_CORP_ID": v["receive_id"]}
    params = {"msg_signature": v["msg_signature"], "timestamp": v["timestamp"], "nonce": v["nonce"]}
    with make_server(clock=lambda: at_signing, **overrides) as base:
        r = httpx.post(f"{base}/wecom/callback", params=params, content=v["post_body"])
    assert r.status_code == 200
    crypto = cb.CallbackCrypto(token=v["token"], encoding_aes_key=v["encoding_aes_key"], receive_id=v["receive_id"])
    reply = cb.open_xml_reply(r.text, crypto=crypto)
    assert reply["ToUserName"] == "ChenJiaShun"
    assert "二维码" in reply["Content"]  # an unknown member is told how to join


def test_json_envelope_and_json_plaintext_get_a_json_reply(server, org, db):
    """WeCom's JSON callback mode (§1.2): same crypto, JSON envelope and plaintext."""
    plain = json.dumps({"ToUserName": cb.CORP_ID, "FromUserName": "steward01", "CreateTime": int(time.time()),
                        "MsgType": "text", "Content": "收到", "MsgId": 99887766, "AgentID": cb.AGENT_ID})
    ts, nonce = str(int(time.time())), "24680"
    sealed = cb.wecom.encrypt(plain, timestamp=ts, nonce=nonce)
    body = json.dumps({"tousername": cb.CORP_ID, "encrypt": sealed.encrypt, "agentid": cb.AGENT_ID})
    r = httpx.post(f"{server}/wecom/callback", params={"msg_signature": sealed.signature, "timestamp": ts, "nonce": nonce},
                   content=body)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    reply = cb.open_json_reply(r.text, crypto=cb.wecom)
    assert reply["ToUserName"] == "steward01" and "收到" in reply["Content"]
    assert count(db, InboundMessage) == 1


def test_a_failing_handler_keeps_the_message_and_apologises(server, org, db, monkeypatch):
    """A bug in a handler must not lose the resident's message or make WeCom retry forever."""
    from app.inbound import handlers

    def broken(ctx):
        ctx.session.add(InboundMessage(channel="x", dedupe_key="half-done", sender="x", sender_kind="x",
                                       msg_type="x"))  # a half-done effect that must be rolled back
        raise RuntimeError("database went away")

    monkeypatch.setattr(handlers, "HANDLERS", [handlers.Handler("broken", lambda ctx: True, broken)])
    r = post_wecom(server, cb.text_xml("head01", "会电焊 想找活", 7010))
    assert r.status_code == 200 and "工作人员" in cb.open_xml_reply(r.text)["Content"]
    stored = db.scalars(select(InboundMessage)).all()
    assert [(m.content, m.error) for m in stored] == [("会电焊 想找活", "RuntimeError: database went away")]
