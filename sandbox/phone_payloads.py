"""Plaintext callback payloads as WeCom and the Official Account push them (§1.8, §4.1, §5.3)."""

from __future__ import annotations

import json
import secrets
import string

from bots.wire.envelope import cdata


def new_msg_id() -> int:
    """A positive int64 like WeCom's MsgId (e.g. 4561255354251345929, §1.8)."""
    return secrets.randbits(62) + (1 << 62)


def _xml(fields: dict[str, object]) -> str:
    # Numbers go bare and strings in CDATA, as in Tencent's samples; receivers must parse both.
    parts = [f"<{k}>{v if isinstance(v, int) else cdata(v)}</{k}>" for k, v in fields.items()]
    return "<xml>" + "".join(parts) + "</xml>"


def app_text(*, corp_id: str, agent_id: int, userid: str, content: str, create_time: int, msg_id: int) -> str:
    """A member's text to the app (§1.8): MsgId is the dedupe key."""
    return _xml(
        {
            "ToUserName": corp_id,
            "FromUserName": userid,
            "CreateTime": create_time,
            "MsgType": "text",
            "Content": content,
            "MsgId": msg_id,
            "AgentID": agent_id,
        }
    )


def card_click(
    *,
    corp_id: str,
    agent_id: int,
    userid: str,
    create_time: int,
    key: str,
    task_id: str,
    card_type: str,
    response_code: str,
) -> str:
    """template_card_event (§1.8); events are deduped by FromUserName + CreateTime."""
    return _xml(
        {
            "ToUserName": corp_id,
            "FromUserName": userid,
            "CreateTime": create_time,
            "MsgType": "event",
            "Event": "template_card_event",
            "EventKey": key,
            "TaskId": task_id,
            "CardType": card_type,
            "ResponseCode": response_code,
            "AgentID": agent_id,
        }
    )


def oa_text(*, original_id: str, openid: str, content: str, create_time: int, msg_id: int) -> str:
    return _xml(
        {
            "ToUserName": original_id,
            "FromUserName": openid,
            "CreateTime": create_time,
            "MsgType": "text",
            "Content": content,
            "MsgId": msg_id,
        }
    )


def oa_image(
    *, original_id: str, openid: str, media_id: str, pic_url: str, create_time: int, msg_id: int
) -> str:
    """A follower's photo (MP image message): PicUrl, MediaId and MsgId."""
    return _xml(
        {
            "ToUserName": original_id,
            "FromUserName": openid,
            "CreateTime": create_time,
            "MsgType": "image",
            "PicUrl": pic_url,
            "MediaId": media_id,
            "MsgId": msg_id,
        }
    )


def oa_event(
    *,
    original_id: str,
    openid: str,
    event: str,
    create_time: int,
    event_key: str | None = None,
    ticket: str | None = None,
) -> str:
    """subscribe (EventKey `qrscene_<scene>` when via a parametric QR) or SCAN (EventKey = scene)."""
    fields: dict[str, object] = {
        "ToUserName": original_id,
        "FromUserName": openid,
        "CreateTime": create_time,
        "MsgType": "event",
        "Event": event,
    }
    if event_key is not None:
        fields["EventKey"] = event_key
    if ticket is not None:
        fields["Ticket"] = ticket
    return _xml(fields)


def new_ticket() -> str:
    alphabet = string.ascii_letters + string.digits
    return "gQ" + "".join(secrets.choice(alphabet) for _ in range(94))


def aibot_mention(
    *, aibot_id: str, userid: str, chatid: str, content: str, response_url: str, msgid: str | None = None
) -> str:
    """An @-mention of the AI bot in a group (§5.3); the text keeps its `@BotName ` prefix."""
    return json.dumps(
        {
            "msgid": msgid or "CAIQ" + secrets.token_hex(12).upper(),
            "aibotid": aibot_id,
            "chatid": chatid,
            "chattype": "group",
            "from": {"userid": userid},
            "response_url": response_url,
            "msgtype": "text",
            "text": {"content": content},
        },
        ensure_ascii=False,
    )


def change_external_chat(*, corp_id: str, create_time: int, fields: dict) -> str:
    """A customer-group change (§1.8, D-92130): ids and counts only; MemChangeList holds Item elements."""
    head = {
        "ToUserName": corp_id,
        "FromUserName": "sys",
        "CreateTime": create_time,
        "MsgType": "event",
        "Event": "change_external_chat",
    }
    members = fields.get("MemChangeList") or []
    rest = {k: v for k, v in fields.items() if k != "MemChangeList"}
    xml = _xml({**head, **rest})
    if members:
        items = "".join(f"<Item>{cdata(m)}</Item>" for m in members)
        xml = xml.replace("</xml>", f"<MemChangeList>{items}</MemChangeList></xml>")
    return xml
