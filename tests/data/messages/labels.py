"""Constructors for hand-written labelled messages, and the markup that turns them into records.

Markup inside a message (the builder removes it and derives the labels from it):

  [[王秀英]]      a person's name: private (pii "name")
  <<前营村三组12号>> a house address: private (pii "address")
  ((2800元))      a span that must stay readable after masking ("keep")
  {P} {P:gang}    a resident's mobile, generated and spelled (style given or drawn): pii "phone"
  {L}             a resident's landline: pii "landline"
  {BP} {BL}       an employer's business mobile / landline: not private; kept, and it is the
                  job's contact_phone
  {ID} {CARD} {QQ} {WX} {EM}  ID card, bank card, QQ, WeChat id, e-mail: private

Who wrote a message is given as "role/channel" or one of the short forms in AUTHORS.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pii_spellings as gen

AUTHORS = {
    "r": ("resident", "oa"),
    "rf": ("resident", "forwarded"),
    "e": ("employer", "oa"),
    "ef": ("employer", "forwarded"),
    "s": ("steward", "wecom_app"),
    "v": ("village_staff", "wecom_app"),
    "o": ("officer", "wecom_app"),
    "of": ("officer", "forwarded"),
    "t": ("trainer", "wecom_app"),
    "tf": ("trainer", "forwarded"),
}
_KIN_OR_TITLE = ("老汉", "姐", "哥", "叔", "婶", "嫂", "奶", "爷", "姨", "伯", "舅", "妈", "爸", "老师", "师傅", "婆")


def S(text: str, jobs: list[str] | None = None, loc: str | None = None, g: str | None = None,
      age: int | None = None, sk: str = "", name: str | None = "auto",
      by: str = "r", amb: bool = False, flags: tuple[str, ...] = ()) -> dict[str, Any]:
    """A seeker's note. The person's phone and full name are private; `name` defaults to the
    first [[full name]] of the text, the phone field to the first private phone. `sk` lists what
    the person can do as "canonical:as typed" pairs separated by commas ("叉车工:开叉车,焊工:电焊");
    a skill outside the occupation vocabulary has canonical "-" ("-:看图纸")."""
    pairs = [p.split(":") for p in sk.split(",") if p]
    fields: dict[str, Any] = {"intent_jobs": jobs or [], "intent_location": loc, "gender": g, "age": age,
                              "name": name, "phone": "auto",
                              "skills": list(dict.fromkeys(c for c, _ in pairs if c != "-")),
                              "skills_typed": [t for _, t in pairs]}
    return {"kind": "seeker", "text": text, "fields": fields, "by": by, "amb": amb, "flags": list(flags)}


def J(text: str, title: str | None, n: int | None = None, lo: float | None = None, hi: float | None = None,
      unit: str | None = None, loc: str | None = None, amin: int | None = None, amax: int | None = None,
      company: str | None = None, benefits: list[str] | None = None, flags: tuple[str, ...] = (),
      by: str = "e", amb: bool = False) -> dict[str, Any]:
    """A job ad. Its business phone ({BP}/{BL}) is the contact and stays; missing_workplace and
    missing_contact are added from the labels (no location / no business phone)."""
    fields: dict[str, Any] = {"title": title, "headcount": n, "salary_min": lo, "salary_max": hi,
                              "salary_unit": unit, "location": loc, "contact_phone": "auto",
                              "age_min": amin, "age_max": amax}
    if company is not None:
        fields["company"] = company
    if benefits is not None:
        fields["benefits"] = benefits
    return {"kind": "job", "text": text, "fields": fields, "by": by, "amb": amb, "flags": list(flags)}


def K(kind: str, text: str, fields: dict[str, Any] | None = None, by: str | None = None,
      amb: bool = False, flags: tuple[str, ...] = ()) -> dict[str, Any]:
    """Any other message: notice, query, command or chat."""
    default = {"policy": "o", "query": "r", "command": "s", "other": "r", "seeker": "r", "job": "e"}[kind]
    return {"kind": kind, "text": text, "fields": fields or {}, "by": by or default, "amb": amb,
            "flags": list(flags)}


def Q(text: str, jobs: list[str] | None = None, loc: str | None = None, by: str = "r") -> dict[str, Any]:
    """A question about jobs (the relay answers it with open jobs that fit)."""
    fields: dict[str, Any] = {"jobs": jobs or []}
    if loc:
        fields["location"] = loc
    return K("query", text, fields, by)


def C(text: str, command: str, target: str | None = None, rest: str | None = None, by: str = "s") -> dict[str, Any]:
    """A bot command."""
    fields: dict[str, Any] = {"command": command}
    if target is not None:
        fields["target"] = target
    if rest is not None:
        fields["text"] = rest
    return K("command", text, fields, by)


# ---- rendering -------------------------------------------------------------------------------

_TOKEN = re.compile(r"\[\[(.+?)\]\]|<<(.+?)>>|\(\((.+?)\)\)|\{(BP|BL|P|L|ID|CARD|QQ|WX|EM)(?::([\w+-]+))?\}")
_NUMBER_STYLES = {"P": gen.MOBILE_STYLES, "L": gen.LANDLINE_STYLES, "ID": gen.ID_STYLES, "CARD": gen.CARD_STYLES,
                  "QQ": gen.QQ_STYLES}


def _draw_style(kind: str, rng: random.Random) -> str:
    if kind == "BP":
        return rng.choice(("plain", "plain", "plain", "344", "dash"))
    if kind == "BL":
        return rng.choice(("plain", "dash", "dash"))
    if kind == "P" and rng.random() < 0.2:
        return "plain"
    return rng.choice(_NUMBER_STYLES[kind])


def _value_and_spelling(kind: str, style: str | None, rng: random.Random) -> tuple[str, str]:
    if kind in ("P", "BP"):
        d = gen.mobile(rng)
        return d, gen.spell_mobile(d, style or _draw_style(kind, rng), rng)
    if kind in ("L", "BL"):
        d = gen.landline(rng)
        return d, gen.spell_landline(d, style or _draw_style(kind, rng), rng)
    if kind == "ID":
        d = gen.id_card(rng)
        return d, gen.spell_id(d, style or _draw_style(kind, rng), rng)
    if kind == "CARD":
        d = gen.bank_card(rng)
        return d, gen.spell_card(d, style or _draw_style(kind, rng), rng)
    if kind == "QQ":
        d = gen.qq(rng)
        return d, gen.spell_qq(d, style or _draw_style(kind, rng), rng)
    if kind == "WX":
        d = gen.wechat_id(rng)
        return d, d
    d = gen.email(rng)
    return d, d


_PII_TYPE = {"P": "phone", "L": "landline", "ID": "id_card", "CARD": "bank_card", "QQ": "qq", "WX": "wechat",
             "EM": "email"}


def _is_full_name(value: str) -> bool:
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", value)) and not value.endswith(_KIN_OR_TITLE)


def render(rid: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The labelled record of one hand-written message (values drawn from a seed of its id)."""
    rng = random.Random(rid)
    pii: list[dict[str, str]] = []
    keep: list[str] = []
    business: list[str] = []
    private_phones: list[str] = []
    names: list[str] = []

    def replace(m: re.Match[str]) -> str:
        name, address, kept, kind, style = m.groups()
        if name:
            pii.append({"type": "name", "value": name})
            names.append(name)
            return name
        if address:
            pii.append({"type": "address", "value": address})
            return address
        if kept:
            keep.append(kept)
            return kept
        value, spelled = _value_and_spelling(kind, style, rng)
        if kind in ("BP", "BL"):
            business.append(value)
            keep.append(spelled)
        else:
            pii.append({"type": _PII_TYPE[kind], "value": value})
            if kind in ("P", "L"):
                private_phones.append(value)
        return spelled

    text = _TOKEN.sub(replace, raw["text"])
    fields = dict(raw["fields"])
    if fields.get("phone") == "auto":
        fields["phone"] = private_phones[0] if private_phones else None
    if fields.get("name") == "auto":
        fields["name"] = next((n for n in names if _is_full_name(n)), None)
    flags = list(raw["flags"])
    if fields.get("contact_phone") == "auto":
        fields["contact_phone"] = business[0] if business else None
        if fields["location"] is None and "missing_workplace" not in flags:
            flags.append("missing_workplace")
        if not business and "missing_contact" not in flags:
            flags.append("missing_contact")
    role, channel = AUTHORS.get(raw["by"]) or tuple(raw["by"].split("/"))
    record: dict[str, Any] = {
        "id": rid,
        "kind": raw["kind"],
        "author": {"role": role, "channel": channel},
        "text": text,
        "fields": fields,
        "pii": pii,
        "keep": keep,
        "expected_red_flags": flags,
    }
    if raw["amb"]:
        record["ambiguous"] = True
    return record
