"""What a successful call returns: small typed records instead of raw JSON (wecom-platform.md §2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _ids(value: Any) -> tuple[str, ...]:
    """message/send lists ids as "a|b" (§2.2), update_template_card as an array (§2.3)."""
    if not value:
        return ()
    if isinstance(value, str):
        return tuple(part for part in value.split("|") if part)
    return tuple(str(part) for part in value)


@dataclass(frozen=True)
class MessageResult:
    """One accepted message/send. Recipients in `invalid_users` etc. did not get it (lower-cased)."""

    msgid: str
    invalid_users: tuple[str, ...] = ()
    invalid_parties: tuple[str, ...] = ()
    invalid_tags: tuple[str, ...] = ()
    unlicensed_users: tuple[str, ...] = ()
    response_code: str | None = None  # only for interactive cards: needed to update the card

    @classmethod
    def from_answer(cls, answer: dict[str, Any]) -> MessageResult:
        return cls(
            msgid=str(answer.get("msgid", "")),
            invalid_users=_ids(answer.get("invaliduser")),
            invalid_parties=_ids(answer.get("invalidparty")),
            invalid_tags=_ids(answer.get("invalidtag")),
            unlicensed_users=_ids(answer.get("unlicenseduser")),
            response_code=answer.get("response_code") or None,
        )


@dataclass(frozen=True)
class CardUpdateResult:
    invalid_users: tuple[str, ...] = ()

    @classmethod
    def from_answer(cls, answer: dict[str, Any]) -> CardUpdateResult:
        return cls(invalid_users=_ids(answer.get("invaliduser")))


@dataclass(frozen=True)
class ChatResult:
    """appchat/create: the id of the new group chat."""

    chatid: str


@dataclass(frozen=True)
class Delivered:
    """A send whose API returns no message id (appchat/send, webhook/send, OA custom/send)."""

    parts: int  # how many messages the text became (see limits.split_text)
