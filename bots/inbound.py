"""Typed inbound messages: decrypted callback plaintext becomes one of these, so nothing
downstream touches XML or JSON (the wechatpy idea of messages registered by type)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bots.wire.crypto import PARSE_ERROR, CallbackRejected
from bots.wire.envelope import parse_json, parse_xml

CHANNEL_WECOM = "wecom"
CHANNEL_MP = "mp"
CHANNEL_AIBOT = "aibot"


@dataclass(frozen=True)
class Inbound:
    """One message or event from a person. `dedupe_key` identifies it across WeCom's retries."""

    channel: str
    sender: str
    receiver: str
    create_time: int
    msg_type: str
    dedupe_key: str
    content: str = ""
    event: str = ""
    event_key: str = ""
    chat_id: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_text(self) -> bool:
        return self.msg_type == "text"


# Column widths of inbound_messages; WeCom userids and openids are at most 64 bytes. Longer
# values are not from WeCom, and PostgreSQL would refuse them with an error mid-request.
_MAX_LEN = {"sender": 64, "chat_id": 64, "msg_type": 32, "event": 64, "dedupe_key": 160}


def _int(value: object, name: str) -> int:
    """A non-negative integer given as a number or ASCII digits (not a bool, float or 'inf')."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    raise CallbackRejected(PARSE_ERROR, f"{name} is not an integer")


def _scalar(value: object, name: str) -> str:
    """A text field: a string or an integer (ids sometimes come as numbers), never a list or object."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise CallbackRejected(PARSE_ERROR, f"{name} is a {type(value).__name__}, not text")


def _text(value: object, name: str) -> str:
    """A field that is text by nature (a userid, a message): a number there is a forgery too."""
    if value is not None and not isinstance(value, str):
        raise CallbackRejected(PARSE_ERROR, f"{name} is a {type(value).__name__}, not text")
    return value or ""


def _checked(inbound: Inbound) -> Inbound:
    for name, limit in _MAX_LEN.items():
        if len(getattr(inbound, name)) > limit:
            raise CallbackRejected(PARSE_ERROR, f"{name} is longer than {limit} characters")
    # WeCom never sends a NUL character, and PostgreSQL text cannot hold one.
    texts = [inbound.sender, inbound.receiver, inbound.msg_type, inbound.dedupe_key, inbound.content,
             inbound.event, inbound.event_key, inbound.chat_id, *inbound.extra.keys(), *inbound.extra.values()]
    if any("\x00" in value for value in texts):
        raise CallbackRejected(PARSE_ERROR, "message contains a NUL character")
    return inbound


def _dedupe_key(fields: dict[str, str]) -> str:
    # D-90238: messages by MsgId; events (no MsgId) by FromUserName + CreateTime.
    msg_id = fields.get("MsgId") or fields.get("MsgID")
    if msg_id:
        return f"msg:{msg_id}"
    if fields.get("Event") == "change_external_chat":
        # Every one comes from "sys": two groups changing in the same second are not one event.
        # The membership version after the change tells repeats (retries) from new changes.
        change = f"{fields.get('ChatId', '')}:{fields.get('UpdateDetail', '')}:{fields.get('CurMemVer', '')}"
        return f"evt:sys:{fields.get('CreateTime', '')}:change_external_chat:{change}"
    return f"evt:{fields.get('FromUserName', '')}:{fields.get('CreateTime', '')}:{fields.get('Event', '')}"


def from_plaintext(plaintext: str, *, channel: str) -> Inbound:
    """The decrypted message of a WeCom app or OA callback: XML, or JSON in JSON mode (§1.2)."""
    if plaintext.lstrip().startswith("{"):
        return _from_fields(_flat_json(parse_json(plaintext)), channel=channel)
    return from_xml(plaintext, channel=channel)


def _flat_json(data: dict) -> dict[str, str]:
    """JSON mode as the XML parser flattens it: scalars, and one level of objects as 'Parent.Child'.
    A core field of the wrong type is refused; other odd values (lists) are left out."""
    fields: dict[str, str] = {}
    for key, value in data.items():
        if key in _CORE_XML_FIELDS or key in ("MsgId", "MsgID"):
            fields[key] = _scalar(value, key)
        elif isinstance(value, dict):
            fields.update({f"{key}.{k}": _scalar(v, f"{key}.{k}") for k, v in value.items()
                           if v is None or isinstance(v, str | int)})
        elif value is None or isinstance(value, str | int):
            fields[key] = _scalar(value, key)
    return fields


def from_xml(plaintext: str, *, channel: str) -> Inbound:
    """Parse the decrypted XML of a WeCom app or Official Account callback."""
    return _from_fields(parse_xml(plaintext), channel=channel)


def _from_fields(fields: dict[str, str], *, channel: str) -> Inbound:
    sender = fields.get("FromUserName", "")
    msg_type = fields.get("MsgType", "")
    if not sender or not msg_type:
        raise CallbackRejected(PARSE_ERROR, "message lacks FromUserName or MsgType")
    return _checked(Inbound(
        channel=channel,
        sender=sender,
        receiver=fields.get("ToUserName", ""),
        create_time=_int(fields.get("CreateTime") or "0", "CreateTime"),
        msg_type=msg_type,
        dedupe_key=_dedupe_key(fields),
        content=fields.get("Content", ""),
        event=fields.get("Event", ""),
        event_key=fields.get("EventKey", ""),
        extra={k: v for k, v in fields.items() if k not in _CORE_XML_FIELDS},
    ))


_CORE_XML_FIELDS = {"FromUserName", "ToUserName", "CreateTime", "MsgType", "Content", "Event", "EventKey"}


def _object(data: dict, key: str) -> dict:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CallbackRejected(PARSE_ERROR, f"{key} is a {type(value).__name__}, not an object")
    return value


def from_aibot_json(plaintext: str) -> Inbound:
    """Parse the decrypted JSON of an AI-bot callback (D-100719: @-mention in a group)."""
    data = parse_json(plaintext)
    sender = _text(_object(data, "from").get("userid"), "from.userid")
    msg_id = _scalar(data.get("msgid"), "msgid")
    if not sender or not msg_id:
        raise CallbackRejected(PARSE_ERROR, "AI bot message lacks from.userid or msgid")
    msg_type = _scalar(data.get("msgtype"), "msgtype")
    text, event = _object(data, "text"), _object(data, "event")
    content = _text(text.get("content"), "text.content") if msg_type == "text" else ""
    return _checked(Inbound(
        channel=CHANNEL_AIBOT,
        sender=sender,
        receiver=_scalar(data.get("aibotid"), "aibotid"),
        create_time=_int(data.get("create_time") or 0, "create_time"),
        msg_type=msg_type,
        dedupe_key=f"msg:{msg_id}",
        content=strip_mention(content),
        event=_scalar(event.get("eventtype"), "event.eventtype") if msg_type == "event" else "",
        chat_id=_scalar(data.get("chatid"), "chatid"),
        extra={"response_url": _scalar(data.get("response_url"), "response_url"),
               "chattype": _scalar(data.get("chattype"), "chattype")},
    ))


def strip_mention(content: str) -> str:
    """Group @-mentions arrive as '@BotName text'; the bot's name is not part of the note."""
    text = content.strip()
    if text.startswith("@"):
        # split() with no argument also splits on the full-width space phones often insert.
        parts = text.split(None, 1)
        return parts[1].strip() if len(parts) == 2 else ""
    return text
