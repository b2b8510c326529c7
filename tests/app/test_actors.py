"""Decisions are made by an identified actor, never by a string (issue 11, item 1).

Before the fix a WeCom user whose userid is "admin" decided enterprises like the admin API, a
resident whose openid is spelled like an officer's userid decided as that officer, and the
audit log named the admin API "admin", a name a WeCom user can also have.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from app.inbound.service import accept
from app.org.models import Contact, Staff
from app.org.schema import parse_org
from bots.inbound import CHANNEL_MP, CHANNEL_WECOM, Inbound
from relay import service as relay_service
from relay.models import Hop
from tests.relay.conftest import make_relay_org
from tests.relay.support import SEEKER, understood
from vetting import service as vetting_service
from vetting.codes import with_check_digit
from vetting.models import AuditEvent, Enterprise
from vetting.review import Application

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
_IDS = itertools.count(1)


def say(db, channel: str, sender: str, text: str) -> str:
    inbound = Inbound(channel=channel, sender=sender, receiver="x", create_time=0, msg_type="text",
                      dedupe_key=f"msg:actor{next(_IDS)}", content=text)
    return accept(session=db, inbound=inbound, now=NOW)


def applied(db, rorg) -> Enterprise:
    application = Application("示例物流有限公司", with_check_digit("91410122MA44ABCD1"), "吴法人", "测试区物流园1号",
                              "物流", "吴主管", "13800003333", "media-1")
    enterprise = vetting_service.apply(session=db, application=application, actor=vetting_service.ADMIN,
                                       via="test", now=NOW, district_id=rorg.district.id)
    db.commit()
    return enterprise


def status(db, enterprise: Enterprise) -> str:
    db.expire_all()
    return db.get(Enterprise, enterprise.id).status


def test_a_wecom_user_called_admin_gains_nothing(db):
    rorg = make_relay_org(db)
    db.add(Staff(userid="admin", name="某村志愿者", role="volunteer", node_id=rorg.villages["a1"].id))
    db.commit()
    enterprise = applied(db, rorg)
    reply = say(db, CHANNEL_WECOM, "admin", f"通过 {enterprise.code}")
    assert "无权" in reply
    assert status(db, enterprise) == "licence_review"


def test_a_stranger_called_admin_gains_nothing(db):
    rorg = make_relay_org(db)
    db.add(Contact(kind="resident", wecom_userid="admin", node_id=rorg.villages["a1"].id))
    db.commit()
    enterprise = applied(db, rorg)
    say(db, CHANNEL_WECOM, "admin", f"暂停 {enterprise.code} 随便")
    say(db, CHANNEL_WECOM, "admin", f"通过 {enterprise.code}")
    assert status(db, enterprise) == "licence_review"


def test_an_openid_spelled_like_an_officer_is_not_the_officer(db):
    rorg = make_relay_org(db)
    db.add(Contact(kind="resident", openid="officer01", node_id=rorg.villages["a1"].id))
    db.commit()
    enterprise = applied(db, rorg)
    say(db, CHANNEL_MP, "officer01", f"通过 {enterprise.code}")
    assert status(db, enterprise) == "licence_review"


def test_an_openid_spelled_like_a_steward_cannot_approve_a_hop(db):
    rorg = make_relay_org(db)
    db.add(Contact(kind="resident", openid="steward_a", node_id=rorg.villages["a2"].id))
    item = relay_service.submit_item(session=db, kind="seeker", origin_node_id=rorg.villages["a1"].id,
                                     author_ref="o_res_a1", author_kind="resident", understanding=understood(SEEKER),
                                     now=NOW)
    db.commit()
    hop = db.scalar(select(Hop).where(Hop.item_id == item.id))
    say(db, CHANNEL_MP, "steward_a", f"通过 {hop.id}")
    db.expire_all()
    assert db.get(Hop, hop.id).status == "pending"


def test_the_real_officer_still_decides_and_is_named_in_the_audit(db):
    rorg = make_relay_org(db)
    enterprise = applied(db, rorg)
    assert "已通过" in say(db, CHANNEL_WECOM, "officer01", f"通过 {enterprise.code}")
    assert status(db, enterprise) == "qualification_review"
    assert db.scalar(select(AuditEvent.actor).where(AuditEvent.action == "approve:licence_review")) == "officer01"


def test_admin_api_decisions_are_attributed_to_the_token(make_server, db):
    rorg = make_relay_org(db)
    enterprise = applied(db, rorg)
    with make_server(JOBMATRIX_ADMIN_TOKEN="actor-token") as base:
        response = httpx.post(f"{base}/api/enterprises/{enterprise.id}/decisions", json={"action": "approve"},
                              headers={"Authorization": "Bearer actor-token"})
    assert response.status_code == 200
    db.expire_all()
    actors = set(db.scalars(select(AuditEvent.actor)))
    assert actors == {"token:admin"}


def test_the_org_file_refuses_reserved_staff_userids():
    for reserved in ("admin", "system", "timeout"):
        text = f"district:\n  code: t\n  name: 测试区\n  staff:\n    - {{userid: {reserved}, name: 某某, role: district_officer}}\n"
        _, out = parse_org(source_text=text, filename="org.yaml")
        assert any("reserved" in str(e) for e in out.errors), reserved
