"""Fixtures for relay tests: a two-township org on the real database, a controllable clock,
and the app's HTTP server (shared with tests/app)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from app.org.models import ChatGroup, Contact, Node, Staff
from sandbox.emulator import EmulatorServer
from tests.app.conftest import make_server, org, server  # noqa: F401  (shared fixtures)

# 2026-11-25 10:00 in Asia/Shanghai: inside service hours.
MORNING = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@dataclass
class RelayOrg:
    district: Node
    town_a: Node
    town_b: Node
    villages: dict[str, Node]


def _group(session: Session, node: Node, purpose: str, channel: str, address: str, owner: str | None = None) -> None:
    kind = {"customer_group": "customer", "manual": "manual"}.get(channel, "internal")
    session.add(ChatGroup(node_id=node.id, purpose=purpose, name=f"{node.name}{purpose}", channel=channel, address=address,
                          kind=kind, owner_userid=owner, internal_pilot=kind == "internal" and purpose == "residents"))


def make_relay_org(session: Session) -> RelayOrg:
    """District 测试区 → 甲镇 (甲一村, 甲二村) and 雁鸣湖镇 (前庄村); stewards, backups, staff, contacts."""
    district = Node(code="t", kind="district", name="测试区", overrides={})
    town_a = Node(code="t-a", kind="township", name="甲镇", parent=district, overrides={})
    town_b = Node(code="t-b", kind="township", name="雁鸣湖镇", parent=district, overrides={})
    a1 = Node(code="t-a-01", kind="village", name="甲一村", parent=town_a, overrides={})
    a2 = Node(code="t-a-02", kind="village", name="甲二村", parent=town_a, overrides={})
    b1 = Node(code="t-b-01", kind="village", name="前庄村", parent=town_b, overrides={})
    session.add_all([district, town_a, town_b, a1, a2, b1])
    session.flush()
    _group(session, district, "employers", "appchat", "chatdistrict")
    _group(session, town_a, "stewards", "appchat", "chattowna")
    _group(session, town_b, "stewards", "appchat", "chattownb")
    _group(session, a1, "residents", "robot", "robot-a1")
    _group(session, a2, "residents", "appchat", "chat-a2")
    _group(session, b1, "residents", "customer_group", "cg-b1", owner="head_b1")
    session.add_all([
        Staff(userid="officer01", name="区信息员", role="district_officer", node_id=district.id),
        Staff(userid="steward_a", name="张三", role="township_steward", node_id=town_a.id),
        Staff(userid="backup_a", name="李四", role="backup_steward", node_id=town_a.id),
        Staff(userid="steward_b", name="王五", role="township_steward", node_id=town_b.id),
        Staff(userid="head_a1", name="赵村长", role="village_head", node_id=a1.id),
        Staff(userid="hr_a1", name="钱专员", role="hr_specialist", node_id=a1.id),
        Staff(userid="head_b1", name="孙村长", role="village_head", node_id=b1.id),
        Contact(kind="resident", openid="o_res_a1", node_id=a1.id, name="王测试", phone="13912345678"),
        Contact(kind="employer", openid="o_emp_01", node_id=district.id, name="示例物流 吴主管"),
    ])
    session.commit()
    return RelayOrg(district, town_a, town_b, {"a1": a1, "a2": a2, "b1": b1})


@pytest.fixture
def rorg(db):
    return make_relay_org(db)


@pytest.fixture
def emu() -> Iterator[EmulatorServer]:
    """The WeCom emulator over real HTTP (tests/relay/dispatch_helpers.py for clients and rows)."""
    from tests.relay.dispatch_helpers import start_emulator

    emulator = start_emulator()
    yield emulator
    emulator.stop()
