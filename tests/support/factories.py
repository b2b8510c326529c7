"""Factories: a valid small org with one call."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.org.models import ChatGroup, Contact, Node, Staff


@dataclass
class SmallOrg:
    district: Node
    township: Node
    village: Node
    officer: Staff
    steward: Staff
    village_head: Staff
    resident: Contact


def make_small_org(session: Session) -> SmallOrg:
    district = Node(code="t", kind="district", name="测试区", overrides={})
    township = Node(code="t-a", kind="township", name="甲镇", parent=district, overrides={})
    village = Node(code="t-a-01", kind="village", name="甲一村", parent=township, overrides={})
    session.add_all([district, township, village])
    session.flush()
    session.add_all(
        [
            ChatGroup(node_id=district.id, purpose="employers", name="测试区企业招才引智群", channel="appchat", address="chatdistrict"),
            ChatGroup(node_id=township.id, purpose="stewards", name="甲镇充分就业群", channel="appchat", address="chattownship"),
            ChatGroup(node_id=village.id, purpose="residents", name="甲一村群众求职群", channel="robot", address="robotkey01"),
        ]
    )
    officer = Staff(userid="officer01", name="区信息员", role="district_officer", node_id=district.id)
    steward = Staff(userid="steward01", name="甲镇管家", role="township_steward", node_id=township.id)
    head = Staff(userid="head01", name="甲一村村长", role="village_head", node_id=village.id)
    resident = Contact(kind="resident", openid="o_resident_01", node_id=village.id, name="王测试", phone="13912345678")
    session.add_all([officer, steward, head, resident])
    session.commit()
    return SmallOrg(district, township, village, officer, steward, head, resident)


def certify_employer(session: Session, contact: Contact, *, name: str, phone: str = "13800009999",
                     code17: str = "91410122MA4A8B7C1") -> None:
    """Take a contact's enterprise through reviews 1 and 2 the way an officer would (the admin token)."""
    from datetime import UTC, datetime

    from vetting import service
    from vetting.codes import with_check_digit
    from vetting.review import Application

    now = datetime.now(UTC)
    application = Application(name=name, credit_code=with_check_digit(code17), legal_rep="测试法人",
                              address="测试区测试路1号", industry="制造业", contact_name="测试联系人",
                              contact_phone=phone, licence_media_id="media-test")
    enterprise = service.apply(session=session, application=application, actor=service.ADMIN, via="test", now=now, contact=contact)
    for _ in range(2):
        service.decide(session=session, enterprise_id=enterprise.id, action="approve", actor=service.ADMIN, now=now)
    session.commit()
