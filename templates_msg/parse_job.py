"""Turn a job ad into fields: title, headcount, pay, place, company, contact, ages, benefits."""

from __future__ import annotations

import re
from typing import Any

from templates_msg.model import Finding
from templates_msg.parse_common import read_age_range, read_headcount, read_place
from templates_msg.salary import read_pay
from templates_msg.vocab import MODIFIERS, Mention, find_occupations, unique_canonicals

_TITLE_FALLBACK = re.compile(
    # A job's name, not a verb or a pronoun after 招 (招想找…, 招我们…).
    r"(?:招聘|急招|诚聘|招)(?P<t>(?![想找要会能有在是的我你他俺])[一-龥]{2,6}?)(?=\d|若干|[一二两三四五六七八九十]+[名个位人]|名|人|[，,。\s]|$)"
)
_COMPANY_TAIL = (
    r"(?:有限责任公司|有限公司|股份公司|公司|集团|厂|超市|酒店|大酒店|饭店|餐厅|酒楼|宾馆|物流园|物流|医院|幼儿园|学校"
    r"|物业|农场|合作社|养殖场|门店|4S店|加油站|驾校|家政公司|养老院|服务中心|中心|家政|书店|快递)"
)
_COMPANY = re.compile(rf"(?P<c>[一-龥A-Za-z]{{2,14}}?{_COMPANY_TAIL})")
# Words that cannot be inside a company name; the name starts after the last of them.
_COMPANY_CUT = re.compile(
    r".*(?:急招|招聘|诚聘|高薪|招|聘|需要|在|是|于|位于|地点|地址|名|人|本|我们|我|俺|的|给|去|到|进|为|加入|欢迎|包吃住|包住|包吃)"
)
# The four benefits the bureau's cards show (corpus labels use only these); the rest are perks.
BENEFITS = ("包吃", "包住", "五险一金", "双休")
_BENEFITS = (
    ("包吃", r"包吃|管吃|管饭|包饭|供餐|免费工作餐|工作餐|包三餐|管三餐|[管包][一两三]?[顿餐]?[午晚早]?饭|包[一两三]顿"),
    ("包住", r"包吃住|管吃住|包住|管住|住宿|宿舍|提供住"),
    ("五险一金", r"五险一金"),
    ("社保", r"社保|五险|保险(?!代理)"),
    ("双休", r"双休"),
    ("加班费", r"加班费|加班另算|加班工资"),
    ("全勤奖", r"全勤"),
    ("班车", r"班车|接送"),
    ("节日福利", r"节日福利|过节费|年终奖"),
)
_GENDER_REQ = (
    ("男", re.compile(r"限男|男性|只要男|男工|男士|男的")),
    ("女", re.compile(r"限女|女性|只要女|女工|女士|女的|宝妈")),
)


# 郑州鑫源物流 + 有限公司: a shorter tail (物流, 食品) may be followed by the legal form.
_LEGAL_FORM = re.compile(r"^(?:[一-龥]{0,4}?(?:有限责任公司|股份有限公司|有限公司|公司|集团)|城|中心)")


def read_company(text: str) -> str | None:
    for m in _COMPANY.finditer(text):
        more = _LEGAL_FORM.match(text[m.end() :])
        name = m.group("c") + (more.group(0) if more else "")
        cut = _COMPANY_CUT.match(name[:-2] if len(name) > 2 else "")
        if cut:
            name = name[cut.end() :]
        if len(name) >= 3:
            return name
    return None


# 联系人王经理 / 联系人：李女士 — the person to ask for, kept on the post (a job's contact is public).
_CONTACT_NAME = re.compile(r"联系人[:：\s]*(?P<n>[一-龥]{1,3}?(?:先生|女士|经理|主管|老师|师傅|总|姐|哥)|[一-龥]{2,3}(?=[\s，,。电手]|\d|$))")


def read_contact_name(text: str) -> str | None:
    m = _CONTACT_NAME.search(text)
    return m.group("n") if m else None


def read_benefits(text: str) -> tuple[list[str], list[str]]:
    """(benefits, perks): the four standard benefits, and the other perks named (班车, 全勤奖)."""
    found = [name for name, pattern in _BENEFITS if re.search(pattern, text)]
    if "五险一金" in found and "社保" in found:
        found.remove("社保")
    return [b for b in found if b in BENEFITS], [b for b in found if b not in BENEFITS]


def read_gender_req(text: str) -> str | None:
    if re.search(r"男女不限|男女都|不限男女|男女均", text):
        return None
    hits = [g for g, pattern in _GENDER_REQ if pattern.search(text)]
    return hits[0] if len(hits) == 1 else None


_GENERIC = frozenset({"工人", "员工", "一线员工", "车间工人"})
_HIRE_CUE = re.compile(r"招聘|急招|诚聘|急聘|速招|招|聘|需要|要")
_COUNTED = re.compile(r"^\s*(?:\d{1,3}|[一二两三四五六七八九十]{1,3})\s*[名个位人]")


def read_title(text: str, mentions: list[Mention]) -> str | None:
    """The occupation hired for, from the vocabulary (None when none fits): the first one with a
    headcount after it (叉车2名), else the first after the hiring verb (物业招保安 -> 保安), else
    the first; a workplace (面粉厂, 大棚) yields to a trade named with it."""
    if not mentions:
        return None
    cue = _HIRE_CUE.search(text)
    counted = [m for m in mentions if _COUNTED.match(text[m.end : m.end + 6])]
    after = [m for m in mentions if cue and m.start >= cue.end()]
    first = (after or ([] if cue else counted) or mentions)[0]
    if first.surface in _GENERIC:
        # 纸箱厂招工人: a bare 工人 says less than the workplace named before it.
        specific = [m for m in mentions if m.surface not in _GENERIC]
        return specific[0].canonical if specific else first.canonical
    trades = [m for m in mentions if m.surface not in _GENERIC and m.surface not in MODIFIERS]
    if first.surface in MODIFIERS and trades:
        return trades[0].canonical  # 面粉厂 叉车2名: the trade, not the workplace
    return first.canonical


def read_title_text(text: str) -> str | None:
    """What the ad calls the job when the vocabulary has no word for it (急招模特 -> 模特)."""
    m = _TITLE_FALLBACK.search(text)
    return m.group("t") if m else None


# A phone given for someone else (a former worker as a reference) is not the employer's contact;
# one next to 老板/俺/经理/电话 is.
_REFERENCE_BEFORE = re.compile(r"(?:推荐|之前|原来|以前|(?<![一-龥])前|干过的|问问|她|他(?!们))\S{0,10}$")
_OWNER_BEFORE = re.compile(r"(?:老板|俺|我|场长|店长|经理|主管|老总|联系电话|超市电话|厂里电话|电话)\s*[:：]?\s*$")


def read_contact(text: str, findings: list[Finding]) -> str | None:
    phones = [f for f in findings if f.type in ("phone", "landline")]
    if not phones:
        return None
    plain = [f for f in phones if not _REFERENCE_BEFORE.search(text[max(0, f.start - 12) : f.start])]
    owner = [f for f in plain if _OWNER_BEFORE.search(text[max(0, f.start - 6) : f.start])]
    return (owner or plain or phones)[0].value


def parse_job(text: str, findings: list[Finding]) -> dict[str, Any]:
    """Structured fields of a job ad; absent values are None (lists are empty)."""
    mentions = find_occupations(text)
    jobs = unique_canonicals(mentions)
    pay = read_pay(text, [(f.start, f.end) for f in findings if f.type in ("phone", "landline")])
    age_min, age_max = read_age_range(text)
    benefits, perks = read_benefits(text)
    return {
        "title": read_title(text, mentions),
        "title_text": read_title_text(text),
        "jobs": jobs,
        "headcount": read_headcount(text),
        "salary_min": pay.salary_min,
        "salary_max": pay.salary_max,
        "salary_unit": pay.salary_unit,
        "location": read_place(text),
        "company": read_company(text),
        "contact_phone": read_contact(text, findings),
        "contact_name": read_contact_name(text),
        "age_min": age_min,
        "age_max": age_max,
        "gender_req": read_gender_req(text),
        "benefits": benefits,
        "perks": perks,
    }
