"""Who speaks for an enterprise created through the admin API (issue 11, item 18).

An enterprise registered by `企业认证` on the Official Account is linked to the contact who
wrote; one created through the admin API has no such sender, so without a link its contact could
never post. The API names the contact by OA openid (`contact_openid`), or we find the employer
contact we already know by the application's phone. The answer says which, or why neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import Contact
from templates_msg.mask import mask_phone
from vetting.models import Enterprise, EnterpriseMember


@dataclass
class ContactLink:
    contact: Contact | None = None
    by: str = ""  # openid | phone
    created: bool = False
    reason: str = ""  # why nothing was linked (Chinese, for the operator and the officer)

    def as_dict(self) -> dict[str, Any]:
        if self.contact is None:
            return {"linked": False, "reason": self.reason}
        return {"linked": True, "by": self.by, "openid": self.contact.openid, "created": self.created}


def _digits(phone: str | None) -> str:
    return "".join(c for c in phone or "" if c.isdigit())


def _member_of(session: Session, contact: Contact) -> Enterprise | None:
    return session.scalar(select(Enterprise).join(EnterpriseMember, EnterpriseMember.enterprise_id == Enterprise.id)
                          .where(EnterpriseMember.contact_id == contact.id))


def find_contact(*, session: Session, openid: str, name: str, phone: str, district_id: int | None) -> ContactLink:
    """The contact the new enterprise should have (not yet linked), or why there is none."""
    if openid:
        contact = session.scalar(select(Contact).where(Contact.openid == openid))
        if contact is None:  # never wrote to the OA yet: they will be known when they do
            contact = Contact(kind="employer", openid=openid, node_id=district_id, name=name or None,
                              phone=phone or None, bound_via="admin api")
            session.add(contact)
            session.flush()
            return ContactLink(contact, "openid", created=True)
        found = ContactLink(contact, "openid")
    else:
        # Phones are encrypted (randomised), so they are compared after decryption; a district
        # has hundreds of employer contacts, not millions.
        wanted = _digits(phone)
        matches = [c for c in session.scalars(select(Contact).where(Contact.kind == "employer"))
                   if wanted and _digits(c.phone) == wanted]
        if len(matches) != 1:
            what = "多个" if matches else "没有"
            return ContactLink(reason=f"{what}手机号为{mask_phone(wanted) if wanted else '空'}的企业联系人，未关联：请在请求里"
                                      "带上 contact_openid（联系人的公众号 openid），或让联系人在公众号回复「企业认证」。")
        found = ContactLink(matches[0], "phone")
    assert found.contact is not None
    if found.contact.kind != "employer":
        return ContactLink(reason="这个公众号用户登记为居民，不能代表企业发布岗位，未关联。")
    other = _member_of(session, found.contact)
    if other is not None:
        return ContactLink(reason=f"这个联系人已属于企业{other.code}，未关联。")
    return found
