"""Interactive template cards: task ids, response codes, clicks and updates (§1.8, §2.2, §2.3)."""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass, field

from sandbox.emulator.errors import ApiError

# Card types whose send answer carries a response_code (§2.2).
INTERACTIVE = frozenset({"button_interaction", "vote_interaction", "multiple_interaction"})
# The invalid-response_code errcode is not documented; 40058 ("invalid parameter") is our choice.
BAD_CODE = 40058


@dataclass
class Card:
    task_id: str
    card_type: str
    card: dict
    msgid: str
    recipients: dict[str, dict] = field(default_factory=dict)  # lower userid -> inbox entry


@dataclass
class ResponseCode:
    code: str
    task_id: str
    userid: str | None  # None: the code from the message/send answer
    expires_at: float
    used: bool = False


class CardStore:
    def __init__(self) -> None:
        self.cards: dict[str, Card] = {}
        self.codes: dict[str, ResponseCode] = {}

    def has_task(self, task_id: str) -> bool:
        return task_id in self.cards

    def add(self, card: Card) -> None:
        self.cards[card.task_id] = card

    def issue_code(self, *, task_id: str, userid: str | None, now: float, ttl: float) -> str:
        code = secrets.token_urlsafe(24)
        self.codes[code] = ResponseCode(code, task_id, userid, now + ttl)
        return code

    def click(self, *, userid: str, task_id: str, key: str, now: float, ttl: float) -> dict:
        """A member presses a button: check it is on their card and live, issue the event's code."""
        card = self.cards.get(task_id)
        if card is None:
            raise LookupError(f"no card with task_id {task_id!r}")
        entry = card.recipients.get(userid.lower())
        if entry is None:
            raise LookupError(f"{userid!r} did not receive card {task_id!r}")
        if entry["card_state"]["disabled"]:
            raise LookupError(f"the buttons of card {task_id!r} are disabled for {userid!r}")
        keys = [b.get("key") for b in entry["card"].get("button_list", [])]
        if key not in keys:
            raise LookupError(f"card {task_id!r} has no button with key {key!r}")
        code = self.issue_code(task_id=task_id, userid=entry["userid"], now=now, ttl=ttl)
        entry.setdefault("clicks", []).append({"key": key, "time": now, "response_code": code})
        return {
            "response_code": code,
            "card_type": card.card_type,
            "task_id": task_id,
            "userid": entry["userid"],
        }

    def check_code(self, code: str, *, now: float) -> tuple[ResponseCode, Card]:
        """The live code and its card (§2.3); unknown, used and expired codes fail alike."""
        record = self.codes.get(code)
        if record is None:
            raise ApiError(BAD_CODE, "invalid response_code")
        if record.used:
            raise ApiError(BAD_CODE, "response_code has been used")
        if now >= record.expires_at:
            raise ApiError(BAD_CODE, "response_code expired")
        return record, self.cards[record.task_id]

    def update(self, card: Card, userids: list[str], *, change: dict, code: str, now: float) -> None:
        """Spend `code` and record the update on each target's copy of the card, keeping the history."""
        self.codes[code].used = True
        for userid in userids:
            entry = card.recipients[userid.lower()]
            if "template_card" in change:
                entry["card"] = copy.deepcopy(change["template_card"])
                entry["card_state"] = {"disabled": False, "replace_name": None}
            else:
                entry["card_state"] = {"disabled": True, "replace_name": change["replace_name"]}
            entry["updates"].append({"time": now, "response_code": code, **copy.deepcopy(change)})

    def describe(self, task_id: str) -> dict | None:
        card = self.cards.get(task_id)
        if card is None:
            return None
        return {
            "task_id": card.task_id,
            "card_type": card.card_type,
            "msgid": card.msgid,
            "card": copy.deepcopy(card.card),
            "recipients": {
                e["userid"]: {
                    "card": copy.deepcopy(e["card"]),
                    "card_state": dict(e["card_state"]),
                    "updates": copy.deepcopy(e["updates"]),
                    "clicks": copy.deepcopy(e.get("clicks", [])),
                }
                for e in card.recipients.values()
            },
        }
