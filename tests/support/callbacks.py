"""Build signed, encrypted callbacks the way WeCom does, for tests of our own server."""

from __future__ import annotations

import json
import secrets
import time

from bots.wire.crypto import CallbackCrypto
from bots.wire.envelope import cdata, parse_json, parse_xml

CORP_ID = "wwtestcorp0001"
AGENT_ID = 1000002
MP_APP_ID = "wxtestapp00001"
WECOM_TOKEN = "wecomtesttoken"
WECOM_AES = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v"
MP_TOKEN = "mptesttoken"
MP_AES = "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2H1g0F9e"
AIBOT_TOKEN = "aibottesttoken"
AIBOT_AES = "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c"

SETTINGS = {
    "WECOM_CORP_ID": CORP_ID,
    "WECOM_AGENT_ID": AGENT_ID,
    "WECOM_TOKEN": WECOM_TOKEN,
    "WECOM_ENCODING_AES_KEY": WECOM_AES,
    "MP_APP_ID": MP_APP_ID,
    "MP_TOKEN": MP_TOKEN,
    "MP_ENCODING_AES_KEY": MP_AES,
    "AIBOT_TOKEN": AIBOT_TOKEN,
    "AIBOT_ENCODING_AES_KEY": AIBOT_AES,
}

wecom = CallbackCrypto(token=WECOM_TOKEN, encoding_aes_key=WECOM_AES, receive_id=CORP_ID)
mp = CallbackCrypto(token=MP_TOKEN, encoding_aes_key=MP_AES, receive_id=MP_APP_ID)
aibot = CallbackCrypto(token=AIBOT_TOKEN, encoding_aes_key=AIBOT_AES, receive_id="")


def text_xml(sender: str, content: str, msg_id: int, to: str = CORP_ID, create_time: int | None = None) -> str:
    return (
        f"<xml><ToUserName>{cdata(to)}</ToUserName><FromUserName>{cdata(sender)}</FromUserName>"
        f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(content)}</Content><MsgId>{msg_id}</MsgId><AgentID>{AGENT_ID}</AgentID></xml>"
    )


def event_xml(sender: str, event: str, event_key: str = "", to: str = "gh_testaccount", create_time: int | None = None) -> str:
    return (
        f"<xml><ToUserName>{cdata(to)}</ToUserName><FromUserName>{cdata(sender)}</FromUserName>"
        f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event>{cdata(event)}</Event><EventKey>{cdata(event_key)}</EventKey></xml>"
    )


def sealed_wecom(plaintext: str, crypto: CallbackCrypto = wecom, timestamp: str | None = None) -> tuple[dict, str]:
    """(query params, XML body) of an encrypted WeCom-style POST."""
    ts, nonce = timestamp or str(int(time.time())), str(secrets.randbelow(10**9))
    sealed = crypto.encrypt(plaintext, timestamp=ts, nonce=nonce)
    body = f"<xml><ToUserName>{cdata(crypto.receive_id)}</ToUserName><AgentID>{AGENT_ID}</AgentID><Encrypt>{cdata(sealed.encrypt)}</Encrypt></xml>"
    return {"msg_signature": sealed.signature, "timestamp": ts, "nonce": nonce}, body


def open_xml_reply(body: str, crypto: CallbackCrypto = wecom) -> dict[str, str]:
    """Verify and decrypt an encrypted XML passive reply; return its plaintext fields."""
    env = parse_xml(body)
    plain = crypto.decrypt(encrypt=env["Encrypt"], msg_signature=env["MsgSignature"], timestamp=env["TimeStamp"], nonce=env["Nonce"])
    return parse_xml(plain)


def open_json_reply(body: str, crypto: CallbackCrypto = aibot) -> dict:
    env = parse_json(body)
    plain = crypto.decrypt(encrypt=env["encrypt"], msg_signature=env["msgsignature"], timestamp=env["timestamp"], nonce=env["nonce"])
    return json.loads(plain)
