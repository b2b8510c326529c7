"""Crafted rows for dashboard tests: a two-township org and one-call makers for items, hops and posts.

Times are given in Asia/Shanghai wall-clock time (`at("03-10 23:30")`) because the promises are
judged on that clock; the rows store UTC like the relay does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import count
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.org.models import ChatGroup, Node, Staff
from relay.models import Delivery, Hop, Item

SHANGHAI = ZoneInfo("Asia/Shanghai")
_serial = count(1)


def at(text: str, year: int = 2026) -> datetime:
    """'03-10 23:30' on the bureau's clock, as an aware datetime."""
    return datetime.strptime(f"{year}-{text}", "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


@dataclass
class Org:
    district: Node
    towns: dict[str, Node]  # "A", "B"
    villages: dict[str, Node]  # "a1", "a2", "a3" (no resident group), "b1", "b2"
    groups: dict[str, ChatGroup]  # resident groups by village key, "A" / "B" steward groups


def make_org(session: Session) -> Org:
    district = Node(code="d", kind="district", name="测试区", overrides={})
    towns = {"A": Node(code="d-a", kind="township", name="甲镇", parent=district, overrides={}),
             "B": Node(code="d-b", kind="township", name="乙镇", parent=district, overrides={})}
    villages = {key: Node(code=f"d-{key[0]}-{key[1]}", kind="village", name=f"{key}村", parent=towns[key[0].upper()],
                          overrides={}) for key in ("a1", "a2", "a3", "b1", "b2")}
    session.add_all([district, *towns.values(), *villages.values()])
    session.flush()
    groups = {key: ChatGroup(node_id=node.id, purpose="residents", name=f"{key}群", channel="robot", address=f"rk-{key}")
              for key, node in villages.items() if key != "a3"}
    groups.update({key: ChatGroup(node_id=node.id, purpose="stewards", name=f"{key}镇群", channel="appchat",
                                  address=f"chat-{key}") for key, node in towns.items()})
    session.add_all(groups.values())
    session.add_all([
        Staff(userid="stew_a", name="甲管家", role="township_steward", node_id=towns["A"].id),
        Staff(userid="backup_a", name="甲备岗", role="backup_steward", node_id=towns["A"].id),
        Staff(userid="stew_b", name="乙管家", role="township_steward", node_id=towns["B"].id),
        Staff(userid="head_a1", name="村长", role="village_head", node_id=villages["a1"].id),
    ])
    session.commit()
    return Org(district, towns, villages, groups)


def item(session: Session, org: Org, *, kind: str = "job", created: datetime | None = None, **fields) -> Item:
    row = Item(kind=kind, origin_node_id=org.district.id, masked_text="测试", created_at=created or at("03-01 09:00"),
               **fields)
    session.add(row)
    session.flush()
    return row


def hop(session: Session, org: Org, town: str, *, arrived: datetime, decided: datetime | None = None, by: str = "",
        status: str | None = None, needs_approval: bool = True) -> Hop:
    parent = item(session, org)
    row = Hop(item_id=parent.id, to_node_id=org.towns[town].id, tier="township", needs_approval=needs_approval,
              text="测试", arrived_at=arrived, decided_at=decided, decided_by=by,
              status=status or ("approved" if decided else "pending"))
    session.add(row)
    session.flush()
    return row


def post(session: Session, org: Org, group: str, *, planned: datetime, sent: datetime | None = None,
         status: str | None = None, kind: str = "job", purpose: str = "relay", channel: str = "robot",
         created: datetime | None = None, errcode: int | None = None) -> Delivery:
    """One delivery to a group: a post to a resident group unless told otherwise."""
    parent = item(session, org, kind=kind)
    n = next(_serial)
    row = Delivery(item_id=parent.id, purpose=purpose, channel=channel, target=f"t{n}", group_id=org.groups[group].id,
                   payload={"msgtype": "text"}, dedupe_key=f"test:{n}", status=status or ("sent" if sent else "queued"),
                   not_before=planned, next_attempt_at=planned, sent_at=sent, created_at=created or planned,
                   last_errcode=errcode)
    session.add(row)
    session.flush()
    return row


def three_weeks(session: Session) -> Org:
    """The history of test_trends (its docstring works each figure out), today being 3月18日 10:00."""
    org = make_org(session)
    hop(session, org, "A", arrived=at("03-03 10:00"), decided=at("03-03 10:10"), by="stew_a")
    hop(session, org, "A", arrived=at("03-04 10:00"), decided=at("03-04 10:45"), by="stew_a")
    post(session, org, "a1", planned=at("03-03 09:00"), sent=at("03-03 09:05"))
    post(session, org, "b1", planned=at("03-03 09:00"), sent=at("03-04 09:00"))
    item(session, org, created=at("03-03 09:00"), closed_at=at("03-06 09:00"), status="done", enterprise_id=1)
    item(session, org, created=at("03-02 09:00"), closed_at=at("03-07 09:00"), status="done", author_ref="emp1",
         author_kind="employer")
    hop(session, org, "B", arrived=at("03-17 09:00"), decided=at("03-17 09:20"), by="stew_b")
    post(session, org, "a2", planned=at("03-17 10:00"), sent=at("03-17 10:01"))
    item(session, org, created=at("03-16 09:00"), author_ref="emp2", author_kind="employer")
    session.commit()
    return org
