"""One question at a time per person: consent to be contacted, a hire to confirm, a survey.

People answer with a bare "1" or "满意", so only one of a person's questions is ever `asked`;
the others wait. A question also waits while the person cannot be reached: an Official Account
follower can only be sent customer-service messages within 48 hours of their own last message
(MP-kf; the emulator's 45015), so the question goes out the next time they write to us.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.inbound.models import InboundMessage
from app.org.models import Contact, Staff
from relay import outbox
from relay.outcome_models import Question

# MP-kf: a follower's message opens a 48-hour window for customer-service messages.
MP_WINDOW = timedelta(hours=48)
# A question nobody answers must not block the person's later ones for ever (consent requests
# expire sooner, after 24 h, in relay/consent.py).
UNANSWERED_AFTER = timedelta(days=3)


def channel_of(*, session: Session, person_ref: str) -> str:
    """"app" for a WeCom user (staff, or a contact known by userid), else "mp" (an OA openid)."""
    staff = session.scalar(select(Staff.id).where(Staff.userid == person_ref))
    member = session.scalar(select(Contact.id).where(Contact.wecom_userid == person_ref))
    return "app" if staff is not None or member is not None else "mp"


def reachable(*, session: Session, person_ref: str, channel: str, now: datetime) -> bool:
    """WeCom users always; OA followers inside the window their last message opened."""
    if channel != "mp":
        return True
    last = session.scalar(select(InboundMessage.received_at).where(
        InboundMessage.channel == "mp", InboundMessage.sender == person_ref).order_by(InboundMessage.id.desc()).limit(1))
    return last is not None and now - last < MP_WINDOW


def put(*, session: Session, person_ref: str, kind: str, subject_id: int, text: str, now: datetime) -> Question:
    """Queue a question for a person and ask it at once if nothing else is open and they can be reached."""
    question = Question(person_ref=person_ref, channel=channel_of(session=session, person_ref=person_ref), kind=kind,
                        subject_id=subject_id, status="waiting", text=text[:500], created_at=now, answer="")
    session.add(question)
    session.flush()
    advance(session=session, person_ref=person_ref, now=now)
    return question


def asked(*, session: Session, person_ref: str) -> Question | None:
    """The question this person's next short answer is for, if any."""
    return session.scalar(select(Question).where(Question.person_ref == person_ref, Question.status == "asked")
                          .order_by(Question.id).limit(1))


def advance(*, session: Session, person_ref: str, now: datetime) -> Question | None:
    """Send the person's oldest waiting question when none is open and they can be reached.

    A "notice" (jobs for a graduate) is a message that only waits for the window: it is closed
    as soon as it is sent, and the next waiting item follows."""
    while asked(session=session, person_ref=person_ref) is None:
        waiting = session.scalar(select(Question).where(Question.person_ref == person_ref, Question.status == "waiting")
                                 .order_by(Question.id).limit(1))
        if waiting is None or not reachable(session=session, person_ref=person_ref, channel=waiting.channel, now=now):
            return None
        waiting.status, waiting.asked_at = "asked", now
        outbox.to_person(session=session, purpose="question", userid=person_ref, content=waiting.text, now=now,
                         channel=waiting.channel, key=f"question:{waiting.id}")
        if waiting.kind != "notice":
            return waiting
        waiting.status, waiting.answered_at = "answered", now
        session.flush()
    return None


def close(*, session: Session, question: Question, status: str, now: datetime, answer: str = "") -> None:
    """Mark a question answered or expired, then ask the person's next one."""
    question.status, question.answered_at, question.answer = status, now, answer[:20]
    session.flush()
    advance(session=session, person_ref=question.person_ref, now=now)


def of_subject(*, session: Session, kind: str, subject_id: int) -> list[Question]:
    return list(session.scalars(select(Question).where(Question.kind == kind, Question.subject_id == subject_id)))


def ask_waiting(*, session: Session, now: datetime) -> int:
    """Ask every person's next question that can go out now (someone wrote in, a question closed)."""
    people = session.scalars(select(Question.person_ref).where(Question.status == "waiting").distinct()).all()
    return sum(advance(session=session, person_ref=ref, now=now) is not None for ref in people)


def expire_unanswered(*, session: Session, now: datetime) -> int:
    """Close questions asked more than 3 days ago without an answer, so the next ones can go out."""
    stale = session.scalars(select(Question).where(Question.status == "asked",
                                                   Question.asked_at <= now - UNANSWERED_AFTER)).all()
    for question in stale:
        close(session=session, question=question, status="expired", now=now)
    return len(stale)
