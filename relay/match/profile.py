"""An item's matchable facts, taken from its parsed fields once when it opens (no PII is kept:
no names, no phones, only codes, place ids, ages, pay, certificates)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from relay.match import occupations
from relay.match.models import MatchOccupation, MatchProfile
from relay.match.places import NOWHERE, Place, place_in_text, place_of_node
from relay.models import Item
from templates_msg.salary import read_pay

_DAILY = re.compile(r"日结|当天结|天天结|现结")
_CERT = re.compile(r"[\u4e00-\u9fa5A-Z0-9]{0,4}证")
# A job that requires a certificate says so: 须持叉车证, 必须有焊工证, 须A2或B2驾照, 要求持证上岗.
_CERT_REQUIRED = re.compile(r"(须|必须|要求|需持|需要)[^，,。；;\s]{0,8}(证|驾照)")
# A seeker who accepts one area only: 只在白沙附近, 就在本镇, 想在白沙附近.
_ONLY_NEAR = re.compile(r"只在|只找|就在|只要|附近|周边|本镇|本村|家门口")
# Phone-like runs with masked digits (138****5678): nothing of a seeker's phone leaves in a match.
_MASKED_PHONE = re.compile(r"[0-9０-９][0-9０-９\s\-]*[*＊×xX]{2,}[0-9０-９*＊\s\-]*")


@dataclass
class Profile:
    """What the scorer compares. `codes` maps each occupation code to where it came from."""

    kind: str
    codes: dict[str, str]
    place: Place = NOWHERE
    age: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    pay_min: int | None = None
    pay_max: int | None = None
    pay_unit: str = ""
    gender: str = ""
    gender_req: str = ""
    certs: list[str] = field(default_factory=list)
    experience_years: int | None = None
    daily_pay: bool = False
    created_at: datetime | None = None
    item_id: int | None = None
    cert_required: bool = False  # a job's: 须持…证
    township_limit: int | None = None  # a seeker's: the only township they accept
    facts_known: bool = True  # False for a question: its asker's age, certificates... are unknown


def _int(value: object) -> int | None:
    try:
        return int(value) if value is not None else None  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def profile_from_fields(kind: str, fields: dict, text: str, place: Place, session: Session | None = None) -> Profile:
    """The profile of a job post or a seeker note from templates_msg's fields and masked text."""
    if kind == "job":
        titles = [str(t) for t in (fields.get("jobs") or [fields.get("title")]) if t]
        return Profile(
            kind="job", codes=dict.fromkeys(occupations.refine([t for t in titles if t in occupations.tree()], text), "title"), place=place, age_min=_int(fields.get("age_min")), age_max=_int(fields.get("age_max")),
            pay_min=_int(fields.get("salary_min")), pay_max=_int(fields.get("salary_max")),
            pay_unit=str(fields.get("salary_unit") or ""), gender_req=str(fields.get("gender_req") or ""),
            certs=list(dict.fromkeys(m.group(0) for m in _CERT.finditer(text)))[:5],
            daily_pay=bool(_DAILY.search(text)) or fields.get("salary_unit") == "day",
            cert_required=bool(_CERT_REQUIRED.search(text)),
        )
    codes: dict[str, str] = {}
    for source, key in (("intent", "intent_jobs"), ("skill", "skills")):
        known = [str(c) for c in fields.get(key) or [] if str(c) in occupations.tree()]
        for code in occupations.refine(known, text):
            codes.setdefault(code, source)
    pay = read_pay(_MASKED_PHONE.sub(" ", text))
    limit = None
    if _ONLY_NEAR.search(text):
        named = place_in_text(session, str(fields.get("intent_location") or "")) if session is not None else NOWHERE
        limit = (named if named.known else place).township_id
    return Profile(
        kind="seeker", codes=codes, place=place, age=_int(fields.get("age")), gender=str(fields.get("gender") or ""),
        pay_min=_int(pay.salary_min) if pay.salary_unit in ("month", "day") else None, pay_unit=pay.salary_unit or "",
        certs=[str(c) for c in fields.get("certs") or []][:5], experience_years=_int(fields.get("experience_years")),
        daily_pay=bool(_DAILY.search(text)), township_limit=limit,
    )


def item_place(session: Session, item: Item, fields: dict) -> Place:
    """A seeker is where they live (the village they posted from); a job where its text says,
    else its target township, else where it was posted from."""
    if item.kind == "seeker":
        return place_of_node(session, item.origin_node_id)
    found = place_in_text(session, f"{fields.get('location') or ''} {item.masked_text}")
    if found.known:
        return found
    targets = item.target_township_ids or []
    if len(targets) == 1:
        return Place(None, int(targets[0]))
    return place_of_node(session, item.origin_node_id)


def build(session: Session, item: Item) -> Profile:
    fields = json.loads(item.fields_json) if item.fields_json else {}
    profile = profile_from_fields(item.kind, fields, item.masked_text, item_place(session, item, fields), session)
    profile.item_id, profile.created_at = item.id, item.created_at
    return profile


def facts(profile: Profile, item: Item) -> dict:
    """The MatchFacts columns of a profile."""
    return {
        "kind": item.kind, "created_at": item.created_at,
        "village_id": profile.place.village_id, "township_id": profile.place.township_id,
        "age": profile.age, "age_min": profile.age_min, "age_max": profile.age_max,
        "pay_min": profile.pay_min, "pay_max": profile.pay_max, "pay_unit": profile.pay_unit,
        "gender": profile.gender[:4], "gender_req": profile.gender_req[:4], "certs": "|".join(profile.certs)[:200],
        "experience_years": profile.experience_years, "daily_pay": profile.daily_pay,
        "cert_required": profile.cert_required, "township_limit": profile.township_limit,
    }


def store(session: Session, item: Item) -> Profile:
    """Write (or rewrite) the item's profile and codes; matching finds it from now on."""
    profile = build(session, item)
    values = facts(profile, item)
    session.execute(delete(MatchOccupation).where(MatchOccupation.item_id == item.id))
    session.execute(delete(MatchProfile).where(MatchProfile.item_id == item.id))
    session.add(MatchProfile(item_id=item.id, **values))
    session.add_all([MatchOccupation(item_id=item.id, code=code, source=source, **values)
                     for code, source in profile.codes.items()])
    session.flush()
    return profile


def from_facts(row: Mapping[Any, Any]) -> Profile:
    """A profile from stored facts (a row with the MatchFacts columns and item_id); no codes yet."""
    return Profile(
        kind=row["kind"], codes={}, place=Place(row["village_id"], row["township_id"]), age=row["age"],
        age_min=row["age_min"], age_max=row["age_max"], pay_min=row["pay_min"], pay_max=row["pay_max"],
        pay_unit=row["pay_unit"], gender=row["gender"], gender_req=row["gender_req"],
        certs=[c for c in row["certs"].split("|") if c], experience_years=row["experience_years"],
        daily_pay=row["daily_pay"], created_at=row["created_at"], item_id=row["item_id"],
        cert_required=row["cert_required"], township_limit=row["township_limit"],
    )
