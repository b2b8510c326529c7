"""Small constructors that keep the hand-written corpus readable."""

from __future__ import annotations


def S(text, jobs=None, loc=None, g=None, age=None, name=None, phone=None, pii=(), keep=(), skills=None, kind="seeker"):
    """A seeker's note. The phone and the full name are private and must be masked."""
    fields = {"intent_jobs": jobs or [], "intent_location": loc, "gender": g, "age": age, "name": name, "phone": phone}
    if skills is not None:
        fields["skills"] = skills
    pii = list(pii) + ([("phone", phone)] if phone else []) + ([("name", name)] if name else [])
    return {"kind": kind, "text": text, "fields": fields, "pii": pii, "keep": list(keep), "flags": []}


def J(text, title, n=None, lo=None, hi=None, unit=None, loc=None, phone=None, amin=None, amax=None,
      company=None, benefits=None, flags=(), pii=(), keep=()):
    """A job ad. Its contact phone is business information and must stay visible."""
    fields = {"title": title, "headcount": n, "salary_min": lo, "salary_max": hi, "salary_unit": unit,
              "location": loc, "contact_phone": phone, "age_min": amin, "age_max": amax}
    if company is not None:
        fields["company"] = company
    if benefits is not None:
        fields["benefits"] = benefits
    return {"kind": "job", "text": text, "fields": fields, "pii": list(pii), "keep": list(keep), "flags": list(flags)}


def K(kind, text, fields=None, pii=(), keep=()):
    """Any other message: notice, query, command or chat."""
    return {"kind": kind, "text": text, "fields": fields or {}, "pii": list(pii), "keep": list(keep), "flags": []}
