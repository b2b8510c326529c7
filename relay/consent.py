"""Contact with consent: an employer asks for a seeker's number; the seeker is asked; the number
is released only on yes, and every release is in the audit log (docs/outcomes.md).

Relayed seeker notes carry no digit of the phone number, so this is the only way from a note to
a person. Each function writes in the caller's transaction and returns the reply to the speaker;
a refusal raises a RelayError carrying its Chinese reply, and nothing is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.org.models import Contact
from relay import outbox, questions
from relay import outcome_messaging as say
from relay.errors import NotAllowed, NotFound
from relay.models import Delivery, Item
from relay.outcome_models import ContactRequest, Question
from relay.rules import DeadlinePolicy, local, local_day_bounds
from relay.service import get_item_by_code
from templates_msg.mask import mask_phone
from templates_msg.names import polite_name
from templates_msg.render import salary_text
from vetting import audit
from vetting.models import Enterprise
from vetting.service import enterprise_of_contact, posting_refusal

# A bureau rule of thumb: an employer who asks for more than this many seekers a day is
# harvesting numbers, not hiring.
DAILY_LIMIT = 10
ANSWER_WITHIN = timedelta(hours=24)
_PHONE = re.compile(r"1\d{10}")
OPEN_SEEKER_STATUSES = ("relaying", "done")


@dataclass(frozen=True)
class Employer:
    ref: str  # OA openid or WeCom userid
    contact: Contact | None
    enterprise: Enterprise | None

    @property
    def name(self) -> str:
        return self.enterprise.name if self.enterprise else "一家企业"


def employer_of(*, session: Session, ref: str, contact: Contact | None) -> Employer:
    """The speaker as an employer; raises NotAllowed unless their enterprise may recruit now."""
    refusal = posting_refusal(session=session, contact=contact)
    if refusal is not None or contact is None:
        raise NotAllowed(say.ONLY_EMPLOYERS)
    return Employer(ref, contact, enterprise_of_contact(session=session, contact_id=contact.id))


def fields_of(item: Item) -> dict:
    return json.loads(item.fields_json) if item.fields_json else {}


def seeker_phone(*, session: Session, item: Item) -> str | None:
    """The number the seeker left in the note, else the one we hold for them."""
    phone = fields_of(item).get("phone")
    if phone:
        return str(phone)
    contact = session.scalar(select(Contact).where(Contact.openid == item.author_ref))
    return contact.phone if contact is not None and contact.phone else None


def job_summary(item: Item | None) -> str:
    """叉车工，5000-6500元/月 — what the seeker is told the employer recruits for."""
    if item is None:
        return ""
    fields = fields_of(item)
    return "，".join(p for p in (item.title or fields.get("title"), salary_text(fields)) if p)


def employer_job(*, session: Session, employer: Employer, job_code: str | None) -> Item | None:
    """The job named in the command, else the employer's newest open job."""
    if job_code:
        job = get_item_by_code(session=session, code=job_code)
        if job is None or job.kind != "job":
            raise NotFound(f"没有找到岗位 {job_code}，请核对编号。")
        return job
    owner = (Item.enterprise_id == employer.enterprise.id) if employer.enterprise else (Item.author_ref == employer.ref)
    return session.scalar(select(Item).where(Item.kind == "job", owner, Item.status == "relaying")
                          .order_by(Item.id.desc()).limit(1))


def requests_today(*, session: Session, employer: Employer, now: datetime, policy: DeadlinePolicy) -> int:
    start, end = local_day_bounds(local(now, policy).date(), policy)
    who = (ContactRequest.enterprise_id == employer.enterprise.id) if employer.enterprise \
        else (ContactRequest.employer_ref == employer.ref)
    return session.scalar(select(func.count()).select_from(ContactRequest).where(
        who, ContactRequest.created_at >= start, ContactRequest.created_at < end)) or 0


def _earlier(*, session: Session, employer: Employer, item: Item) -> ContactRequest | None:
    """This employer's (or enterprise's) latest request for this note."""
    who = (ContactRequest.enterprise_id == employer.enterprise.id) if employer.enterprise \
        else (ContactRequest.employer_ref == employer.ref)
    return session.scalar(select(ContactRequest).where(ContactRequest.seeker_item_id == item.id, who)
                          .order_by(ContactRequest.id.desc()).limit(1))


def request_contact(
    *, session: Session, employer: Employer, seeker_code: str, job_code: str | None, now: datetime,
    policy: DeadlinePolicy | None = None,
) -> str:
    """Ask the seeker whether this employer may have their number; the reply to the employer."""
    item = get_item_by_code(session=session, code=seeker_code)
    if item is None:
        raise NotFound(say.no_such_seeker(seeker_code))
    if item.status not in OPEN_SEEKER_STATUSES or not item.author_ref:
        raise NotFound(say.seeker_not_open(item.code))
    earlier = _earlier(session=session, employer=employer, item=item)
    if earlier is not None and earlier.status in ("declined", "pending", "granted"):
        raise NotAllowed({"declined": say.seeker_said_no, "pending": say.already_waiting,
                          "granted": say.already_granted}[earlier.status](item.code))
    if seeker_phone(session=session, item=item) is None:
        raise NotFound(say.no_phone(item.code))
    policy = policy or DeadlinePolicy()
    if requests_today(session=session, employer=employer, now=now, policy=policy) >= DAILY_LIMIT:
        raise NotAllowed(say.over_daily_limit(DAILY_LIMIT))
    job = employer_job(session=session, employer=employer, job_code=job_code)
    request = ContactRequest(
        seeker_item_id=item.id, seeker_ref=item.author_ref, employer_ref=employer.ref,
        enterprise_id=employer.enterprise.id if employer.enterprise else None, job_item_id=job.id if job else None,
        status="pending", created_at=now, expires_at=now + ANSWER_WITHIN,
    )
    session.add(request)
    session.flush()
    audit.record(session=session, actor=employer.ref, action="contact_requested", now=now, item_id=item.id,
                 enterprise_id=request.enterprise_id, detail=f"request {request.id}")
    question = questions.put(session=session, person_ref=item.author_ref, kind="consent", subject_id=request.id,
                             text=say.consent_question(employer.name, job_summary(job), item.code), now=now)
    return say.contact_asked(item.code) if question.status == "asked" else say.contact_queued(item.code)


def answer(*, session: Session, question: Question, yes: bool, now: datetime) -> str:
    """The seeker's 1 / 2: release the number (and audit it) or decline; the reply to the seeker."""
    request = session.get(ContactRequest, question.subject_id)
    assert request is not None
    item = session.get(Item, request.seeker_item_id)
    assert item is not None
    enterprise = session.get(Enterprise, request.enterprise_id) if request.enterprise_id else None
    company = enterprise.name if enterprise else "对方"
    request.decided_at = now
    questions.close(session=session, question=question, status="answered", now=now, answer="1" if yes else "2")
    if not yes:
        request.status = "declined"
        _tell_employer(session=session, request=request, content=say.contact_not_now(item.code), now=now)
        return say.seeker_declined_ack(company)
    phone = seeker_phone(session=session, item=item)
    if phone is None:  # the seeker erased their data (删除我的信息) while the question waited
        request.status = "declined"
        _tell_employer(session=session, request=request, content=say.contact_not_now(item.code), now=now)
        return say.seeker_declined_ack(company)
    request.status = "granted"
    _tell_employer(session=session, request=request, now=now,
                   content=say.contact_released(item.code, _polite(session, item), phone))
    audit.record(session=session, actor=request.seeker_ref, action="contact_released", now=now, item_id=item.id,
                 enterprise_id=request.enterprise_id, detail=f"request {request.id} to {request.employer_ref}")
    person, business_phone = _business_contact(session, enterprise, request)
    return say.employer_contact_for_seeker(company, person, business_phone)


def expire_due(*, session: Session, now: datetime) -> int:
    """Requests unanswered for 24 h: the employer is told politely, the seeker's question closes."""
    due = session.scalars(select(ContactRequest).where(ContactRequest.status == "pending",
                                                       ContactRequest.expires_at <= now)).all()
    for request in due:
        request.status, request.decided_at = "expired", now
        item = session.get(Item, request.seeker_item_id)
        _tell_employer(session=session, request=request, now=now,
                       content=say.contact_not_now(item.code if item else f"S{request.seeker_item_id}"))
        for question in questions.of_subject(session=session, kind="consent", subject_id=request.id):
            if question.status in ("waiting", "asked"):
                questions.close(session=session, question=question, status="expired", now=now)
    return len(due)


def scrub_sent_releases(*, session: Session) -> int:
    """Once a release has been sent, its outbox row keeps only the masked number: the phone is
    private data and rests encrypted (items, contacts), not in plain outbox JSON."""
    sent = session.scalars(select(Delivery).where(Delivery.dedupe_key.like("contact:%:granted"),
                                                  Delivery.status == "sent")).all()
    scrubbed = 0
    for delivery in sent:
        content = str(delivery.payload.get("content", ""))
        masked = _PHONE.sub(lambda m: mask_phone(m.group(0)), content)
        if masked != content:
            delivery.payload = {**delivery.payload, "content": masked}
            scrubbed += 1
    return scrubbed


def _tell_employer(*, session: Session, request: ContactRequest, content: str, now: datetime) -> None:
    channel = questions.channel_of(session=session, person_ref=request.employer_ref)
    outbox.to_person(session=session, purpose="notice", userid=request.employer_ref, content=content, now=now,
                            item_id=request.seeker_item_id, channel=channel,
                            key=f"contact:{request.id}:{request.status}")


def _polite(session: Session, item: Item) -> str:
    fields = fields_of(item)
    name = fields.get("name")
    if not name:
        contact = session.scalar(select(Contact).where(Contact.openid == item.author_ref))
        name = contact.name if contact is not None else None
    return polite_name(name, fields.get("gender")) if name else "求职者"


def _business_contact(session: Session, enterprise: Enterprise | None, request: ContactRequest) -> tuple[str, str]:
    """The employer's business contact (never a private number): the job's phone, else the enterprise's."""
    job = session.get(Item, request.job_item_id) if request.job_item_id else None
    job_phone = str(fields_of(job).get("contact_phone") or "") if job else ""
    if enterprise is None:
        return "", job_phone
    return enterprise.contact_name or "", job_phone or enterprise.contact_phone or ""
