"""The button_interaction template card (wecom-platform.md §2.2), used by message/send and by the
full-card form of message/update_template_card (§2.3)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_TASK_ID = re.compile(r"[0-9A-Za-z_\-@]{1,128}")  # §2.2: digits, letters, _-@, ≤128 bytes


@dataclass(frozen=True)
class CardButton:
    text: str  # WeCom suggests ≤10 characters
    key: str  # comes back as EventKey in template_card_event (§1.8); ≤1024 bytes
    style: int = 1  # 1-4


@dataclass(frozen=True)
class CardField:
    """One row of horizontal_content_list."""

    keyname: str
    value: str


@dataclass(frozen=True)
class ButtonCard:
    """A button_interaction card. `task_id` is unique per app and comes back as TaskId on click."""

    task_id: str
    title: str
    buttons: tuple[CardButton, ...]
    description: str = ""
    sub_title_text: str = ""
    fields: tuple[CardField, ...] = field(default=())
    source_desc: str = ""

    def __post_init__(self) -> None:
        if not _TASK_ID.fullmatch(self.task_id):
            raise ValueError(f"task_id must be 1-128 of [0-9A-Za-z_-@]: {self.task_id!r}")
        if not 1 <= len(self.buttons) <= 6:
            raise ValueError("a button_interaction card has 1 to 6 buttons")
        if len(self.fields) > 6:
            raise ValueError("horizontal_content_list holds at most 6 rows")
        if len({button.key for button in self.buttons}) != len(self.buttons):
            raise ValueError("button keys must be unique")
        for button in self.buttons:
            if len(button.key.encode("utf-8")) > 1024 or not 1 <= button.style <= 4:
                raise ValueError(f"bad button {button!r}: key ≤1024 bytes, style 1-4")

    def to_payload(self) -> dict[str, Any]:
        card: dict[str, Any] = {
            "card_type": "button_interaction",
            "main_title": {"title": self.title, **({"desc": self.description} if self.description else {})},
            "button_list": [{"text": b.text, "style": b.style, "key": b.key} for b in self.buttons],
            "task_id": self.task_id,
        }
        if self.source_desc:
            card["source"] = {"desc": self.source_desc}
        if self.sub_title_text:
            card["sub_title_text"] = self.sub_title_text
        if self.fields:
            card["horizontal_content_list"] = [{"keyname": f.keyname, "value": f.value} for f in self.fields]
        return card
