"""Writing outbox rows (docs/relay.md, "Delivery rows"): one row per message, keyed so that
writing the same message twice is a no-op. The dispatcher sends them; nothing here does I/O
beyond the caller's transaction."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from relay import messaging
from relay.models import Delivery, Hop, Item
from relay.org_view import GroupView

# §2.2 of wecom-platform.md: task_id is [0-9A-Za-z_-@], at most 128 bytes.
TASK_ID_LIMIT = 128


def dedupe_key(purpose: str, item_id: int | None, hop_id: int | None, channel: str, target: str) -> str:
    return f"{purpose}:{item_id if item_id is not None else '-'}:{hop_id if hop_id is not None else '-'}:{channel}:{target}"[:200]


def enqueue(
    *, session: Session, purpose: str, channel: str, target: str, payload: dict[str, Any], now: datetime,
    item_id: int | None = None, hop_id: int | None = None, group_id: int | None = None,
    not_before: datetime | None = None, key: str | None = None,
) -> int | None:
    """Insert one delivery unless its dedupe key exists; the new row's id, or None if it did."""
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    values = {
        "item_id": item_id, "hop_id": hop_id, "purpose": purpose, "channel": channel, "target": target,
        "group_id": group_id, "payload": payload,
        "dedupe_key": key or dedupe_key(purpose, item_id, hop_id, channel, target),
        "status": "queued", "not_before": not_before or now, "next_attempt_at": not_before or now,
        "attempts": 0, "last_error": "", "claimed_by": "", "created_at": now, "msgid": "",
    }
    statement = (
        dialect.insert(Delivery).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(Delivery.id)
    )
    return session.execute(statement).scalar()


def text_payload(content: str) -> dict[str, Any]:
    return {"msgtype": "text", "content": content}


def to_group(*, session: Session, item: Item, hop: Hop, group: GroupView, now: datetime, not_before: datetime | None = None) -> int | None:
    """The hop's text into one group."""
    return enqueue(
        session=session, purpose="relay", channel=group.channel, target=group.address,
        payload=text_payload(messaging.relay_content(item.code, hop.text)), now=now,
        item_id=item.id, hop_id=hop.id, group_id=group.id, not_before=not_before,
    )


def to_person(
    *, session: Session, purpose: str, userid: str, content: str, now: datetime,
    item_id: int | None = None, hop_id: int | None = None, channel: str = "app", key: str | None = None,
) -> int | None:
    """A text to one staff member (app) or resident (mp)."""
    return enqueue(
        session=session, purpose=purpose, channel=channel, target=userid, payload=text_payload(content),
        now=now, item_id=item_id, hop_id=hop_id, key=key,
    )


def new_task_id(hop_id: int) -> str:
    return f"hop{hop_id}_{secrets.token_hex(8)}"[:TASK_ID_LIMIT]


def approval_card(
    *, item: Item, hop: Hop, rows: list[dict[str, str]], due_local: datetime, suspects: list[str] | None = None
) -> dict[str, Any]:
    """A button_interaction card (通过/驳回/修改); keys carry the hop id back in the click event.

    `suspects` are spans masked only on suspicion: the card names them above the text so the
    steward decides (the relayed text keeps them masked unless the steward edits them back).
    """
    assert hop.card_task_id
    head = messaging.suspect_note(suspects) + "\n" if suspects else ""
    return {
        "card_type": "button_interaction",
        "main_title": {"title": messaging.card_title(item.kind, item.code), "desc": messaging.card_desc(due_local)},
        "sub_title_text": messaging.shorten(head + hop.text, 300),
        "horizontal_content_list": rows,
        "task_id": hop.card_task_id,
        "button_list": [
            {"text": messaging.BUTTON_TEXTS[action], "style": style, "key": f"{action}:{hop.id}"}
            for action, style in (("approve", 1), ("reject", 2), ("edit", 3))
        ],
    }


def card_to_steward(*, session: Session, item: Item, hop: Hop, userid: str, card: dict[str, Any], now: datetime) -> int | None:
    return enqueue(
        session=session, purpose="card", channel="app", target=userid,
        payload={"msgtype": "template_card", "card": card}, now=now, item_id=item.id, hop_id=hop.id,
    )


def card_update(*, session: Session, hop: Hop, userid: str, response_code: str, replace_name: str, now: datetime) -> int | None:
    """Replace the card's buttons with who decided; one per hop, whichever code comes first."""
    if not response_code or not userid:
        return None
    return enqueue(
        session=session, purpose="card_update", channel="app", target=userid,
        payload={"msgtype": "update_card", "response_code": response_code, "replace_name": replace_name},
        now=now, item_id=hop.item_id, hop_id=hop.id,
    )
