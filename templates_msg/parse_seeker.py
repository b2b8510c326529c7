"""Turn a seeker's note into fields: skills, wanted jobs, place, gender, age, name, phone."""

from __future__ import annotations

import re
from typing import Any

from templates_msg.model import Finding
from templates_msg.names import find_full_name
from templates_msg.numbers import parse_int
from templates_msg.parse_common import read_age, read_gender, read_place
from templates_msg.skills import read_skills_typed, skill_occupations
from templates_msg.vocab import Mention, find_occupations, normalize_occupation, synonyms_of

# The nearest cue before an occupation says whether it is something the person can do
# (会电焊, 干过保安) or wants (想找保洁, 求叉车工的活); words listed after a cued one share its
# cue (干过装修 水电 吊顶), and 都会/也会 after a list marks the list as skills.
_SKILL_CUE = re.compile(
    r"会(?!计)|干过|做过|当过|学过|有.{0,4}经验|熟练|熟悉|懂|擅长|专业|以前|之前|干了|做了|有证|持证|从事|我是|俺是|本人是|现在是"
)
_WANT_CUE = re.compile(r"想|找|求|意向|应聘|希望|看看|有没有|要|寻|换")
_SKILL_AFTER = re.compile(r"^[^\s，,。]{0,2}?(?:都会|也会|会(?!计)|都干过|都能干|都懂)")
_LIST_GAP = re.compile(r"^(?:[\s、,，/]|或者|或|和|跟|及|还有|也)*$")


_CERT = re.compile(
    r"(?:[A-Ca-c][1-3]|叉车|电工|焊工|电焊|厨师|健康|护理|育婴|保安|挖掘机|塔吊|驾驶|上岗|特种作业|操作)(?:证|驾照|本)"
    r"|驾照|有证|持证"
)
_YEARS = re.compile(
    r"(?:干了|做了|经验|有证|开了|干过|从事)?(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*多?年多?的?(?:经验|工龄|驾龄)?"
)


def _own_cue(text: str, lo: int, hi: int) -> str | None:
    window = text[max(lo, hi - 8) : hi]
    skill = [m.end() for m in _SKILL_CUE.finditer(window)]
    want = [m.end() for m in _WANT_CUE.finditer(window)]
    if not skill and not want:
        return None
    return "skill" if (max(skill) if skill else -1) > (max(want) if want else -1) else "want"


def _cues(text: str, mentions: list[Mention]) -> list[str | None]:
    cues: list[str | None] = []
    for i, m in enumerate(mentions):
        prev_end = mentions[i - 1].end if i else 0
        cue = "skill" if m.surface.startswith(("持证", "有证")) else _own_cue(text, prev_end, m.start)
        if cue is None and i and _LIST_GAP.match(text[prev_end : m.start]):
            cue = cues[-1]
        cues.append(cue)
    # 打扫卫生做饭都会: a trailing 会 marks the list it closes as skills.
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        if _SKILL_AFTER.match(text[m.end : nxt]):
            for j in _list_back(text, mentions, i):
                cues[j] = "skill"
    return cues


def _list_back(text: str, mentions: list[Mention], i: int) -> list[int]:
    """Indexes of mention i and the mentions listed right before it."""
    idx = [i]
    while idx[-1] > 0 and _LIST_GAP.match(text[mentions[idx[-1] - 1].end : mentions[idx[-1]].start]):
        idx.append(idx[-1] - 1)
    return idx


def split_skills_and_wants(text: str) -> tuple[list[str], list[str]]:
    """(skills, intent_jobs): cued mentions go to their side, uncued ones to both."""
    mentions = find_occupations(text)
    skills: list[str] = []
    wants: list[str] = []
    for mention, cue in zip(mentions, _cues(text, mentions), strict=True):
        if cue in (None, "skill") and mention.canonical not in skills:
            skills.append(mention.canonical)
        if cue in (None, "want") and mention.canonical not in wants:
            wants.append(mention.canonical)
    return skills, wants or list(skills)


def merge_apprentice(jobs: list[str]) -> list[str]:
    """焊工学徒 / 想学个汽修 … 学徒: an apprenticeship in that trade (电焊学徒, 汽修学徒), or a plain
    学徒工 when the vocabulary has none for it; the trade itself is not what they can do yet."""
    if "学徒工" not in jobs:
        return jobs
    if any(j != "学徒工" and j.endswith("学徒") for j in jobs):
        return [j for j in jobs if j != "学徒工"]  # 学电工 … 当学徒: the trade's apprenticeship
    trades = [j for j in jobs if j != "学徒工" and not j.endswith("学徒")]
    for trade in trades:
        for surface in synonyms_of(trade):
            apprentice = normalize_occupation("学" + surface) or normalize_occupation(surface + "学徒")
            if apprentice:
                return [j for j in jobs if j not in (trade, "学徒工")] + [apprentice]
    return [j for j in jobs if j not in trades]


def read_certs(text: str) -> list[str]:
    return list(dict.fromkeys(m.group(0) for m in _CERT.finditer(text)))


def read_years(text: str) -> int | None:
    for m in _YEARS.finditer(text):
        if re.search(r"经验|工龄|驾龄|干了|做了|有证|开了|干过|从事", m.group(0)):
            return parse_int(m.group("n"))
    return None


def parse_seeker(text: str, findings: list[Finding]) -> dict[str, Any]:
    """Structured fields of a seeker's note; absent values are None (lists are empty)."""
    cued_skills, wants = split_skills_and_wants(text)
    typed = read_skills_typed(text)
    skills = skill_occupations(typed)
    if wants == cued_skills:
        # Nothing wanted in words: what they can do is what they want.
        wants = list(dict.fromkeys([*cued_skills, *skills]))
    # The first way to reach the person by phone: a mobile or a landline.
    phones = [f.value for f in findings if f.type in ("phone", "landline")]
    wants = merge_apprentice(wants)
    return {
        "skills": skills,
        "skills_typed": typed,
        "intent_jobs": wants,
        "intent_location": read_place(text),
        "gender": read_gender(text),
        "age": read_age(text),
        "name": find_full_name(text),
        "phone": phones[0] if phones else None,
        "certs": read_certs(text),
        "experience_years": read_years(text),
    }
