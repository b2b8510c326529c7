"""Hires and satisfaction surveys: an employer reports 已录用 S12, the seeker confirms with one
reply; seven days after a confirmed hire, and when a job closes, a one-question survey goes out.

The stamps a figure needs are the rows themselves: posted (items.created_at), first contact
(contact_requests.decided_at of the first granted request), hired (hires.confirmed_at).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from relay import outbox, questions
from relay import outcome_messaging as say
from relay.consent import Employer, employer_job, job_summary
from relay.errors import NotAllowed, NotFound
from relay.models import Item
from relay.outcome_models import ContactRequest, Hire, Question, Survey
from relay.service import get_item_by_code
from templates_msg.outcome_commands import parse_score, parse_yes_no
from vetting import audit
from vetting.models import Enterprise

SURVEY_AFTER_HIRE = timedelta(days=7)


def _granted_request(*, session: Session, employer: Employer, item: Item) -> ContactRequest | None:
    who = (ContactRequest.enterprise_id == employer.enterprise.id) if employer.enterprise \
        else (ContactRequest.employer_ref == employer.ref)
    return session.scalar(select(ContactRequest).where(
        who, ContactRequest.seeker_item_id == item.id, ContactRequest.status == "granted").limit(1))


def report_hire(*, session: Session, employer: Employer, seeker_code: str, job_code: str | None, now: datetime) -> str:
    """Record 已录用 S12 and ask the seeker to confirm; the reply to the employer."""
    item = get_item_by_code(session=session, code=seeker_code)
    if item is None:
        raise NotFound(say.no_such_seeker(seeker_code))
    request = _granted_request(session=session, employer=employer, item=item)
    if request is None:
        raise NotAllowed(say.hire_needs_contact(item.code))
    enterprise_id = employer.enterprise.id if employer.enterprise else None
    earlier = session.scalar(select(Hire).where(Hire.seeker_item_id == item.id, Hire.status != "denied",
                                                Hire.employer_ref == employer.ref if enterprise_id is None
                                                else Hire.enterprise_id == enterprise_id).limit(1))
    if earlier is not None:
        raise NotAllowed(say.hire_already(item.code))
    job = employer_job(session=session, employer=employer, job_code=job_code) if job_code else (
        session.get(Item, request.job_item_id) if request.job_item_id else None)
    hire = Hire(seeker_item_id=item.id, seeker_ref=item.author_ref, job_item_id=job.id if job else None,
                employer_ref=employer.ref, enterprise_id=enterprise_id, status="reported", reported_at=now)
    session.add(hire)
    session.flush()
    audit.record(session=session, actor=employer.ref, action="hire_reported", now=now, item_id=item.id,
                 enterprise_id=enterprise_id, detail=f"hire {hire.id}")
    questions.put(session=session, person_ref=item.author_ref, kind="hire", subject_id=hire.id,
                  text=say.hire_question(employer.name, job_summary(job)), now=now)
    return say.hire_reported(item.code)


def answer_hire(*, session: Session, question: Question, text: str, now: datetime) -> str:
    """The seeker's 1 / 2 to 已录用; confirmed hires schedule both sides' surveys."""
    yes = parse_yes_no(text)
    if yes is None:
        return say.QUESTION_ANSWER_HIRE
    hire = session.get(Hire, question.subject_id)
    assert hire is not None
    questions.close(session=session, question=question, status="answered", now=now, answer="1" if yes else "2")
    code = f"S{hire.seeker_item_id}"
    channel = questions.channel_of(session=session, person_ref=hire.employer_ref)
    if not yes:
        hire.status = "denied"
        outbox.to_person(session=session, purpose="notice", userid=hire.employer_ref, channel=channel, now=now,
                         content=f"{code} 回复说没有被录用，这条录用记录已作废。如有误会请与本人核实。",
                         key=f"hire:{hire.id}:denied")
        return say.HIRE_DENIED
    hire.status, hire.confirmed_at = "confirmed", now
    audit.record(session=session, actor=hire.seeker_ref, action="hire_confirmed", now=now,
                 item_id=hire.seeker_item_id, enterprise_id=hire.enterprise_id, detail=f"hire {hire.id}")
    for ref, role in ((hire.seeker_ref, "seeker"), (hire.employer_ref, "employer")):
        schedule_survey(session=session, ref=ref, role=role, reason="hire", occasion=f"hire:{hire.id}:{role}",
                        due_at=now + SURVEY_AFTER_HIRE, hire_id=hire.id, job_item_id=hire.job_item_id, now=now)
    outbox.to_person(session=session, purpose="notice", userid=hire.employer_ref, channel=channel, now=now,
                     content=say.hire_confirmed_for_employer(code), key=f"hire:{hire.id}:confirmed")
    return say.HIRE_CONFIRMED


def job_closed(*, session: Session, job: Item, now: datetime) -> list[str]:
    """A job was marked filled: the employer's survey is due now; the seekers the employer reached
    through us for it (to pick who was hired)."""
    if job.author_ref and job.author_kind == "employer":  # not the officer who posted on someone's behalf
        schedule_survey(session=session, ref=job.author_ref, role="employer", reason="job_closed",
                        occasion=f"job_closed:{job.id}", due_at=now, job_item_id=job.id, now=now)
    who = (ContactRequest.enterprise_id == job.enterprise_id) if job.enterprise_id \
        else (ContactRequest.employer_ref == job.author_ref)
    granted = session.scalars(select(ContactRequest.seeker_item_id).where(who, ContactRequest.status == "granted")
                              .order_by(ContactRequest.id)).all()
    return [f"S{i}" for i in dict.fromkeys(granted)]


def schedule_survey(
    *, session: Session, ref: str, role: str, reason: str, occasion: str, due_at: datetime, now: datetime,
    hire_id: int | None = None, job_item_id: int | None = None,
) -> None:
    """One survey per occasion: writing it twice (a retried reply, a rerun job) is a no-op."""
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    session.execute(dialect.insert(Survey).values(
        respondent_ref=ref, respondent_role=role, reason=reason, occasion=occasion[:120], hire_id=hire_id,
        job_item_id=job_item_id, due_at=due_at,
    ).on_conflict_do_nothing(index_elements=["occasion"]))


def queue_due_surveys(*, session: Session, now: datetime) -> int:
    """Turn surveys whose day has come into questions (sent when the person can be reached)."""
    due = session.scalars(select(Survey).where(Survey.queued_at.is_(None), Survey.due_at <= now)
                          .order_by(Survey.id)).all()
    for survey in due:
        survey.queued_at = now
        questions.put(session=session, person_ref=survey.respondent_ref, kind="survey", subject_id=survey.id,
                      text=say.survey_question(survey.reason, _survey_subject(session, survey)), now=now)
    return len(due)


def _survey_subject(session: Session, survey: Survey) -> str:
    job = session.get(Item, survey.job_item_id) if survey.job_item_id else None
    if survey.reason == "job_closed":
        return f" {job.code}" if job else ""
    hire = session.get(Hire, survey.hire_id) if survey.hire_id else None
    enterprise = session.get(Enterprise, hire.enterprise_id) if hire and hire.enterprise_id else None
    if survey.respondent_role == "seeker":
        return f"找到{enterprise.name}的工作" if enterprise else "找到工作"
    return f"招到 S{hire.seeker_item_id}" if hire else "招到人"


def answer_survey(*, session: Session, question: Question, text: str, now: datetime) -> str:
    """Store a 1-5 score (满意 = 5, 一般 = 3, 不满意 = 1); anything else changes nothing."""
    score = parse_score(text)
    if score is None:
        return say.SURVEY_OUT_OF_RANGE
    survey = session.get(Survey, question.subject_id)
    assert survey is not None
    survey.score, survey.answered_at = score, now
    questions.close(session=session, question=question, status="answered", now=now, answer=str(score))
    return say.SURVEY_THANKS
