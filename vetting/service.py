"""Enterprises through the three reviews: apply, decide, certify, suspend, reinstate.

Functions write in the caller's transaction and never commit (like relay/service.py): the
inbound accept or the API route commits once, so a decision, its audit event and the messages
it causes exist together or not at all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.actors import ADMIN_TOKEN, Actor
from app.org.models import Contact, Staff
from vetting import audit, membership, messaging, notify, posts
from vetting.codes import check_credit_code
from vetting.errors import Invalid, NotAllowed, NotFound
from vetting.models import BlacklistEntry, Enterprise, EnterpriseMember
from vetting.review import (
    STAGE_OF,
    STATUS_LABELS,
    Application,
    IllegalTransition,
    licence_problems,
    next_status,
    qualification_problems,
)

ADMIN = ADMIN_TOKEN  # the bearer-token admin API


def get_enterprise(*, session: Session, enterprise_id: int) -> Enterprise | None:
    return session.get(Enterprise, enterprise_id)


def get_by_code_or_raise(*, session: Session, code: str) -> Enterprise:
    """The enterprise named E12 (or 12); NotFound otherwise."""
    digits = code.upper().removeprefix("E")
    enterprise = session.get(Enterprise, int(digits)) if digits.isdigit() else None
    if enterprise is None:
        raise NotFound(messaging.NOT_FOUND)
    return enterprise


def list_enterprises(*, session: Session, status: str | None = None, limit: int = 200) -> list[Enterprise]:
    query = select(Enterprise).order_by(Enterprise.id).limit(limit)
    if status:
        query = query.where(Enterprise.status == status)
    return list(session.scalars(query))


def enterprise_of_contact(*, session: Session, contact_id: int) -> Enterprise | None:
    return session.scalar(select(Enterprise).join(EnterpriseMember).where(EnterpriseMember.contact_id == contact_id))


def blacklisted(*, session: Session, credit_code: str) -> str | None:
    """The blacklist's name and reason for this code, or None."""
    entry = session.scalar(select(BlacklistEntry).where(BlacklistEntry.credit_code == credit_code))
    return f"{entry.name} {entry.reason}".strip() or "已列入" if entry else None


def check_application(*, session: Session, application: Application, exclude_id: int | None = None) -> list[str]:
    """Review 1's automatic findings for this application (empty: it may go to the officer)."""
    check = check_credit_code(application.credit_code)
    duplicate = session.scalar(select(Enterprise).where(Enterprise.credit_code == check.code))
    dup_name = duplicate.name if duplicate is not None and duplicate.id != exclude_id else None
    return licence_problems(application, code_problems=check.problems, duplicate_of=dup_name)


def apply(
    *, session: Session, application: Application, actor: Actor | str, via: str, now: datetime,
    contact: Contact | None = None, district_id: int | None = None,
) -> Enterprise:
    """A new enterprise in licence review, with its officer cards; Invalid lists what is wrong."""
    problems = check_application(session=session, application=application)
    if problems:
        raise Invalid("；".join(problems), problems)
    check = check_credit_code(application.credit_code)
    enterprise = Enterprise(
        name=application.name, credit_code=check.code, org_type=check.org_type, region=check.region,
        legal_rep=application.legal_rep, address=application.address, industry=application.industry,
        hr_licence_no=application.hr_licence_no, contact_name=application.contact_name,
        contact_phone=application.contact_phone, licence_media_id=application.licence_media_id,
        status="licence_review", applied_via=via, created_at=now, updated_at=now,
        district_id=district_id or (contact.node_id if contact else None) or notify.first_district(session=session),
    )
    session.add(enterprise)
    session.flush()
    if contact is not None:
        session.add(EnterpriseMember(enterprise_id=enterprise.id, contact_id=contact.id, created_at=now))
    audit.record(session=session, actor=actor, action="applied", now=now, enterprise_id=enterprise.id,
                 detail=f"{enterprise.name} {enterprise.credit_code} via {via}; 自动核验通过（格式、校验码、区划、机构类别、重复）")
    membership.send_review_card(session=session, enterprise=enterprise, now=now)
    return enterprise


def resubmit(*, session: Session, enterprise: Enterprise, actor: Actor | str, now: datetime, media_id: str = "") -> Enterprise:
    """A rejected application comes back (a new licence photo, corrected data) to licence review."""
    if media_id:
        enterprise.licence_media_id = media_id
    _move(enterprise, "resubmit", now)
    enterprise.status_reason = ""
    audit.record(session=session, actor=actor, action="resubmitted", now=now, enterprise_id=enterprise.id,
                 detail=f"licence photo {enterprise.licence_media_id}")
    membership.send_review_card(session=session, enterprise=enterprise, now=now)
    return enterprise


def _move(enterprise: Enterprise, action: str, now: datetime) -> str:
    try:
        enterprise.status = next_status(enterprise.status, action)
    except IllegalTransition:
        raise Invalid(messaging.cannot(enterprise.code, STATUS_LABELS.get(enterprise.status, enterprise.status))) from None
    enterprise.updated_at = now
    return enterprise.status


def acting_officer(*, session: Session, actor: Actor) -> Staff | None:
    """The active district officer this actor is, or None (the admin token is no officer)."""
    userid = actor.staff_userid
    staff = session.scalar(select(Staff).where(Staff.userid == userid)) if userid is not None else None
    return staff if staff is not None and staff.active and staff.role == "district_officer" else None


def check_officer(*, session: Session, actor: Actor, enterprise: Enterprise) -> None:
    """The admin token, or an officer of the enterprise's district; NotAllowed for anyone else."""
    if actor.is_admin_token:
        return
    staff = acting_officer(session=session, actor=actor)
    if staff is None or (enterprise.district_id is not None and staff.node_id != enterprise.district_id):
        raise NotAllowed(messaging.NOT_ALLOWED)


def decide(
    *, session: Session, enterprise_id: int, action: str, actor: Actor, now: datetime, reason: str = "",
    stage: str | None = None,
) -> Enterprise:
    """approve / reject / suspend / reinstate, by a district officer of its district or the admin.

    The enterprise is re-read under a row lock, so two officers deciding at once run one after
    the other; `stage` (the review a clicked card belongs to) makes a click on the card of a
    review already decided change nothing, instead of deciding the next review.
    """
    enterprise = session.get(Enterprise, enterprise_id, with_for_update=True, populate_existing=True)
    if enterprise is None:
        raise NotFound(messaging.NOT_FOUND)
    check_officer(session=session, actor=actor, enterprise=enterprise)
    if stage is not None and STAGE_OF.get(enterprise.status) != stage:
        raise Invalid(messaging.already_handled(enterprise.code, STATUS_LABELS[enterprise.status]))
    if action in ("reject", "suspend") and not reason.strip():
        raise Invalid(messaging.REJECT_NEEDS_REASON.replace("E12", enterprise.code))
    before = enterprise.status
    if action == "approve" and before == "qualification_review":
        _require_qualification(session=session, enterprise=enterprise)
    after = _move(enterprise, action, now)
    enterprise.status_reason = reason.strip()[:500] if action in ("reject", "suspend") else ""
    audit.record(session=session, actor=actor, action=f"{action}:{before}", now=now, enterprise_id=enterprise.id,
                 detail=f"{before} -> {after}" + (f"; {reason.strip()}" if reason.strip() else ""))
    if before in STAGE_OF:
        notify.close_cards(session=session, subject="enterprise", subject_id=enterprise.id, stage=STAGE_OF[before],
                           action=action, actor=actor, now=now)
    _after_decision(session=session, enterprise=enterprise, action=action, before=before, actor=actor, now=now)
    return enterprise


def _require_qualification(*, session: Session, enterprise: Enterprise) -> None:
    problems = qualification_problems(_application_of(enterprise), blacklisted=blacklisted(
        session=session, credit_code=enterprise.credit_code))
    if problems:
        raise Invalid(messaging.blocked_by_checks(enterprise.code, problems), problems)


def _application_of(enterprise: Enterprise) -> Application:
    return Application(enterprise.name, enterprise.credit_code, enterprise.legal_rep, enterprise.address,
                       enterprise.industry, enterprise.contact_name or "", enterprise.contact_phone or "",
                       enterprise.licence_media_id, enterprise.hr_licence_no)


def _after_decision(*, session: Session, enterprise: Enterprise, action: str, before: str, actor: Actor,
                    now: datetime) -> None:
    if action == "approve" and enterprise.status == "qualification_review":
        _start_qualification(session=session, enterprise=enterprise, now=now)
    elif action == "approve":
        membership.certify(session=session, enterprise=enterprise, now=now)
    elif action == "reject":
        stage = "营业执照初审" if before == "licence_review" else "用工资质核验"
        membership.tell_members(session=session, enterprise=enterprise, now=now, key=f"reject{enterprise.id}:{now:%s}",
                                content=messaging.rejected(enterprise.code, stage, enterprise.status_reason, True))
        membership.reopen_photo_step(session=session, enterprise=enterprise, now=now)
    elif action == "suspend":
        posts.withdraw_enterprise_posts(session=session, enterprise_id=enterprise.id, actor=actor,
                                        reason="企业认证已暂停", now=now)
        membership.tell_members(session=session, enterprise=enterprise, now=now, key=f"suspend{enterprise.id}:{now:%s}",
                                content=messaging.suspended(enterprise.name, enterprise.status_reason))
    elif action == "reinstate":
        membership.tell_members(session=session, enterprise=enterprise, now=now, key=f"reinstate{enterprise.id}:{now:%s}",
                                content=messaging.reinstated(enterprise.name))


def _start_qualification(*, session: Session, enterprise: Enterprise, now: datetime) -> None:
    """Review 2: automatic checks first; a blacklisted code or a missing licence is rejected at once."""
    problems = qualification_problems(_application_of(enterprise), blacklisted=blacklisted(
        session=session, credit_code=enterprise.credit_code))
    if not problems:
        membership.send_review_card(session=session, enterprise=enterprise, now=now)
        return
    reason = "；".join(problems)
    enterprise.status, enterprise.status_reason = next_status(enterprise.status, "reject"), reason[:500]
    audit.record(session=session, actor="system", action="reject:qualification_review", now=now,
                 enterprise_id=enterprise.id, detail=f"自动核验未通过：{reason}")
    membership.tell_members(session=session, enterprise=enterprise, now=now, key=f"autoreject{enterprise.id}",
                            content=messaging.rejected(enterprise.code, "用工资质核验", reason, False))
    notify.to_officers(session=session, district_id=enterprise.district_id, now=now, key=f"autoreject{enterprise.id}",
                       content=f"{enterprise.code} {enterprise.name} 用工资质自动核验未通过：{reason}")


def posting_refusal(*, session: Session, contact: Contact | None) -> str | None:
    """Why this contact may not post a job now (None: they may)."""
    enterprise = enterprise_of_contact(session=session, contact_id=contact.id) if contact is not None else None
    if enterprise is None or enterprise.status in ("licence_review", "qualification_review", "rejected"):
        return messaging.NOT_CERTIFIED_POST
    if enterprise.status == "suspended":
        return messaging.SUSPENDED_POST
    return None
