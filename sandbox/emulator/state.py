"""All emulator state behind one lock, with the control/inspection methods tests call directly."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from sandbox.emulator.cards import CardStore
from sandbox.emulator.config import EmulatorConfig, FaultConfig
from sandbox.emulator.customer_groups import CustomerGroups
from sandbox.emulator.directory import Directory
from sandbox.emulator.errors import ApiError, mp_errmsg, wecom_errmsg
from sandbox.emulator.faults import Decision, FaultInjector
from sandbox.emulator.group_msgs import GroupMsgs
from sandbox.emulator.inbox import Counters, Inbox
from sandbox.emulator.mp_assets import MpAssets
from sandbox.emulator.ratelimit import SlidingWindow
from sandbox.emulator.state_groups import CustomerGroupHooks
from sandbox.emulator.tokens import TokenStore


@dataclass
class Chat:
    """An appchat group; `ours` is False for chats another app created (→ 86008, §2.4)."""

    chatid: str
    name: str
    owner: str
    userlist: list[str]
    ours: bool = True

    def info(self) -> dict:
        return {
            "chatid": self.chatid,
            "name": self.name,
            "owner": self.owner,
            "userlist": list(self.userlist),
            "chat_type": 0,
        }


@dataclass
class MpWindow:
    """One customer-service window opened by a user interaction (§4.3)."""

    kind: str
    expires_at: float
    quota: int
    used: int = 0


@dataclass
class Stores:
    directory: Directory = field(default_factory=Directory)
    wecom_tokens: TokenStore = field(default_factory=TokenStore)
    mp_tokens: TokenStore = field(default_factory=TokenStore)
    inbox: Inbox = field(default_factory=Inbox)
    counters: Counters = field(default_factory=Counters)
    cards: CardStore = field(default_factory=CardStore)
    chats: dict[str, Chat] = field(default_factory=dict)
    duplicates: dict[str, tuple[float, dict]] = field(default_factory=dict)
    mp_windows: dict[str, list[MpWindow]] = field(default_factory=dict)
    aibot_codes: dict[str, dict] = field(default_factory=dict)
    oauth_codes: dict[str, dict] = field(default_factory=dict)  # web OAuth (routes_oauth.py)
    customer_groups: CustomerGroups = field(default_factory=CustomerGroups)
    robot_groups: dict[str, str] = field(default_factory=dict)  # webhook key → the group it sits in
    mp_assets: MpAssets = field(default_factory=MpAssets)
    group_msgs: GroupMsgs = field(default_factory=GroupMsgs)  # 企业群发 tasks (routes_msg_template.py)


class EmulatorState(Stores, CustomerGroupHooks):
    """Thread-safe: every public method takes `lock`; route handlers hold it for a whole call."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.lock = threading.RLock()
        self._clock_offset = 0.0
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget everything except the configuration (users, robots and followers from config stay)."""
        with self.lock:
            cfg = self.config
            Stores.__init__(self)
            self._clock_offset = 0.0
            self.directory.add_users(cfg.users)
            self.directory.robots.update(cfg.robots)
            self.directory.add_followers(cfg.followers)
            self.member_minute = SlidingWindow(limit=cfg.member_per_minute, seconds=60)
            self.member_hour = SlidingWindow(limit=cfg.member_per_hour, seconds=3600)
            self.robot_minute = SlidingWindow(limit=cfg.robot_per_minute, seconds=60)
            self.appchat_minute = SlidingWindow(limit=cfg.appchat_member_per_minute, seconds=60)
            self.faults = FaultInjector(cfg.faults)
            self.group_msgs = GroupMsgs(daily_quota=cfg.group_msg_daily_quota)
            self._msgid = 0

    def now(self) -> float:
        return self.config.clock() + self._clock_offset

    def advance_clock(self, seconds: float) -> float:
        """Move emulator time forward (for a server in another process, where no clock can be passed)."""
        with self.lock:
            self._clock_offset += seconds
            return self.now()

    def next_msgid(self) -> str:
        with self.lock:
            self._msgid += 1
            return f"emu{self._msgid:012d}"

    # -- directory -------------------------------------------------------------------------
    def register_users(self, userids: list[str]) -> None:
        with self.lock:
            self.directory.add_users(userids)

    def register_party(self, party_id: str | int, userids: list[str]) -> None:
        with self.lock:
            self.directory.add_party(str(party_id), userids)

    def register_tag(self, tag_id: str | int, userids: list[str]) -> None:
        with self.lock:
            self.directory.add_tag(str(tag_id), userids)

    def register_robots(self, robots: dict[str, str]) -> None:
        """Webhook keys → robot names."""
        with self.lock:
            self.directory.robots.update(robots)

    def register_followers(self, openids: list[str], *, followed: bool = True) -> None:
        with self.lock:
            self.directory.add_followers(openids, followed=followed)

    def add_foreign_chat(self, chatid: str, userlist: list[str], *, name: str = "", owner: str = "") -> None:
        """A chat that exists but was created by another app: our calls on it get 86008 (§2.4)."""
        with self.lock:
            self.directory.add_users(userlist)
            self.chats[chatid] = Chat(chatid, name, owner or userlist[0], list(userlist), ours=False)

    # -- tokens and faults -----------------------------------------------------------------
    def invalidate_token(self, app: str = "wecom") -> str | None:
        """Revoke the live token early; the next call with it gets 40014 (MP: 40001)."""
        with self.lock:
            store = self.wecom_tokens if app == "wecom" else self.mp_tokens
            return store.invalidate()

    def current_token(self, app: str = "wecom") -> str | None:
        with self.lock:
            return (self.wecom_tokens if app == "wecom" else self.mp_tokens).current()

    def set_faults(self, faults: FaultConfig | dict | None) -> None:
        if isinstance(faults, dict):
            faults = FaultConfig(**faults)
        with self.lock:
            self.faults.configure(faults or FaultConfig())

    def decide_fault(self, endpoint: str) -> Decision:
        with self.lock:
            return self.faults.decide(endpoint)

    def record_call(self, endpoint: str, outcome: int | str) -> None:
        with self.lock:
            self.counters.record(endpoint, outcome)

    def error_body(self, endpoint: str, errcode: int, *, ip: str, detail: str = "") -> dict:
        if endpoint.startswith("mp/"):
            return {"errcode": errcode, "errmsg": mp_errmsg(errcode, detail)}
        return {"errcode": errcode, "errmsg": wecom_errmsg(errcode, ip, self.now(), detail)}

    # -- the phone side's hooks ------------------------------------------------------------
    def click_card(self, userid: str, task_id: str, key: str) -> dict:
        """A member clicks button `key` of card `task_id`: returns the ResponseCode for the event."""
        with self.lock:
            return self.cards.click(
                userid=userid, task_id=task_id, key=key, now=self.now(), ttl=self.config.response_code_ttl
            )

    def mp_interaction(self, openid: str, kind: str = "message") -> None:
        """A user acts on the Official Account, opening a customer-service window (§4.3).

        kind: "message" (5 messages / 48 h), or an event — "subscribe", "scan", "click" (3 / 1 min);
        "unsubscribe" closes every window and unfollows.
        """
        cfg = self.config
        with self.lock:
            if kind == "unsubscribe":
                self.directory.followers[openid] = False
                self.mp_windows.pop(openid, None)
                return
            if kind == "subscribe":
                self.directory.followers[openid] = True
            self.directory.followers.setdefault(openid, True)
            if kind == "message":
                window = MpWindow(kind, self.now() + cfg.mp_window_seconds, cfg.mp_window_quota)
            else:
                window = MpWindow(kind, self.now() + cfg.mp_event_window_seconds, cfg.mp_event_window_quota)
            windows = [w for w in self.mp_windows.get(openid, []) if w.kind != window.kind]
            self.mp_windows[openid] = windows + [window]

    def issue_aibot_code(self, userid: str, chatid: str = "") -> str:
        """A response_url code for one AI-bot callback: one use, valid 1 h (§5.3)."""
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.aibot_codes[code] = {
                "userid": userid,
                "chatid": chatid,
                "used": False,
                "expires_at": self.now() + 3600,
            }
        return code

    def use_mp_window(self, openid: str, now: float) -> None:
        """Spend one message of an open window; 45015 outside every window, 45047 when used up."""
        windows = [w for w in self.mp_windows.get(openid, []) if now < w.expires_at]
        self.mp_windows[openid] = windows
        if not windows:
            raise ApiError(45015)
        for window in windows:
            if window.used < window.quota:
                window.used += 1
                return
        raise ApiError(45047)

    # -- inspection ------------------------------------------------------------------------
    def received(self, target: str | None = None) -> list[dict]:
        """Entries delivered to `target` ("user:u1", "appchat:c1", "robot:KEY", "openid:o1", "aibot:c1")."""
        with self.lock:
            return self.inbox.received(target)

    def targets(self) -> dict[str, dict]:
        with self.lock:
            return self.inbox.targets()

    def counters_snapshot(self) -> dict:
        with self.lock:
            return self.counters.snapshot()

    def card(self, task_id: str) -> dict | None:
        with self.lock:
            return self.cards.describe(task_id)

    def chat(self, chatid: str) -> dict | None:
        with self.lock:
            chat = self.chats.get(chatid)
            return None if chat is None else {**chat.info(), "ours": chat.ours}

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "users": sorted(self.directory.users.values()),
                "robots": dict(self.directory.robots),
                "followers": dict(self.directory.followers),
                "chats": sorted(self.chats),
                "customer_groups": sorted(self.customer_groups.groups),
                "faults": self.faults.snapshot(),
                "now": self.now(),
            }
