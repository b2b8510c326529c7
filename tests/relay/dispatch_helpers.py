"""Helpers for the dispatcher tests: an org with many groups, outbox rows, the emulator and clients."""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from app.org.models import ChatGroup, Node, Staff
from app.outbound.store import SqlTokenStore
from relay.channels import ChannelConfig, Channels
from relay.dispatcher import Dispatcher, DispatcherConfig
from relay.models import Delivery, DeliveryAttempt, Item
from relay.pacing import Pacer
from sandbox.emulator import EmulatorConfig, EmulatorServer

MEMBERS = ["head01", "hr01"]  # every test appchat group has these two members (§2.4: 2-500)
OFFICER = "officer01"


class FastClock:
    """The client's clock with sleeps shortened 50×: back-off keeps its shape, tests stay fast."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds / 50)


def emulator_config(**overrides: object) -> EmulatorConfig:
    return EmulatorConfig(users=[*MEMBERS, OFFICER], **overrides)  # type: ignore[arg-type]


def start_emulator(**overrides: object) -> EmulatorServer:
    return EmulatorServer(emulator_config(**overrides)).start()


def make_channels(emu: EmulatorServer, factory: sessionmaker[Session], *, fast: bool = True,
                  timeout: float = 10.0) -> Channels:
    cfg = emu.config
    return Channels(ChannelConfig(corp_id=cfg.corp_id, agent_id=cfg.agent_id, secret=cfg.secret,
                                  wecom_api_base=emu.wecom_api_base, mp_app_id=cfg.mp_app_id,
                                  mp_app_secret=cfg.mp_app_secret, mp_api_base=emu.mp_api_base,
                                  timeout=timeout),
                    token_store=SqlTokenStore(factory), clock=FastClock() if fast else None)


def make_dispatcher(factory: sessionmaker[Session], channels: Channels, journal: Path, *,
                    pacer: Pacer | None = None, **config: object) -> Dispatcher:
    settings = {"backoff_base": 0.05, "backoff_cap": 0.5, "idle_sleep": 0.05, "journal_dir": str(journal),
                **config}
    return Dispatcher(session_factory=factory, channels=channels, pacer=pacer,
                      config=DispatcherConfig(**settings))  # type: ignore[arg-type]


# Resident groups may receive posts at any hour: these tests are about delivery, and run at any
# time of day (the dispatcher holds posts in a village's quiet hours, relay/quiet.py).
ALWAYS_OPEN = {"service_hours": "00:00-00:00"}


def make_org(session: Session, *, villages: int, channel: str = "appchat", always_open: bool = True) -> dict[str, int]:
    """District (with the officer) → one township → `villages` villages, one resident group each.

    Returns chat address → group id; addresses are chat0001... (robot keys for channel='robot').
    """
    district = Node(code="d", kind="district", name="测试区", overrides=dict(ALWAYS_OPEN) if always_open else {})
    town = Node(code="d-t", kind="township", name="甲镇", parent=district, overrides={})
    session.add_all([district, town])
    session.flush()
    session.add(Staff(userid=OFFICER, name="区信息员", role="district_officer", node_id=district.id))
    nodes = [Node(code=f"d-t-{i:04d}", kind="village", name=f"村{i}", parent_id=town.id, overrides={})
             for i in range(1, villages + 1)]
    session.add_all(nodes)
    session.flush()
    groups = [ChatGroup(node_id=n.id, purpose="residents", name=f"{n.name}群众求职群", channel=channel,
                        address=f"chat{i:04d}") for i, n in enumerate(nodes, 1)]
    session.add_all(groups)
    session.flush()
    item = Item(kind="job", origin_node_id=district.id, masked_text="招聘叉车工2名")
    session.add(item)
    session.commit()
    return {g.address: g.id for g in groups} | {"__item__": item.id, "__district__": district.id}


def create_chats(channels: Channels, chatids: Iterable[str]) -> None:
    """appchat/create through the client: the emulator answers 86008 for chats the app did not create."""
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda c: channels.wecom.appchat.create(name=c, userlist=MEMBERS, chatid=c), chatids))


def queue(session: Session, rows: list[dict]) -> None:
    """Outbox rows in the given order (ids ascending); each dict: channel, target, payload, ..."""
    now = datetime.now(UTC)
    values = []
    for row in rows:
        purpose = row.get("purpose", "relay")
        values.append({"purpose": purpose, "status": "queued", "not_before": now, "next_attempt_at": now,
                       "attempts": 0, "last_error": "", "claimed_by": "", "msgid": "", "created_at": now,
                       "dedupe_key": row.get("dedupe_key") or f"{purpose}:{row.get('item_id')}:-:"
                                                             f"{row['channel']}:{row['target']}:{len(values)}",
                       **row})
    session.execute(insert(Delivery), values)
    session.commit()


def text(content: str) -> dict:
    return {"msgtype": "text", "content": content}


def errcodes(session: Session) -> list[int]:
    return list(session.scalars(select(DeliveryAttempt.errcode)))


def statuses(session: Session) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in session.scalars(select(Delivery.status)):
        counts[status] = counts.get(status, 0) + 1
    return counts
