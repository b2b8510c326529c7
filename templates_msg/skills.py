"""The 技能 slot of a seeker's note: what the person can do, as typed and as occupations.

People write skills as a verb after a cue (会开叉车, 干过电焊, 学过数控), as a list closed by
都会/都中 (砌墙抹灰都会), as a certificate or licence (有电工证, B2), or as the trade they are
(俺是个瓦匠, 水电工 十五年经验). `skills_typed` keeps each as written, without the cue word;
`skills` maps them to the occupation vocabulary (templates_msg/data/occupations.tsv).
"""

from __future__ import annotations

import re

from templates_msg.vocab import MODIFIERS, find_occupations, normalize_occupation, places, unique_canonicals

_SEP = r"[\s，,。.；;！!？?：:、/()（）~～]"
# The cue words before a skill; the skill is what follows them.
_CUE = re.compile(
    r"(?:也会|还会|都会|(?<!不)会(?!计|员|议|儿|用不))|(?<!不)能(?=[开修干做看带烧焊种养喂洗搬扛装缝织])|干过|做过|学过|学的|当过"
    r"|在\S{1,6}?干过"
)
# 开过公交 / 开过拖拉机: what someone drove is kept with its verb.
_DROVE = re.compile(r"开过\S{2,4}")
# Words a cue often precedes that say nothing about a trade.
_GENERIC = frozenset({"干活", "干点活", "干", "写字", "动", "吃苦", "干点", "上夜班", "值班"})
# A verb in front of a vocabulary word (干保洁, 做抖音, 开装载机) is dropped, unless verb and
# word together are the vocabulary's own spelling (开叉车, 开挖机).
_VERB = re.compile(r"^[做干开当用]")
# Where a skill phrase ends: the next cue, a wish, a condition, a number.
_STOP = re.compile(
    r"也会|还会|都会|都中|都行|都能|也中|也行|啥的|什么的|就是|然后|想|找|要|给|的活|有经验|经验|好吃|多年|\d|能|了|"
    r"[一二两三四五六七八九十几]+年|(?<=.)会(?!计)"
)
_LIST_END = re.compile(r"^(?P<items>\S{2,12}?)(?:都会|都中|都行|都能\S?|也会)")
# A short action phrase that continues a list of skills after a cued one (会蒸馒头 炸油条).
_ACTION = re.compile(r"^[炸蒸修装开种养做刷喷贴砌抹剥串带杀分熨换洗切浇剪拍编看摘烧焊搓织缝绣]\S{1,4}$")
_CERT = re.compile(rf"(?:^|{_SEP}|有|持)(?P<c>(?!身份|有)[一-龥]{{2,4}}证)(?!明|件|书)")
_LICENCE = re.compile(r"(?<![A-Za-z\d])(?P<l>[A-Ca-c][1-3])(?![\d])")
_EXPERIENCE = re.compile(r"^\S{0,3}(?:经验|干了|干过|做了|做过|[一二两三四五六七八九十几\d]+年)")
_IDENTITY = re.compile(r"(?:我是|俺是|本人是|是个|以前干|持证|持有)\S{0,2}$")
# Certificates and licences that name a trade without the trade's own word.
_CERT_TRADE = {"高压证": "电工", "低压证": "电工", "育婴证": "育儿嫂", "育婴师证": "育儿嫂", "护士证": "护士"}
_LICENCE_TRADE = {"A1": "货车司机", "A2": "货车司机", "B1": "货车司机", "B2": "货车司机", "C1": "小车司机"}


def read_place_name(segment: str) -> bool:
    return any(segment.startswith(p) for p in places())


def _segments(text: str) -> list[str]:
    return [s for s in re.split(_SEP + "+", text) if s]


def _cut(phrase: str) -> str:
    stop = _STOP.search(phrase)
    return phrase[: stop.start()] if stop else phrase


def _tidy(phrase: str) -> str:
    """干保洁 -> 保洁, 开装载机 -> 装载机; 开叉车 stays (the vocabulary spells it so)."""
    if _VERB.match(phrase) and not normalize_occupation(phrase) and normalize_occupation(phrase[1:]):
        return phrase[1:]
    return phrase.removeprefix("用").removesuffix("不")  # 会用ERP -> ERP; 能干点手工活不 (a question)


def _cued(segment: str) -> list[str]:
    """会开叉车 -> 开叉车; 会做饭会打扫 -> 做饭, 打扫."""
    found = [m.group(0) for m in _DROVE.finditer(segment)]
    for cue in _CUE.finditer(segment):
        # 干过十年木工: the years are experience, the skill follows them.
        rest = re.sub(r"^[一二两三四五六七八九十几\d]+年多?的?", "", segment[cue.end() :])
        phrase = _tidy(_cut(rest))
        if len(phrase) >= 2 and phrase not in _GENERIC:
            found.append(phrase)
    return found


def _continues(segment: str) -> bool:
    """A segment that goes on a list of skills: a short action (炸油条) or a trade word (铲车)."""
    if _CUE.search(segment) or re.search(r"[了年岁\d]", segment):
        return False
    return bool(_ACTION.match(segment)) or normalize_occupation(segment) is not None


def _listed(segments: list[str], i: int) -> list[str]:
    """砌墙抹灰都会 / 装空调 修空调 都会: the items a closing 都会 marks as skills."""
    m = _LIST_END.match(segments[i])
    accepts = m is not None and segments[i].endswith(("都中", "都行"))
    if accepts and m is not None and not _ACTION.match(m.group("items")[:2]):
        return []  # 保洁 保姆都行: jobs they would take, not skills
    if m and not re.search(r"或|[点时年岁\d]", m.group("items")):
        items = [w.surface for w in find_occupations(m.group("items"))]
        return items or ([m.group("items")] if _ACTION.match(m.group("items")[:2]) else [])
    if segments[i] in ("都会", "都中", "都能干") and i:
        back: list[str] = []
        for seg in reversed(segments[:i]):
            if not _ACTION.match(seg):
                break
            back.insert(0, seg)
        return back
    return []


_OPENING = re.compile(r"^\W*(?:求职|找活|找个活|找工作|找份工作)")
_NOT_A_SKILL = re.compile(r"[男女\d岁想找A-Za-z]|证|电话|微信|手机|姓名|名字|^(?:本人|俺|我)")
_TRADE_NOUN = re.compile(r"(?:工|师|员|司机|嫂|工人|保安|会计|厨师|学徒|师傅)$")


def _after_opening(text: str, segments: list[str]) -> list[str]:
    """求职 开锁 换锁 -> 开锁; 求职 油漆工 喷漆 刷漆 -> 喷漆, 刷漆: after 求职, the first thing
    named that is an activity, or the activities listed after a trade noun."""
    if not _OPENING.match(text) or len(segments) < 2:
        return []
    found: list[str] = []
    after_noun = False
    for seg in segments[1:]:
        if _NOT_A_SKILL.search(seg) or _CUE.search(seg) or read_place_name(seg):
            break
        if _TRADE_NOUN.search(seg):
            after_noun = True
            continue
        # An activity: 开锁, 搓澡, 装门窗, or a four-character field of work (园林绿化, 仓库管理).
        if _ACTION.match(seg) or (len(seg) == 4 and not _TRADE_NOUN.search(seg)):
            found.append(seg)
        if not after_noun:
            break
    return found


def _trades(text: str, segments: list[str]) -> list[str]:
    """俺是个瓦匠 / 水电工 十五年经验 / 木工，会做家具: the trade the person is."""
    found = []
    for mention in find_occupations(text):
        if mention.surface in MODIFIERS:
            continue  # 电子厂, 食堂: where someone worked, not what they can do
        before, after = text[: mention.start], text[mention.end :].lstrip(" ，,")
        certified = mention.surface.startswith(("持证", "有证"))  # 持证电工
        if certified or _IDENTITY.search(before) or _EXPERIENCE.match(after) or _LICENCE.match(after) or after.startswith("会"):
            found.append(mention.surface)
    return found


def read_skills_typed(text: str) -> list[str]:
    """Every skill as written, without its cue word, in text order, once each."""
    segments = _segments(text)
    found = _trades(text, segments) + _after_opening(text, segments)
    for i, seg in enumerate(segments):
        cued = _cued(seg)
        found.extend(cued)
        if cued:
            # A cued skill's list continues in the next short action segments (会蒸馒头 炸油条).
            for nxt in segments[i + 1 :]:
                if not _continues(nxt):
                    break
                found.append(_tidy(nxt))
        found.extend(_listed(segments, i))
    found.extend(m.group("c") for m in _CERT.finditer(text))
    found.extend(m.group("l").upper() for m in _LICENCE.finditer(text))
    return list(dict.fromkeys(p for p in found if p))


def skill_occupations(typed: list[str]) -> list[str]:
    """The occupations the typed skills name (电焊 -> 焊工, 有电工证 -> 电工, B2 -> 货车司机)."""
    skills: list[str] = []
    for phrase in typed:
        # 开过公交 names the trade 开公交 does.
        found = unique_canonicals(find_occupations(phrase.replace("开过", "开", 1)))
        if not found:
            trade = _CERT_TRADE.get(phrase) or _LICENCE_TRADE.get(phrase)
            if trade is None and phrase.endswith("证"):
                trade = normalize_occupation(phrase[:-1])
            found = [trade] if trade else []
        skills.extend(c for c in found if c not in skills)
    return skills
