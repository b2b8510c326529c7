"""An enterprise's contacts: review cards about it, messages to them, certification (posting
rights, the district employers' group, the welcome), and the registration reopened on rejection."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.org.models import ChatGroup, Contact
from bots.client import PermanentApiError
from vetting import audit, messaging, notify
from vetting.models import Enterprise, EnterpriseMember, RegistrationDialogue
from vetting.review import STAGE_OF, needs_hr_licence

STAGE_TITLES = {"licence": "营业执照初审", "qualification": "用工资质核验"}


def contacts_of(*, session: Session, enterprise_id: int) -> list[Contact]:
    return list(session.scalars(select(Contact).join(EnterpriseMember, EnterpriseMember.contact_id == Contact.id)
                                .where(EnterpriseMember.enterprise_id == enterprise_id).order_by(Contact.id)))


def registered_phones(*, session: Session, enterprise: Enterprise) -> set[str]:
    """The enterprise's own numbers: the registered contact phone and its contacts' phones."""
    phones = {enterprise.contact_phone or ""}
    phones.update(c.phone or "" for c in contacts_of(session=session, enterprise_id=enterprise.id))
    return {p.replace(" ", "").replace("-", "") for p in phones if p}


def _rows(enterprise: Enterprise, stage: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{"keyname": "企业", "value": enterprise.name[:30]},
            {"keyname": "信用代码", "value": enterprise.credit_code},
            {"keyname": "法定代表人", "value": enterprise.legal_rep}]
    if stage == "licence":
        rows += [{"keyname": "机构类别", "value": f"{enterprise.org_type} {enterprise.region}"},
                 # type 2 = attachment by media_id (§2.2 horizontal_content_list): the licence photo.
                 {"keyname": "执照照片", "value": enterprise.licence_media_id[:40] or "无", "type": 2,
                  "media_id": enterprise.licence_media_id}]
    else:
        licence = enterprise.hr_licence_no or ("缺少" if needs_hr_licence(enterprise.industry, enterprise.name) else "不需要")
        rows += [{"keyname": "行业", "value": enterprise.industry[:30]},
                 {"keyname": "派遣/人力许可证", "value": licence},
                 {"keyname": "欠薪黑名单", "value": "未列入"}]
    return rows


def send_review_card(*, session: Session, enterprise: Enterprise, now: datetime) -> int:
    """The card of the enterprise's current review to every officer of its district."""
    stage = STAGE_OF[enterprise.status]
    return notify.review_card(
        session=session, subject="enterprise", subject_id=enterprise.id, stage=stage,
        title=f"{STAGE_TITLES[stage]} {enterprise.code}", desc=enterprise.name, rows=_rows(enterprise, stage),
        code=enterprise.code, district_id=enterprise.district_id, now=now,
    )


def tell_members(*, session: Session, enterprise: Enterprise, content: str, now: datetime, key: str) -> None:
    for contact in contacts_of(session=session, enterprise_id=enterprise.id):
        notify.to_contact(session=session, contact=contact, content=content, now=now, key=key)


def employers_group(*, session: Session, district_id: int | None) -> ChatGroup | None:
    query = select(ChatGroup).where(ChatGroup.purpose == "employers").order_by(ChatGroup.id)
    if district_id is not None:
        query = query.where(ChatGroup.node_id == district_id)
    return session.scalar(query.limit(1))


def certify(*, session: Session, enterprise: Enterprise, now: datetime) -> None:
    """Posting rights at once; contacts join the employers' group and get the welcome."""
    enterprise.certified_at = now
    group = employers_group(session=session, district_id=enterprise.district_id)
    officers = notify.district_officers(session=session, district_id=enterprise.district_id)
    officer = officers[0].name if officers else ""
    members = session.scalars(select(EnterpriseMember).where(EnterpriseMember.enterprise_id == enterprise.id))
    for member in members:
        contact = session.get(Contact, member.contact_id)
        assert contact is not None
        # appchat groups hold WeCom members only (§2.4): an OA-only contact gets the join info.
        joinable = group is not None and group.channel == "appchat" and contact.wecom_userid
        member.group_status = "pending" if joinable else "invited" if group else "none"
        welcome = messaging.certified(enterprise.name, group.name if joinable and group else "")
        if group is not None and not joinable:
            welcome += "\n" + messaging.join_info(group.name, officer)
        notify.to_contact(session=session, contact=contact, content=welcome, now=now, key=f"welcome{enterprise.id}")
    audit.record(session=session, actor="system", action="certified", now=now, enterprise_id=enterprise.id,
                 detail=f"group {group.name if group else '-'}")


def apply_group_joins(*, session_factory: sessionmaker[Session], client, now: datetime) -> int:
    """Add pending certified contacts to their district's appchat (appchat/update add_user_list).

    Run by a worker, not in the webhook: it is a WeCom API call. `client` is a bots WeComClient.
    """
    with session_factory() as session:
        pending = list(session.scalars(select(EnterpriseMember).where(EnterpriseMember.group_status == "pending")))
        for member in pending:
            contact = session.get(Contact, member.contact_id)
            group = employers_group(session=session, district_id=member.enterprise.district_id)
            if contact is None or group is None or not contact.wecom_userid or group.channel != "appchat":
                member.group_status = "none"  # only an app-created chat can be joined by API (§2.4)
                continue
            try:
                client.appchat.update(chatid=group.address, add_user_list=[contact.wecom_userid])
            except PermanentApiError as refused:  # e.g. 86008: the chat is not this app's; retrying won't help
                member.group_status = "failed"
                audit.record(session=session, actor="system", action="group_join_failed", now=now,
                             enterprise_id=member.enterprise_id, detail=f"errcode {refused.errcode}")
                session.commit()
                continue
            member.group_status = "added"
            audit.record(session=session, actor="system", action="group_joined", now=now,
                         enterprise_id=member.enterprise_id, detail=f"{contact.wecom_userid} -> {group.address}")
            session.commit()
        session.commit()
        return len(pending)


def reopen_photo_step(*, session: Session, enterprise: Enterprise, now: datetime) -> None:
    """After a rejection the applicant's conversation waits for a new licence photo (or edits)."""
    dialogues = session.scalars(select(RegistrationDialogue).where(RegistrationDialogue.enterprise_id == enterprise.id))
    for dialogue in dialogues:
        dialogue.state, dialogue.updated_at = "photo", now
