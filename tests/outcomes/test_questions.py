"""One question at a time: a second employer's request waits until the seeker answered the first;
an unanswered question stops blocking after three days; 招满了 lists whom to mark hired and asks
the employer's survey at once."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.org.models import Contact
from relay import outcome_jobs, service
from relay.outcome_models import ContactRequest, Question, Survey
from tests.outcomes.conftest import World
from tests.relay.support import understood
from tests.support.factories import certify_employer

SEEKER = "o_res_a1"
JOB = "招聘叉车工2名 月薪5000-6500 地点甲镇物流园 联系电话13800001111"


def _two_employers(db) -> None:
    first = db.scalar(select(Contact).where(Contact.openid == "o_emp_01"))
    certify_employer(db, first, name="示例物流有限公司", phone="13800001111")
    second = Contact(kind="employer", openid="o_emp_02", node_id=first.node_id)
    db.add(second)
    db.commit()
    certify_employer(db, second, name="示例仓储有限公司", phone="13800002222", code17="91410122MA4A8B7C2")


def _note(world: World, db) -> str:
    item = service.submit_item(session=db, kind="seeker", origin_node_id=world.org.villages["a1"].id,
                               author_ref=SEEKER, author_kind="resident", now=world.now(),
                               understanding=understood("本人王建国 男 45岁 会开叉车有证5年 想找仓库的活 电话13812345678"))
    db.commit()
    return item.code


def test_the_second_request_waits_for_the_first_answer(world: World, db):
    _two_employers(db)
    code = _note(world, db)
    world.oa(SEEKER, "你好")
    world.oa("o_emp_01", f"联系 {code}")
    world.oa("o_emp_02", f"联系 {code}")
    world.dispatch()
    asked = world.texts_to("openid", SEEKER)
    assert len(asked) == 1 and asked[0].startswith("示例物流有限公司")
    world.oa(SEEKER, "2")  # the answer goes to the first question only ...
    world.dispatch()
    asked = world.texts_to("openid", SEEKER)
    assert len(asked) == 2 and asked[1].startswith("示例仓储有限公司")  # ... then the next is asked
    world.oa(SEEKER, "1")
    world.dispatch()
    db.expire_all()
    assert [r.status for r in db.scalars(select(ContactRequest).order_by(ContactRequest.id))] == ["declined", "granted"]
    assert "13812345678" in world.texts_to("openid", "o_emp_02")[-1]
    assert not any("13812345678" in t for t in world.texts_to("openid", "o_emp_01"))


def test_an_unanswered_question_stops_blocking_after_three_days(world: World, db, session_factory):
    _two_employers(db)
    code = _note(world, db)
    world.oa(SEEKER, "你好")
    world.oa("o_emp_01", f"联系 {code}")
    world.advance(25 * 3600)
    outcome_jobs.expire_contact_requests(session_factory=session_factory, now=world.now())
    world.oa(SEEKER, "在吗")  # the seeker is back; a second employer asks
    world.oa("o_emp_02", f"联系 {code}")
    world.dispatch()
    assert world.texts_to("openid", SEEKER)[-1].startswith("示例仓储有限公司")
    db.expire_all()
    assert [q.status for q in db.scalars(select(Question).order_by(Question.id))] == ["expired", "asked"]
    world.advance(3 * 86400 + 60)
    outcome_jobs.ask_questions(session_factory=session_factory, now=world.now())
    db.expire_all()
    assert [q.status for q in db.scalars(select(Question).order_by(Question.id))] == ["expired", "expired"]


def test_filled_lists_whom_to_mark_hired_and_asks_the_employer(world: World, db, session_factory):
    _two_employers(db)
    code = _note(world, db)
    job_code = re.search(r"编号([SJ]\d+)", world.oa("o_emp_01", JOB)).group(1)
    world.settle()
    world.oa(SEEKER, "你好")
    world.oa("o_emp_01", f"联系 {code}")
    world.oa(SEEKER, "1")
    filled = world.oa("o_emp_01", f"{job_code}招满了")
    assert "已标记招满" in filled and f"通过平台联系过的求职者：{code}" in filled
    assert f"已录用 S编号 {job_code}" in filled
    outcome_jobs.ask_questions(session_factory=session_factory, now=world.now())
    world.dispatch()
    assert f"您的岗位 {job_code}已招满结束" in world.texts_to("openid", "o_emp_01")[-1]
    assert "谢谢您的评价" in world.oa("o_emp_01", "一般")
    db.expire_all()
    assert db.scalar(select(Survey.score).where(Survey.reason == "job_closed")) == 3
    assert "不是您发布的" in world.oa("o_emp_02", f"{job_code}招满了")  # not theirs: refused as before
