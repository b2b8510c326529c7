"""End to end over real HTTP and the emulator, in emulated time: a resident's note reaches the
employers without any digit of the phone; an employer asks to contact; the resident says 1 and
only then the number is released; the hire is reported and confirmed; the survey arrives seven
days later and the answer is stored."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from relay import outcome_jobs
from relay.models import Delivery, Item
from relay.outcome_models import ContactRequest, Hire, Survey
from tests.outcomes.conftest import World
from tests.support.factories import certify_employer
from vetting.models import AuditEvent

NOTE = "本人王建国 男 45岁 会开叉车有证5年 想在中牟新区找仓库的活 电话13812345678"
JOB = "招聘叉车工2名 月薪5000-6500 地点甲镇物流园 联系电话13800001111"
SEEKER, EMPLOYER = "o_res_a1", "o_emp_01"
DAY = 24 * 3600


def _phone_digits(text: str) -> bool:
    """Any trace of 13812345678: the whole number, or the 138****5678 a mask would leave."""
    return "13812345678" in text or "5678" in text or bool(re.search(r"138\D{0,6}5678", text))


def _post_note_and_job(world: World, db) -> tuple[str, str]:
    reply = world.oa(SEEKER, NOTE)
    seeker_code = re.search(r"编号(S\d+)", reply).group(1)
    world.settle()
    assert "已通过" in world.app("steward_a", f"通过 {seeker_code}")
    from app.org.models import Contact

    employer = db.scalar(select(Contact).where(Contact.openid == EMPLOYER))
    certify_employer(db, employer, name="示例物流有限公司", phone="13800001111")
    job_code = re.search(r"(J\d+)", world.oa(EMPLOYER, JOB)).group(1)
    world.settle()
    return seeker_code, job_code


def test_consent_hire_and_survey_seven_days_later(world: World, db, session_factory):
    seeker_code, job_code = _post_note_and_job(world, db)
    welcome = len(world.texts_to("openid", EMPLOYER))  # the certification notice
    [relayed] = [t for t in world.texts_to("appchat", "chatdistrict") if seeker_code in t]
    assert "叉车" in relayed and f"联系 {seeker_code}" in relayed
    assert not _phone_digits(relayed)  # not even 138****5678
    # nor the steward's approval card and the township group on the way up
    on_the_way = world.emulator.state.received("user:steward_a") + world.emulator.state.received("appchat:chattowna")
    assert on_the_way and not any(re.search(r"13812345678|[*＊]{3,}\d", json.dumps(e["message"], ensure_ascii=False))
                                  for e in on_the_way)

    asked = world.oa(EMPLOYER, f"联系 {seeker_code}")
    assert "已替您询问" in asked and not _phone_digits(asked)
    world.dispatch()
    assert world.texts_to("openid", SEEKER) == [
        f"示例物流有限公司（叉车工，5000-6500元/月）想联系您，同意请回复1，不同意请回复2。"
        f"\n（关于您的求职信息 {seeker_code}；24小时内没有回复，就当您这次不方便。）"]
    assert world.texts_to("openid", EMPLOYER)[welcome:] == []  # nothing released before the yes

    answer = world.oa(SEEKER, "1")
    assert "示例物流有限公司" in answer and "13800001111" in answer  # the job's business contact
    world.dispatch()
    assert world.texts_to("openid", EMPLOYER)[welcome:] == [
        f"{seeker_code} 同意与您联系：王先生 电话 13812345678。请礼貌沟通，录用后回复「已录用 {seeker_code}」。"]
    # once sent, the outbox row keeps only the masked number
    outcome_jobs.expire_contact_requests(session_factory=session_factory, now=world.now())
    db.expire_all()
    row = db.scalar(select(Delivery).where(Delivery.dedupe_key.like("contact:%:granted")))
    assert "13812345678" not in row.payload["content"] and "138****5678" in row.payload["content"]
    released = db.scalars(select(AuditEvent).where(AuditEvent.action == "contact_released")).all()
    assert len(released) == 1 and released[0].actor == SEEKER

    assert "已记录录用" in world.oa(EMPLOYER, f"已录用 {seeker_code}")
    world.dispatch()
    assert world.texts_to("openid", SEEKER)[-1] == "示例物流有限公司（叉车工，5000-6500元/月）说已经录用您了，是真的请回复1，不是请回复2。"
    assert "谢谢确认" in world.oa(SEEKER, "1")
    world.dispatch()
    assert world.texts_to("openid", EMPLOYER)[-1].startswith(f"{seeker_code} 已确认录用")
    db.expire_all()
    hire = db.scalar(select(Hire))
    job = db.scalar(select(Item).where(Item.id == int(job_code[1:])))
    assert (hire.status, hire.job_item_id) == ("confirmed", job.id)
    first_contact = db.scalar(select(ContactRequest.decided_at))
    assert job.created_at <= first_contact <= hire.confirmed_at  # posted → first contact → hired

    # Six days on: no survey yet.
    world.advance(6 * DAY)
    outcome_jobs.ask_questions(session_factory=session_factory, now=world.now())
    world.dispatch()
    before = len(world.texts_to("openid", SEEKER))
    assert not any("满意" in t for t in world.texts_to("openid", SEEKER))
    # Day seven: due. The OA's 48-hour window closed days ago, so the question waits for the
    # resident's next message, then goes out with the next run of the job.
    world.advance(DAY + 60)
    outcome_jobs.ask_questions(session_factory=session_factory, now=world.now())
    world.dispatch()
    assert len(world.texts_to("openid", SEEKER)) == before
    world.oa(SEEKER, "我的发布")
    outcome_jobs.ask_questions(session_factory=session_factory, now=world.now())
    world.dispatch()
    survey_text = world.texts_to("openid", SEEKER)[-1]
    assert "找到示例物流有限公司的工作已经一周了" in survey_text and "满意 / 一般 / 不满意" in survey_text
    assert "1到5" in world.oa(SEEKER, "6")  # out of range: nothing stored
    db.expire_all()
    assert db.scalar(select(Survey.score).where(Survey.respondent_role == "seeker")) is None
    assert "谢谢您的评价" in world.oa(SEEKER, "满意")
    db.expire_all()
    assert db.scalar(select(Survey.score).where(Survey.respondent_role == "seeker")) == 5
    # the employer is asked as well when they next write
    world.oa(EMPLOYER, "帮助")
    outcome_jobs.ask_questions(session_factory=session_factory, now=world.now())
    world.dispatch()
    assert f"招到 {seeker_code}已经一周了" in world.texts_to("openid", EMPLOYER)[-1]
    assert "谢谢您的评价" in world.oa(EMPLOYER, "4")

