"""The 企业认证 conversation as a state machine stored in the database (one row per sender).

States are named in vetting/steps.py. The row survives an abandoned conversation: writing
“企业认证” again resumes at the first unanswered step. A wrong answer keeps the state and asks
precisely for that one field again.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import Contact
from vetting import messaging, notify, service
from vetting.errors import VettingError
from vetting.models import Enterprise, RegistrationDialogue
from vetting.review import STATUS_LABELS, Application
from vetting.steps import FINAL, check_answer, first_missing

CANCEL = re.compile(r"\s*(取消认证|退出认证|取消注册|取消)\s*")


def get(*, session: Session, channel: str, sender: str) -> RegistrationDialogue | None:
    return session.scalar(select(RegistrationDialogue).where(
        RegistrationDialogue.channel == channel, RegistrationDialogue.sender == sender))


def active(*, session: Session, channel: str, sender: str) -> RegistrationDialogue | None:
    """The sender's conversation when it is waiting for an answer."""
    dialogue = get(session=session, channel=channel, sender=sender)
    return dialogue if dialogue is not None and dialogue.state not in FINAL else None


def _answers(dialogue: RegistrationDialogue) -> dict[str, str]:
    return json.loads(dialogue.answers or "{}")


def _save(dialogue: RegistrationDialogue, answers: dict[str, str], state: str, now: datetime) -> None:
    dialogue.answers = json.dumps(answers, ensure_ascii=False)
    dialogue.state, dialogue.updated_at = state, now


def summary(answers: dict[str, str]) -> str:
    shown = [f"{messaging.FIELD_LABELS[k]} {v}" for k, v in answers.items() if k in messaging.FIELD_LABELS and k != "photo"]
    return "，".join(shown)


def _new_contact(session: Session, channel: str, sender: str, now: datetime) -> Contact:
    # An employer is listed under the district (relay/intake.py finds its district from the node).
    contact = Contact(kind="employer", openid=sender if channel == "mp" else None,
                      wecom_userid=sender if channel != "mp" else None, bound_via="registration",
                      node_id=notify.first_district(session=session), created_at=now)
    session.add(contact)
    session.flush()
    return contact


def start_or_resume(*, session: Session, channel: str, sender: str, speaker_kind: str, contact: Contact | None,
                    now: datetime) -> str:
    """The reply to “企业认证”: refuse staff and residents, resume, report status, or begin."""
    if speaker_kind == "staff":
        return messaging.NOT_FOR_STAFF
    if speaker_kind == "resident":
        return messaging.NOT_FOR_RESIDENTS
    dialogue = get(session=session, channel=channel, sender=sender)
    if dialogue is not None and dialogue.state == "submitted" and dialogue.enterprise_id:
        enterprise = session.get(Enterprise, dialogue.enterprise_id)
        assert enterprise is not None
        return messaging.status_reply(enterprise.code, STATUS_LABELS[enterprise.status], enterprise.status_reason)
    if dialogue is not None and dialogue.state not in FINAL:
        return messaging.resume(summary(_answers(dialogue)), messaging.PROMPTS[dialogue.state])
    contact = contact or _new_contact(session, channel, sender, now)
    if dialogue is None:
        dialogue = RegistrationDialogue(channel=channel, sender=sender, contact_id=contact.id, created_at=now)
        session.add(dialogue)
    _save(dialogue, {}, "name", now)
    return messaging.START + messaging.PROMPTS["name"]


def answer_text(*, session: Session, dialogue: RegistrationDialogue, text: str, now: datetime) -> str:
    """Take one typed answer: store it and ask the next question, or ask for a correction."""
    if CANCEL.fullmatch(text):
        _save(dialogue, _answers(dialogue), "cancelled", now)
        return messaging.CANCELLED
    answers, state = _answers(dialogue), dialogue.state
    checked = check_answer(state, text, answers)
    correction = checked.correction
    if checked.value is not None and state == "credit_code":
        correction = _duplicate(session, checked.value, dialogue.enterprise_id)
    if checked.value is None or correction:
        dialogue.corrections += 1
        dialogue.updated_at = now
        return messaging.correction(correction)
    answers[state] = checked.value
    following = first_missing(answers) if dialogue.enterprise_id is None else "photo"
    _save(dialogue, answers, following, now)
    return messaging.got(messaging.FIELD_LABELS[state], checked.value, messaging.PROMPTS[following])


def _duplicate(session: Session, code: str, own_id: int | None) -> str:
    existing = session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if existing is None or existing.id == own_id:
        return ""
    return f"该统一社会信用代码已由“{existing.name}”登记。请核对后重新发送；如确属本企业，请联系区人社局信息员。"


def answer_image(*, session: Session, dialogue: RegistrationDialogue, media_id: str, contact: Contact | None,
                 now: datetime) -> str:
    """The licence photo: the last answer; the application goes to review 1."""
    if dialogue.state != "photo":
        return messaging.correction(f"现在还不需要照片。{messaging.PROMPTS[dialogue.state]}")
    answers = _answers(dialogue)
    answers["photo"] = media_id
    try:
        enterprise = _submit(session=session, dialogue=dialogue, answers=answers, contact=contact, now=now)
    except VettingError as refusal:
        return messaging.correction(refusal.reply)
    dialogue.enterprise_id = enterprise.id
    _save(dialogue, answers, "submitted", now)
    return messaging.submitted(enterprise.code)


def _submit(*, session: Session, dialogue: RegistrationDialogue, answers: dict[str, str], contact: Contact | None,
            now: datetime) -> Enterprise:
    actor = dialogue.sender
    if dialogue.enterprise_id is not None:
        enterprise = session.get(Enterprise, dialogue.enterprise_id)
        assert enterprise is not None
        return service.resubmit(session=session, enterprise=enterprise, actor=actor, now=now, media_id=answers["photo"])
    if contact is not None and not contact.phone:
        contact.name, contact.phone = answers["contact_name"], answers["contact_phone"]
    application = Application(
        name=answers["name"], credit_code=answers["credit_code"], legal_rep=answers["legal_rep"],
        address=answers["address"], industry=answers["industry"], contact_name=answers["contact_name"],
        contact_phone=answers["contact_phone"], licence_media_id=answers["photo"],
        hr_licence_no=answers.get("hr_licence", ""),
    )
    return service.apply(session=session, application=application, actor=actor, now=now,
                         via=dialogue.channel, contact=contact)
