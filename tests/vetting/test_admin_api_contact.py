"""An enterprise created and certified through the admin API can post (issue 11, item 18): the
API links its contact — by OA openid, or by the phone of a contact we already know — and its
answer says what it linked (or why it could not)."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from app.org.models import Contact
from relay.models import Item
from tests.relay.test_inbound_relay import mp_send
from tests.vetting.admin_support import AUTH, BODY
from tests.vetting.conftest import OTHER_CODE

JOB = "招聘叉车工2名 月薪6000-8000 地点雁鸣湖镇物流园 联系电话13812340000"


def _certify(server: str, body: dict) -> dict:
    created = httpx.post(f"{server}/api/enterprises", json=body, headers=AUTH)
    assert created.status_code == 201, created.text
    for _ in range(2):
        assert httpx.post(f"{server}/api/enterprises/{created.json()['id']}/decisions", json={"action": "approve"},
                          headers=AUTH).status_code == 200
    return created.json()


def test_an_openid_given_to_the_api_can_post_after_certification(server, rorg, db):
    created = _certify(server, {**BODY, "contact_openid": "o_emp_new"})
    assert created["contact"] == {"linked": True, "by": "openid", "openid": "o_emp_new", "created": True}
    reply = mp_send(server, "o_emp_new", JOB, 8301)
    assert "已提交" in reply and "认证" not in reply
    db.expire_all()
    assert db.scalar(select(Item.author_ref)) == "o_emp_new"


def test_a_known_contact_is_linked_by_phone(server, rorg, db):
    db.add(Contact(kind="employer", openid="o_emp_phone", node_id=rorg.district.id, name="王经理", phone="13812340000"))
    db.commit()
    created = _certify(server, BODY)
    assert created["contact"] == {"linked": True, "by": "phone", "openid": "o_emp_phone", "created": False}
    assert "已提交" in mp_send(server, "o_emp_phone", JOB, 8302)


def test_the_answer_says_when_nothing_could_be_linked(server, rorg, db):
    created = httpx.post(f"{server}/api/enterprises", json=BODY, headers=AUTH)
    assert created.status_code == 201
    assert created.json()["contact"]["linked"] is False and "contact_openid" in created.json()["contact"]["reason"]
    resident = httpx.post(f"{server}/api/enterprises", json={**BODY, "name": "中牟县另一家物流有限公司",
                                                              "credit_code": OTHER_CODE, "contact_openid": "o_res_a1"},
                          headers=AUTH)
    assert resident.status_code == 201
    assert resident.json()["contact"]["linked"] is False and "居民" in resident.json()["contact"]["reason"]
    db.expire_all()
    assert db.scalar(select(Contact.kind).where(Contact.openid == "o_res_a1")) == "resident"
