"""Callback envelopes: parse the outer XML/JSON safely and build encrypted replies."""

from __future__ import annotations

import json
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from bots.wire.crypto import PARSE_ERROR, CallbackRejected, SealedMessage

# WeCom callbacks are a few KB at most; anything far larger is not from WeCom.
MAX_BODY_BYTES = 64 * 1024


def check_size(body: bytes) -> None:
    if len(body) > MAX_BODY_BYTES:
        raise CallbackRejected(PARSE_ERROR, f"body of {len(body)} bytes exceeds {MAX_BODY_BYTES}")


def parse_xml(text: str | bytes) -> dict[str, str]:
    """Flat dict of the root's children (and one level below as 'Parent.Child'); rejects DTDs and entities."""
    try:
        root: Element = SafeET.fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, SafeET.ParseError, ValueError) as exc:
        # ValueError: expat refuses a declared multi-byte encoding such as GBK.
        raise CallbackRejected(PARSE_ERROR, f"malformed or unsafe XML: {type(exc).__name__}") from exc
    fields: dict[str, str] = {}
    for child in root:
        fields[child.tag] = (child.text or "").strip() if len(child) == 0 else ""
        for grandchild in child:
            fields[f"{child.tag}.{grandchild.tag}"] = (grandchild.text or "").strip()
    return fields


def utf8_text(body: bytes) -> str:
    """The body as text; WeCom and the OA send UTF-8 only (an XML declaration may claim otherwise)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CallbackRejected(PARSE_ERROR, f"body is not UTF-8 (byte {exc.start})") from exc


def parse_json(text: str | bytes) -> dict:
    try:
        value = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CallbackRejected(PARSE_ERROR, "malformed JSON") from exc
    except RecursionError as exc:  # a few KB of '[' nest deeper than the parser's stack
        raise CallbackRejected(PARSE_ERROR, "JSON nested too deep") from exc
    if not isinstance(value, dict):
        raise CallbackRejected(PARSE_ERROR, "JSON envelope is not an object")
    return value


def encrypt_field(envelope: dict, key: str = "Encrypt") -> str:
    value = envelope.get(key)
    if not value:
        raise CallbackRejected(PARSE_ERROR, f"envelope has no {key}")
    if not isinstance(value, str):
        raise CallbackRejected(PARSE_ERROR, f"envelope's {key} is not a string")
    return value


def xml_reply(sealed: SealedMessage) -> str:
    """The encrypted passive-reply envelope of the WeCom app and the OA safe mode."""
    return (
        f"<xml><Encrypt><![CDATA[{sealed.encrypt}]]></Encrypt><MsgSignature><![CDATA[{sealed.signature}]]></MsgSignature>"
        f"<TimeStamp>{sealed.timestamp}</TimeStamp><Nonce><![CDATA[{sealed.nonce}]]></Nonce></xml>"
    )


def json_reply(sealed: SealedMessage) -> str:
    """JSON-mode reply; keys are lowercase as in Tencent's JSON sample library."""
    return json.dumps(
        {"encrypt": sealed.encrypt, "msgsignature": sealed.signature, "timestamp": sealed.timestamp, "nonce": sealed.nonce}
    )


def cdata(value: object) -> str:
    text = str(value).replace("]]>", "]]]]><![CDATA[>")
    return f"<![CDATA[{text}]]>"


# D-90241: a passive reply's Content holds at most 2048 bytes; WeCom cuts the rest, so we cut
# first, between lines or characters, rather than let a character be split.
PASSIVE_REPLY_BYTES = 2048


def text_reply_xml(*, to_user: str, from_user: str, create_time: int, content: str) -> str:
    """Plaintext of a passive text reply (encrypted afterwards)."""
    from bots.client.limits import split_text

    content = split_text(content, PASSIVE_REPLY_BYTES)[0]
    return (
        f"<xml><ToUserName>{cdata(to_user)}</ToUserName><FromUserName>{cdata(from_user)}</FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(content)}</Content></xml>"
    )
