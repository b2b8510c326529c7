"""The consent flow's refusals and endings, each over real HTTP: a clear reply and nothing changed
(an unknown code, a seeker who said no, an employer over the daily limit, a resident asking, a
hire without contact, an answer that is no answer), and the polite notice after no or 24 h."""

from __future__ import annotations

from sqlalchemy import func, select

from app.org.models import Contact
from relay import outcome_jobs, service
from relay.consent import DAILY_LIMIT
from relay.models import Item
from relay.outcome_models import ContactRequest, Hire, Question
from tests.outcomes.conftest import World
from tests.relay.support import understood
from tests.support.factories import certify_employer
from vetting.models import AuditEvent

EMPLOYER = "o_emp_01"


def _seekers(world: World, db, count: int) -> list[Item]:
    items = []
    for i in range(count):
        db.add(Contact(kind="resident", openid=f"o_seeker_{i}", node_id=world.org.villages["a1"].id))
        note = understood(f"本人王建国 男 45岁 会开叉车有证5年 想找仓库的活 电话1381234{i:04d}")
        items.append(service.submit_item(session=db, kind="seeker", origin_node_id=world.org.villages["a1"].id,
                                         author_ref=f"o_seeker_{i}", author_kind="resident", understanding=note,
                                         now=world.now()))
    db.commit()
    return items


def _certified(world: World, db) -> None:
    certify_employer(db, db.scalar(select(Contact).where(Contact.openid == EMPLOYER)), name="示例物流有限公司")


def _requests(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(ContactRequest)) or 0


def test_bad_requests_get_a_clear_reply_and_change_nothing(world: World, db):
    [seeker] = _seekers(world, db, 1)
    assert "只有认证企业" in world.oa(EMPLOYER, f"联系 {seeker.code}")  # not certified yet
    assert "只有认证企业" in world.oa("o_res_a1", f"联系 {seeker.code}")  # a resident
    _certified(world, db)
    assert "没有找到求职信息 S999" in world.oa(EMPLOYER, "联系 S999")
    assert "没有找到岗位 J999" in world.oa(EMPLOYER, f"联系 {seeker.code} J999")
    assert _requests(db) == 0
    assert "还没有同意与贵单位联系" in world.oa(EMPLOYER, f"已录用 {seeker.code}")
    assert db.scalar(select(func.count()).select_from(Hire)) == 0


def test_no_then_asking_again_is_refused(world: World, db):
    _certified(world, db)
    [seeker] = _seekers(world, db, 1)
    world.oa("o_seeker_0", "你好")  # the seeker wrote today: the question goes out at once
    assert "已替您询问" in world.oa(EMPLOYER, f"联系 {seeker.code}")
    assert "已经在询问" in world.oa(EMPLOYER, f"联系 {seeker.code}")
    world.dispatch()
    assert "请回复1（同意对方联系您）或2" in world.oa("o_seeker_0", "3")  # no answer: still open
    assert db.scalar(select(Question.status)) == "asked"
    assert "不把您的电话告诉示例物流有限公司" in world.oa("o_seeker_0", "2")
    world.dispatch()
    told = world.texts_to("openid", EMPLOYER)[-1]
    assert told.startswith(f"很抱歉，{seeker.code} 这次不方便") and "1381234" not in told
    assert "已婉拒过" in world.oa(EMPLOYER, f"联系 {seeker.code}")
    assert _requests(db) == 1
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "contact_released")) == 0


def test_silence_for_24_hours_is_a_polite_no(world: World, db, session_factory):
    _certified(world, db)
    [seeker] = _seekers(world, db, 1)
    assert "暂时收不到消息" in world.oa(EMPLOYER, f"联系 {seeker.code}")  # the seeker's OA window is closed
    world.advance(23 * 3600)
    assert outcome_jobs.expire_contact_requests(session_factory=session_factory, now=world.now()) == 0
    world.advance(3600 + 60)
    assert outcome_jobs.expire_contact_requests(session_factory=session_factory, now=world.now()) == 1
    world.dispatch()
    assert world.texts_to("openid", EMPLOYER)[-1].startswith(f"很抱歉，{seeker.code} 这次不方便")
    db.expire_all()
    assert (db.scalar(select(ContactRequest.status)), db.scalar(select(Question.status))) == ("expired", "expired")
    # the seeker writes later: the expired question is not asked any more
    world.oa("o_seeker_0", "你好")
    outcome_jobs.ask_questions(session_factory=session_factory, now=world.now())
    world.dispatch()
    assert world.texts_to("openid", "o_seeker_0") == []


def test_the_daily_limit_per_employer(world: World, db):
    _certified(world, db)
    seekers = _seekers(world, db, DAILY_LIMIT + 1)
    for seeker in seekers[:DAILY_LIMIT]:
        assert "对方" in world.oa(EMPLOYER, f"联系 {seeker.code}")
    refused = world.oa(EMPLOYER, f"联系 {seekers[-1].code}")
    assert f"今天已发出 {DAILY_LIMIT} 次" in refused and "明天再试" in refused
    assert _requests(db) == DAILY_LIMIT
    world.advance(24 * 3600)  # the next local day
    assert "对方" in world.oa(EMPLOYER, f"联系 {seekers[-1].code}")
