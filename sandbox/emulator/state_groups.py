"""EmulatorState's hooks for customer groups, robot placement and OA assets (the phone side's calls).

A mixin: the attributes (lock, directory, chats, customer_groups, robot_groups, mp_assets, now)
live on EmulatorState / Stores.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from sandbox.emulator.customer_groups import JOIN_INVITED, CustomerGroups, GroupError, MemberChange
from sandbox.emulator.mp_assets import Media, MpAssets, QrCode

if TYPE_CHECKING:
    from sandbox.emulator.directory import Directory


class CustomerGroupHooks:
    lock: threading.RLock
    directory: Directory
    chats: dict
    customer_groups: CustomerGroups
    robot_groups: dict[str, str]
    mp_assets: MpAssets
    now: Callable[[], float]

    def bind_robot(self, key: str, chat_id: str) -> None:
        """Put robot `key` in group `chat_id`; refused for a customer group (§2.5: external groups
        offer no "add robot")."""
        with self.lock:
            if key not in self.directory.robots:
                raise LookupError(f"no robot {key}")
            if chat_id in self.customer_groups.groups:
                raise GroupError(93008, f"{chat_id} is a customer group: robots cannot be added to it")
            self.robot_groups[key] = chat_id

    # -- customer groups (the phone side of 客户群) -------------------------------------------
    def seed_customer_group(
        self,
        *,
        name: str,
        owner: str,
        chat_id: str | None = None,
        staff: list[str] | None = None,
        externals: list[dict] | None = None,
        notice: str = "",
    ) -> dict:
        """A customer group an owner created on the phone; owner and staff must be corp members (40003)."""
        with self.lock:
            people = [owner, *(staff or [])]
            known = [self.directory.user(u) for u in people]
            strangers = [u for u, k in zip(people, known, strict=True) if k is None]
            if strangers:
                raise GroupError(40003, f"not corp members: {strangers}")
            if chat_id and chat_id in self.chats:
                raise GroupError(86215, f"{chat_id} is an appchat")
            group = self.customer_groups.seed(
                name=name,
                owner=str(known[0]),
                now=self.now(),
                chat_id=chat_id,
                staff=[str(k) for k in known[1:]],
                externals=externals or [],
                notice=notice,
            )
            return group.info(need_name=True)

    def join_customer_group(
        self,
        *,
        external: dict,
        chat_id: str | None = None,
        join_link: str | None = None,
        invitor: str | None = None,
    ) -> MemberChange:
        """An external contact joins: by scanning a join QR (`join_link`) or invited into `chat_id`."""
        with self.lock:
            if join_link:
                return self.customer_groups.join_by_link(link=join_link, external=external, now=self.now())
            if not chat_id:
                raise GroupError(40058, "chat_id or join_link required")
            group = self.customer_groups.get(chat_id)
            return self.customer_groups.join(
                chat_id=chat_id,
                external=external,
                now=self.now(),
                scene=JOIN_INVITED,
                invitor=invitor or group.owner,
            )

    def leave_customer_group(self, *, chat_id: str, userid: str, removed: bool = False) -> MemberChange:
        with self.lock:
            return self.customer_groups.leave(chat_id=chat_id, userid=userid, removed=removed)

    def customer_group(self, chat_id: str) -> dict | None:
        with self.lock:
            group = self.customer_groups.groups.get(chat_id)
            return None if group is None else group.info(need_name=True)

    # -- Official Account assets (the phone side scans and views them) ------------------------
    def mp_qrcode_by_url(self, url: str) -> QrCode | None:
        with self.lock:
            return self.mp_assets.by_url(url)

    def mp_media(self, media_id: str) -> Media | None:
        with self.lock:
            return self.mp_assets.media.get(media_id)
