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


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise CallbackRejected(PARSE_ERROR, f"{name} is not an integer") from exc


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
        data = parse_json(plaintext)
        return _from_fields({k: _flat(v) for k, v in data.items()}, channel=channel)
    return from_xml(plaintext, channel=channel)


def _flat(value: object) -> str:
    return "" if value is None else str(value)


def from_xml(plaintext: str, *, channel: str) -> Inbound:
    """Parse the decrypted XML of a WeCom app or Official Account callback."""
    return _from_fields(parse_xml(plaintext), channel=channel)


def _from_fields(fields: dict[str, str], *, channel: str) -> Inbound:
    sender = fields.get("FromUserName", "")
    msg_type = fields.get("MsgType", "")
    if not sender or not msg_type:
        raise CallbackRejected(PARSE_ERROR, "message lacks FromUserName or MsgType")
    return Inbound(
        channel=channel,
        sender=sender,
        receiver=fields.get("ToUserName", ""),
        create_time=_int(fields.get("CreateTime", "0"), "CreateTime"),
        msg_type=msg_type,
        dedupe_key=_dedupe_key(fields),
        content=fields.get("Content", ""),
        event=fields.get("Event", ""),
        event_key=fields.get("EventKey", ""),
        extra={k: v for k, v in fields.items() if k not in _CORE_XML_FIELDS},
    )


_CORE_XML_FIELDS = {"FromUserName", "ToUserName", "CreateTime", "MsgType", "Content", "Event", "EventKey"}


def from_aibot_json(plaintext: str) -> Inbound:
    """Parse the decrypted JSON of an AI-bot callback (D-100719: @-mention in a group)."""
    data = parse_json(plaintext)
    sender = (data.get("from") or {}).get("userid", "")
    msg_id = data.get("msgid", "")
    if not sender or not msg_id:
        raise CallbackRejected(PARSE_ERROR, "AI bot message lacks from.userid or msgid")
    msg_type = data.get("msgtype", "")
    content = (data.get("text") or {}).get("content", "") if msg_type == "text" else ""
    event = (data.get("event") or {}).get("eventtype", "") if msg_type == "event" else ""
    return Inbound(
        channel=CHANNEL_AIBOT,
        sender=sender,
        receiver=str(data.get("aibotid", "")),
        create_time=int(data.get("create_time") or 0),
        msg_type=msg_type,
        dedupe_key=f"msg:{msg_id}",
        content=strip_mention(content),
        event=event,
        chat_id=str(data.get("chatid", "")),
        extra={"response_url": str(data.get("response_url", "")), "chattype": str(data.get("chattype", ""))},
    )


def strip_mention(content: str) -> str:
    """Group @-mentions arrive as '@BotName text'; the bot's name is not part of the note."""
    text = content.strip()
    if text.startswith("@"):
        # split() with no argument also splits on the full-width space phones often insert.
        parts = text.split(None, 1)
        return parts[1].strip() if len(parts) == 2 else ""
    return text
