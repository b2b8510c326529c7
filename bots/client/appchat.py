"""App-created internal group chats: appchat/create, appchat/update, appchat/send (§2.4).

Bodies are built by wechatpy's `WeChatAppChat`, bound to our session. appchat/send has no
template_card (§2.4): approval cards go to people through message/send.
"""

from __future__ import annotations

from collections.abc import Sequence

from wechatpy.enterprise.client.api import WeChatAppChat

from .limits import MessageKind, send_in_parts
from .results import ChatResult, Delivered
from .session import ApiSession


class AppChatApi:
    """Group chats owned by one WeCom app; other apps' chats answer 86008."""

    def __init__(self, session: ApiSession) -> None:
        self._wechatpy = WeChatAppChat(session)

    def create(
        self, *, name: str, userlist: Sequence[str], owner: str | None = None, chatid: str | None = None
    ) -> ChatResult:
        """A new chat of 2-500 members; WeCom picks a random chatid and owner when not given."""
        if not 2 <= len(userlist) <= 500:
            raise ValueError("an appchat has 2 to 500 members")
        answer = self._wechatpy.create(chat_id=chatid, name=name, owner=owner, user_list=list(userlist))
        return ChatResult(chatid=str(answer["chatid"]))

    def update(
        self,
        *,
        chatid: str,
        name: str | None = None,
        owner: str | None = None,
        add_user_list: Sequence[str] = (),
        del_user_list: Sequence[str] = (),
    ) -> None:
        self._wechatpy.update(
            chat_id=chatid,
            name=name,
            owner=owner,
            add_user_list=list(add_user_list) or None,
            del_user_list=list(del_user_list) or None,
        )

    def send_text(self, *, chatid: str, content: str, safe: bool = False) -> Delivered:
        """Text over 2048 bytes goes out as several messages, in order."""
        return self._send_long(chatid, "text", "appchat_text", content, safe)

    def send_markdown(self, *, chatid: str, content: str) -> Delivered:
        return self._send_long(chatid, "markdown", "appchat_markdown", content, False)

    def _send_long(self, chatid: str, msgtype: str, kind: MessageKind, content: str, safe: bool) -> Delivered:
        # wechatpy copies every keyword of a markdown message into the markdown object, so `safe`
        # is passed for text only.
        options = {"safe": int(safe)} if msgtype == "text" else {}

        def send_part(part: str) -> None:
            self._wechatpy.send(chatid, msgtype, content=part, **options)

        return Delivered(parts=len(send_in_parts(content, kind=kind, send=send_part)))
