"""Customer groups (客户群) and their "join group" QR configs: the registry behind externalcontact/groupchat/*.

A customer group is an external group owned by a corp member; residents and employers join it from
personal WeChat. Its members are staff (type 1) and external contacts (type 2, `wm…` ids). Facts:
- groupchat/get shape (D-92122, copy read at D-96338): chat_id, name, owner, create_time, notice,
  member_list[{userid, type, unionid?, join_time, join_scene, invitor{userid}, group_nickname, name,
  state?}], admin_list[{userid}], member_version. join_scene: 1 invited directly, 2 invite link,
  3 scanned the group QR. `state` is the join way's state the member came through (D-99547).
- add_join_way (D-99546, wecom-platform.md §2.6): scene 1 mini-program / 2 QR, chat_id_list of 1-5
  customer groups, state ≤30 chars, remark ≤30, room_base_name ≤40; qr_code only for scene 2.
- change_external_chat (D-92130, §1.8) carries ids and counts only; the event's JoinScene is 0 for
  an invitation (direct or link) and 3 for a QR scan; QuitScene 0 left, 1 removed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from sandbox.emulator.errors import ApiError
from sandbox.emulator.ids import random_alnum

STAFF, EXTERNAL = 1, 2
JOIN_INVITED, JOIN_LINK, JOIN_QR = 1, 2, 3
# The event's JoinScene differs from groupchat/get's join_scene (§1.8): 0 invited, 3 QR.
EVENT_JOIN_SCENE = {JOIN_INVITED: 0, JOIN_LINK: 0, JOIN_QR: 3}
MAX_JOIN_WAY_CHATS = 5
MAX_STATE, MAX_REMARK, MAX_ROOM_BASE_NAME = 30, 30, 40
# A customer group holds at most 500 members (WeCom 客户群 limit; a QR config with
# auto_create_room=1 would open a new group when full — not emulated, the join is refused instead).
MAX_MEMBERS = 500
JOIN_LINK_BASE = "https://work.weixin.qq.com/gm/"


class GroupError(ApiError):
    """A refusal with the platform's errcode (answered like any API error)."""


def new_chat_id() -> str:
    """A customer-group id in WeCom's style (`wr` + 30 characters, D-92122 example)."""
    return random_alnum(30, "wr")


def new_external_userid() -> str:
    return random_alnum(30, "wm")


@dataclass
class GroupMember:
    userid: str
    type: int
    join_time: int
    join_scene: int
    invitor: str | None = None
    name: str = ""
    group_nickname: str = ""
    state: str = ""
    unionid: str = ""

    def info(self, *, need_name: bool) -> dict:
        item: dict = {
            "userid": self.userid,
            "type": self.type,
            "join_time": self.join_time,
            "join_scene": self.join_scene,
            "group_nickname": self.group_nickname,
        }
        if self.type == EXTERNAL and self.unionid:
            item["unionid"] = self.unionid
        if self.invitor:
            item["invitor"] = {"userid": self.invitor}
        if self.state:
            item["state"] = self.state
        if need_name:
            item["name"] = self.name
        return item


@dataclass
class CustomerGroup:
    chat_id: str
    name: str
    owner: str
    create_time: int
    notice: str = ""
    members: list[GroupMember] = field(default_factory=list)
    admins: list[str] = field(default_factory=list)

    def member(self, userid: str) -> GroupMember | None:
        return next((m for m in self.members if m.userid == userid), None)

    @property
    def member_version(self) -> str:
        """A hash of the membership, as WeCom's member_version / CurMemVer (D-92130)."""
        ids = "|".join(sorted(m.userid for m in self.members))
        return hashlib.md5(ids.encode()).hexdigest()

    @property
    def has_external(self) -> bool:
        return any(m.type == EXTERNAL for m in self.members)

    def info(self, *, need_name: bool) -> dict:
        return {
            "chat_id": self.chat_id,
            "name": self.name,
            "owner": self.owner,
            "create_time": self.create_time,
            "notice": self.notice,
            "member_list": [m.info(need_name=need_name) for m in self.members],
            "admin_list": [{"userid": a} for a in self.admins],
            "member_version": self.member_version,
        }


@dataclass
class JoinWay:
    config_id: str
    scene: int
    chat_id_list: list[str]
    state: str = ""
    remark: str = ""
    auto_create_room: int = 1
    room_base_name: str = ""
    room_base_id: int = 0
    mark_source: bool = True
    link_token: str = field(default_factory=lambda: random_alnum(24))

    @property
    def join_link(self) -> str:
        """What the QR image encodes: scanning it in WeChat opens the join page."""
        return JOIN_LINK_BASE + self.link_token

    def info(self, qr_code_url: str | None) -> dict:
        item = {
            "config_id": self.config_id,
            "scene": self.scene,
            "remark": self.remark,
            "auto_create_room": self.auto_create_room,
            "room_base_name": self.room_base_name,
            "room_base_id": self.room_base_id,
            "chat_id_list": list(self.chat_id_list),
            "state": self.state,
            "mark_source": self.mark_source,
        }
        if self.scene == 2 and qr_code_url:
            item["qr_code"] = qr_code_url
        return item


@dataclass
class MemberChange:
    """What one join or leave changed: the fields of the change_external_chat event."""

    chat_id: str
    detail: str  # add_member | del_member
    userids: list[str]
    last_version: str
    current_version: str
    join_scene: int | None = None
    quit_scene: int | None = None

    def event_fields(self) -> dict:
        fields: dict = {"ChatId": self.chat_id, "ChangeType": "update", "UpdateDetail": self.detail}
        if self.join_scene is not None:
            fields["JoinScene"] = EVENT_JOIN_SCENE[self.join_scene]
        if self.quit_scene is not None:
            fields["QuitScene"] = self.quit_scene
        fields["MemChangeCnt"] = len(self.userids)
        fields["MemChangeList"] = list(self.userids)
        fields["LastMemVer"] = self.last_version
        fields["CurMemVer"] = self.current_version
        return fields


class CustomerGroups:
    """All customer groups of the corp and its join-way configs. Not thread-safe: EmulatorState locks."""

    def __init__(self) -> None:
        self.groups: dict[str, CustomerGroup] = {}
        self.join_ways: dict[str, JoinWay] = {}

    # -- groups ----------------------------------------------------------------------------
    def seed(
        self,
        *,
        name: str,
        owner: str,
        now: float,
        chat_id: str | None = None,
        staff: list[str] = (),  # type: ignore[assignment]
        externals: list[dict] = (),  # type: ignore[assignment]
        notice: str = "",
    ) -> CustomerGroup:
        """A group created on a phone by `owner` (a corp member, checked by the caller)."""
        chat_id = chat_id or new_chat_id()
        if chat_id in self.groups:
            raise GroupError(86215, f"customer group {chat_id} already exists")
        group = CustomerGroup(chat_id=chat_id, name=name, owner=owner, create_time=int(now), notice=notice)
        group.members.append(GroupMember(owner, STAFF, int(now), JOIN_INVITED))
        for userid in staff:
            if userid != owner:
                group.members.append(GroupMember(userid, STAFF, int(now), JOIN_INVITED, invitor=owner))
        for ext in externals:
            group.members.append(self._external(ext, now=now, scene=JOIN_INVITED, invitor=owner))
        self.groups[chat_id] = group
        return group

    def get(self, chat_id: str) -> CustomerGroup:
        group = self.groups.get(chat_id)
        if group is None:
            raise GroupError(40050, f"chatid {chat_id} not found")
        return group

    def join(
        self,
        *,
        chat_id: str,
        external: dict,
        now: float,
        scene: int,
        invitor: str | None = None,
        state: str = "",
    ) -> MemberChange:
        group = self.get(chat_id)
        if len(group.members) >= MAX_MEMBERS:
            raise GroupError(40058, f"customer group {chat_id} is full ({MAX_MEMBERS} members)")
        member = self._external(external, now=now, scene=scene, invitor=invitor, state=state)
        if group.member(member.userid):
            raise GroupError(40058, f"{member.userid} is already in {chat_id}")
        before = group.member_version
        group.members.append(member)
        return MemberChange(
            chat_id, "add_member", [member.userid], before, group.member_version, join_scene=scene
        )

    def join_by_link(self, *, link: str, external: dict, now: float) -> MemberChange:
        """A WeChat user scanned a join way's QR: the first of its groups with room joins (§2.6)."""
        way = self.way_for_link(link)
        for chat_id in way.chat_id_list:
            group = self.groups.get(chat_id)
            if group is not None and len(group.members) < MAX_MEMBERS:
                return self.join(
                    chat_id=chat_id,
                    external=external,
                    now=now,
                    scene=JOIN_QR,
                    invitor=group.owner,
                    state=way.state,
                )
        raise GroupError(40058, "every group of this QR code is full or gone")

    def leave(self, *, chat_id: str, userid: str, removed: bool = False) -> MemberChange:
        group = self.get(chat_id)
        member = group.member(userid)
        if member is None or userid == group.owner:
            raise GroupError(40058, f"{userid} cannot leave {chat_id}")
        before = group.member_version
        group.members.remove(member)
        return MemberChange(
            chat_id, "del_member", [userid], before, group.member_version, quit_scene=1 if removed else 0
        )

    def _external(
        self, ext: dict, *, now: float, scene: int, invitor: str | None, state: str = ""
    ) -> GroupMember:
        return GroupMember(
            userid=ext.get("external_userid") or new_external_userid(),
            type=EXTERNAL,
            join_time=int(now),
            join_scene=scene,
            invitor=invitor,
            name=ext.get("name", ""),
            group_nickname=ext.get("group_nickname", ""),
            state=state,
            unionid=ext.get("unionid", ""),
        )

    # -- join ways ---------------------------------------------------------------------------
    def add_join_way(self, body: dict) -> JoinWay:
        way = JoinWay(config_id=secrets.token_hex(16), **self._join_way_fields(body, None))
        self.join_ways[way.config_id] = way
        return way

    def update_join_way(self, body: dict) -> JoinWay:
        way = self.join_way(body.get("config_id"))
        for key, value in self._join_way_fields(body, way).items():
            setattr(way, key, value)
        return way

    def join_way(self, config_id: object) -> JoinWay:
        way = self.join_ways.get(str(config_id or ""))
        if way is None:
            # No dedicated errcode for an unknown config_id was found in D-90313; 40058 (invalid parameter).
            raise GroupError(40058, f"invalid config_id {config_id!r}")
        return way

    def way_for_link(self, link: str) -> JoinWay:
        token = link.removeprefix(JOIN_LINK_BASE)
        way = next((w for w in self.join_ways.values() if w.link_token == token), None)
        if way is None:
            raise GroupError(40058, "this join QR code is no longer valid")
        return way

    def _join_way_fields(self, body: dict, current: JoinWay | None) -> dict:
        scene = body.get("scene", current.scene if current else None)
        if scene not in (1, 2):
            raise GroupError(40058, "scene must be 1 (mini program) or 2 (QR code)")
        chats = body.get("chat_id_list", current.chat_id_list if current else None)
        if not isinstance(chats, list) or not 1 <= len(chats) <= MAX_JOIN_WAY_CHATS:
            raise GroupError(40058, f"chat_id_list needs 1-{MAX_JOIN_WAY_CHATS} customer group ids")
        for chat_id in chats:
            self.get(str(chat_id))  # 40050: only this corp's customer groups
        fields = {"scene": scene, "chat_id_list": [str(c) for c in chats]}
        for key, limit in (
            ("state", MAX_STATE),
            ("remark", MAX_REMARK),
            ("room_base_name", MAX_ROOM_BASE_NAME),
        ):
            value = body.get(key, getattr(current, key) if current else "")
            if not isinstance(value, str) or len(value) > limit:
                raise GroupError(40058, f"{key} is at most {limit} characters")
            fields[key] = value
        fields["auto_create_room"] = int(
            body.get("auto_create_room", current.auto_create_room if current else 1)
        )
        fields["room_base_id"] = int(body.get("room_base_id", current.room_base_id if current else 0) or 0)
        fields["mark_source"] = bool(body.get("mark_source", current.mark_source if current else True))
        return fields
