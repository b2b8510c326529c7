"""WeCom app messages: message/send and message/update_template_card (wecom-platform.md §2.2-2.3).

The message/send body is built by wechatpy's own `WeChatMessage.send` (bound to our session);
update_template_card is missing from wechatpy 1.8.18 (§7), so its body is built here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wechatpy.enterprise.client.api import WeChatMessage

from .cards import ButtonCard
from .limits import MessageKind, send_in_parts
from .results import CardUpdateResult, MessageResult
from .session import ApiSession


class MessageApi:
    """Messages from one WeCom app (agent) to members, departments or tags."""

    def __init__(self, session: ApiSession, *, agent_id: int) -> None:
        self._session = session
        self._agent_id = agent_id
        self._wechatpy = WeChatMessage(session)

    def send_text(
        self,
        *,
        content: str,
        touser: Sequence[str] = (),
        toparty: Sequence[str] = (),
        totag: Sequence[str] = (),
        safe: bool = False,
        enable_duplicate_check: bool = False,
        duplicate_check_interval: int | None = None,
    ) -> list[MessageResult]:
        """One result per part: text over 2048 bytes goes out as several messages, in order."""
        extra = {"safe": int(safe), **_dedupe(enable_duplicate_check, duplicate_check_interval)}
        return self._send_long("text", "app_text", content, (touser, toparty, totag), extra)

    def send_markdown(
        self,
        *,
        content: str,
        touser: Sequence[str] = (),
        toparty: Sequence[str] = (),
        totag: Sequence[str] = (),
        enable_duplicate_check: bool = False,
        duplicate_check_interval: int | None = None,
    ) -> list[MessageResult]:
        """One result per part (2048 bytes each, §2.2: not the robot's 4096)."""
        extra = _dedupe(enable_duplicate_check, duplicate_check_interval)
        return self._send_long("markdown", "app_markdown", content, (touser, toparty, totag), extra)

    def send_template_card(
        self,
        *,
        card: ButtonCard,
        touser: Sequence[str] = (),
        toparty: Sequence[str] = (),
        totag: Sequence[str] = (),
        enable_duplicate_check: bool = False,
        duplicate_check_interval: int | None = None,
    ) -> MessageResult:
        """Send an approval card; keep `response_code` to update the card later."""
        msg: dict[str, Any] = {"msgtype": "template_card", "template_card": card.to_payload()}
        msg.update(_dedupe(enable_duplicate_check, duplicate_check_interval))
        return self._send(msg, (touser, toparty, totag))

    def update_card_button(
        self,
        *,
        response_code: str,
        replace_name: str,
        userids: Sequence[str] = (),
        partyids: Sequence[int] = (),
        tagids: Sequence[int] = (),
        atall: bool = False,
    ) -> CardUpdateResult:
        """Turn the card's buttons into one disabled button reading `replace_name` (§2.3)."""
        body = self._card_update_body(response_code, userids, partyids, tagids, atall)
        body["button"] = {"replace_name": replace_name}
        return self._update(body)

    def update_card(
        self,
        *,
        response_code: str,
        card: ButtonCard,
        userids: Sequence[str] = (),
        partyids: Sequence[int] = (),
        tagids: Sequence[int] = (),
        atall: bool = False,
    ) -> CardUpdateResult:
        """Replace the whole card (§2.3, second form). A response_code works once (§1.8)."""
        body = self._card_update_body(response_code, userids, partyids, tagids, atall)
        body["template_card"] = card.to_payload()
        return self._update(body)

    def _send_long(self, msgtype: str, kind: MessageKind, content: str, targets: tuple, extra: dict) -> list:
        def send_part(part: str) -> MessageResult:
            return self._send({"msgtype": msgtype, msgtype: {"content": part}, **extra}, targets)

        return send_in_parts(content, kind=kind, send=send_part)

    def _send(self, msg: dict[str, Any], targets: tuple[Sequence[str], ...]) -> MessageResult:
        touser, toparty, totag = (_id_list(ids) for ids in targets)
        if not (touser or toparty or totag):
            raise ValueError("message/send needs touser, toparty or totag (else errcode 82001)")
        answer = self._wechatpy.send(self._agent_id, touser, toparty, totag, msg=msg)
        return MessageResult.from_answer(answer)

    def _update(self, body: dict[str, Any]) -> CardUpdateResult:
        answer = self._session.call("POST", "message/update_template_card", body=body)
        return CardUpdateResult.from_answer(answer)

    def _card_update_body(
        self,
        response_code: str,
        userids: Sequence[str],
        partyids: Sequence[int],
        tagids: Sequence[int],
        atall: bool,
    ) -> dict[str, Any]:
        if not (userids or partyids or tagids or atall):
            raise ValueError("update_template_card needs userids, partyids, tagids or atall")
        body: dict[str, Any] = {"agentid": self._agent_id, "response_code": response_code}
        if atall:
            body["atall"] = 1  # every recipient of the original card
        for name, ids in (("userids", userids), ("partyids", partyids), ("tagids", tagids)):
            if ids:
                body[name] = _id_list(ids)
        return body


def _dedupe(enabled: bool, interval: int | None) -> dict[str, int]:
    """§2.2: identical request JSON within the interval (default 1800 s, max 4 h) is not resent."""
    if not enabled:
        return {}
    if interval is not None and not 0 < interval <= 4 * 3600:
        raise ValueError("duplicate_check_interval is 1 s to 4 h")
    return {"enable_duplicate_check": 1, **({"duplicate_check_interval": interval} if interval else {})}


def _id_list(ids: str | Sequence[Any]) -> list[Any]:
    """A lone id given as a string stays one id (list("zhangsan") would spell it out)."""
    return [ids] if isinstance(ids, str) else list(ids)
