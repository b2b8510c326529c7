"""Customer groups (客户群): externalcontact/groupchat/get|list and the "join group" QR ways (§2.6).

One method per endpoint, answering the decoded JSON; errcodes go through errcodes.py like every
call (40050: no such customer group; 48002: the app is not a 客户联系 app). wechatpy 1.8.18 has no
join-way calls (wecom-platform.md §7), so bodies are built here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .session import ApiSession, Json

PREFIX = "externalcontact/groupchat/"


class GroupChatApi:
    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def get(self, *, chat_id: str, need_name: bool = False) -> Json:
        """{"group_chat": {chat_id, name, owner, member_list[…, state], admin_list, member_version}}."""
        return self._post("get", {"chat_id": chat_id, "need_name": int(need_name)})

    def list(
        self, *, limit: int = 1000, cursor: str = "", owners: Sequence[str] = (), status_filter: int = 0
    ) -> Json:
        """One page: {"group_chat_list": [{chat_id, status}], "next_cursor"?}."""
        body: dict[str, Any] = {"status_filter": status_filter, "limit": limit}
        if cursor:
            body["cursor"] = cursor
        if owners:
            body["owner_filter"] = {"userid_list": list(owners)}
        return self._post("list", body)

    def add_join_way(
        self,
        *,
        chat_id_list: Sequence[str],
        state: str = "",
        remark: str = "",
        scene: int = 2,
        auto_create_room: bool = False,
        room_base_name: str = "",
        room_base_id: int = 0,
    ) -> Json:
        """A join QR for 1-5 customer groups (scene 2 = QR code); `state` comes back per member in get()."""
        body: dict[str, Any] = {
            "scene": scene,
            "chat_id_list": list(chat_id_list),
            "state": state,
            "remark": remark,
            "auto_create_room": int(auto_create_room),
        }
        if auto_create_room:
            body.update(room_base_name=room_base_name, room_base_id=room_base_id)
        return self._post("add_join_way", body)

    def get_join_way(self, *, config_id: str) -> Json:
        """{"join_way": {config_id, scene, chat_id_list, state, qr_code (scene 2), …}}."""
        return self._post("get_join_way", {"config_id": config_id})

    def update_join_way(
        self, *, config_id: str, chat_id_list: Sequence[str], scene: int = 2, **fields: Any
    ) -> Json:
        return self._post(
            "update_join_way",
            {"config_id": config_id, "scene": scene, "chat_id_list": list(chat_id_list), **fields},
        )

    def del_join_way(self, *, config_id: str) -> Json:
        return self._post("del_join_way", {"config_id": config_id})

    def _post(self, name: str, body: Json) -> Json:
        return self._session.call("POST", PREFIX + name, body=body)
