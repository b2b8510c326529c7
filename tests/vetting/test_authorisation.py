"""Who may publish and who may decide: refusals are clear and change nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.org.models import Contact
from relay.models import Delivery, Item
from tests.vetting.conftest import GOOD_CODE, app, oa, settle
from tests.vetting.test_walk import EMP, JOB, certify, fill_form, phone_image
from vetting.models import AuditEvent, Enterprise, PostReview


def _counts(db) -> tuple:
    db.expire_all()
    return (db.scalar(select(func.count()).select_from(Item)), db.scalar(select(func.count()).select_from(AuditEvent)),
            tuple(db.scalars(select(Enterprise.status).order_by(Enterprise.id))))


def test_uncertified_employer_resident_and_other_steward_fail(server, rorg, phone, db):
    assert "尚未通过企业认证" in oa(phone, "o_emp_01", JOB)  # an employer with no enterprise
    fill_form(phone, EMP, GOOD_CODE)
    phone_image(phone, EMP, "media-1")
    code = db.scalar(select(Enterprise)).code
    assert "尚未通过企业认证" in oa(phone, EMP, JOB)  # applied, not yet certified
    before = _counts(db)
    assert "无权" in oa(phone, "o_res_a1", f"通过 {code}")  # a resident
    assert "无权" in app(phone, "steward_b", f"通过 {code}")  # a steward of another township
    assert "无权" in app(phone, "steward_a", f"驳回 {code} 不行")
    assert "不能办理企业认证" in oa(phone, "o_res_a1", "企业认证")
    assert _counts(db) == before


def test_suspended_employer_cannot_post_and_open_posts_are_withdrawn(server, rorg, phone, db, session_factory):
    enterprise = certify(phone, db)
    assert "已提交，等待审核" in oa(phone, EMP, JOB)
    settle(session_factory)
    db.expire_all()
    for delivery in db.scalars(select(Delivery).where(Delivery.purpose == "relay")):
        delivery.status = "sent"  # as if the dispatcher had posted it into the district group
    db.commit()
    assert "无权" in app(phone, "steward_a", f"暂停 {enterprise.code} 投诉多")
    assert "已暂停" in app(phone, "officer01", f"暂停 {enterprise.code} 拖欠工资投诉")
    db.expire_all()
    item = db.scalar(select(Item))
    assert item.status == "withdrawn"
    notices = [d.payload["content"] for d in db.scalars(select(Delivery).where(Delivery.target == "chatdistrict",
                                                                               Delivery.purpose == "notice"))]
    assert notices and "撤回" in notices[0]
    before = _counts(db)
    assert "已被暂停" in oa(phone, EMP, JOB)
    assert _counts(db) == before
    assert "已恢复" in app(phone, "officer01", f"恢复 {enterprise.code}")
    assert "已提交，等待审核" in oa(phone, EMP, JOB.replace("2名", "3名"))


def test_three_reports_suspend_a_post_pending_review(server, rorg, phone, db, session_factory):
    certify(phone, db)
    oa(phone, EMP, JOB)
    settle(session_factory)
    code = db.scalar(select(Item)).code
    db.add_all([Contact(kind="resident", openid=f"o_r{i}", node_id=rorg.villages["a1"].id) for i in range(3)])
    db.commit()
    assert "已收到" in oa(phone, "o_r0", f"举报 {code} 要交押金")
    assert "已经举报过" in oa(phone, "o_r0", f"举报 {code} 还是要交押金")
    assert "写明原因" in oa(phone, "o_r1", f"举报 {code}")
    oa(phone, "o_r1", f"举报 {code} 电话打不通")
    db.expire_all()
    assert db.scalar(select(PostReview.status)) == "published"
    oa(phone, "o_r2", f"举报 {code} 是骗子")
    db.expire_all()
    review = db.scalar(select(PostReview))
    assert (review.status, review.reports) == ("reported", 3)
    assert db.scalar(select(Item.status)) == "held"
    assert "已通过" in app(phone, "officer01", f"通过 {code}")
    db.expire_all()
    assert db.scalar(select(Item.status)) == "relaying"
