"""People's names in a message: the NER model's PER spans, checked and completed by rules.

Who wrote the text decides how much is private:
- a resident's own text (a seeker note, a question, chat): every person's name is private,
  the author's, a relative's, a neighbour's. The model reads every such text; rules add the
  forms it misses (俺妈叫…, 我叫…, a name next to an age or a gender) and drop what is not a
  name (places the model mistakes for people, surname-plus-title forms like 王大姐 that are
  already as polite as the masked form would be).
- a job ad or a notice is public, and its contact person (王经理, 联系人刘女士) stays. Only the
  parts that speak about other people are private: a former worker given as a reference
  (原来的工人…), and the graduate lists of training notices (结业学员名单…).

A span the model calls a person but no rule can confirm is a *suspect*: it is masked all the
same (fail safe), and reported so the steward's card can show what was hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from templates_msg import ner
from templates_msg.model import Finding
from templates_msg.names import SURNAMES_1, SURNAMES_2, is_common_word

# Forms of address that are a surname plus a title: as private as the masked form itself.
TITLES = (
    "师傅", "大哥", "大姐", "大嫂", "大叔", "大爷", "大妈", "大娘", "阿姨", "姐", "哥", "叔", "婶", "嫂", "姨",
    "经理", "老板", "先生", "女士", "小姐", "老师", "主任", "主管", "总", "工", "书记", "村长", "组长", "队长",
    "班长", "厂长", "会计", "医生", "大夫", "师", "校长", "站长", "专员", "所长", "科长", "局长", "同志",
)  # fmt: skip
_TITLE_RE = re.compile("(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + ")$")
_OLD_YOUNG = re.compile(r"^[老小阿]")

# Who a name belongs to when it is introduced: the author, or a relative / neighbour.
_KIN = r"(?:我|俺|咱|本人|他|她)?(?:妈|娘|爸|爹|老公|老婆|媳妇|爱人|对象|儿子|闺女|女儿|孩子|姑娘|小孩|哥|姐|弟|妹|嫂子|婆婆|公公|丈夫|妻子|邻居|亲戚|朋友|侄子|外甥)"
_INTRO = re.compile(
    rf"(?:(?:我|俺|咱)(?:的)?(?:名字)?叫|{_KIN}(?:的名字)?(?:叫|名叫|是)|名叫|叫做|姓名|名字(?:是|叫)?|联系人)[\s:：]*"
)
_NAME_BODY = re.compile(r"[一-龥·]{2,4}")
# After a name comes a separator, a gender, an age or a phone, never more name.
_AFTER_NAME = re.compile(r"[\s,，.。:：、!！;；(（]|男|女|\d|[一二三四五六七八九十]{1,3}岁|今年|电话|手机|联系|$")
# A name written right before an age or a gender, on its own (张建国 男 47岁, 王秀英，49岁).
_NAME_BEFORE_PROFILE = re.compile(
    r"(?:^|(?<=[\s,，.。:：、!！;；\]】)）]))(?P<n>[一-龥]{2,3})[\s,，、]*(?:男|女|[\d一二三四五六七八九十]{2,3}岁|今年)"
)

# Parts of a public text that speak about other people: references, graduate lists.
_REFERENCE = re.compile(
    r"(?:原来的|之前的|以前的|老)?(?:工人|员工|师傅|同事|学员|司机|保姆|阿姨)?(?:推荐人|介绍人|证明人|担保人|可以问问|可问|可咨询|"
    r"可以找|打听|不信问|问问|干过的|干过|做过的|做过|原来的工人|以前的工人|之前的工人|老员工|结业学员|结业名单|毕业学员|"
    r"合格学员|学员名单|获证人员|名单如下|名单公示|公示名单|以下学员|人员名单)"
)
# A public zone of text ends at the business's own contact words or at the end of the line.
_ZONE_END = re.compile(r"[\n。！!；;]|报名|联系(?!方式)|咨询|招聘电话|地址[:：]")


@dataclass(frozen=True)
class NameScan:
    """Names to mask, and the subset no rule confirmed (shown to the steward as suspects)."""

    findings: list[Finding]
    suspects: list[Finding]
    zones: list[tuple[int, int]]  # parts of a public text that speak about other people


def _surname_len(word: str) -> int:
    if word[:2] in SURNAMES_2:
        return 2
    return 1 if word[:1] in SURNAMES_1 else 0


def is_title_form(word: str) -> bool:
    """王经理, 刘女士, 老张, 小李, 陈工: a surname plus a title, not a full name."""
    if _OLD_YOUNG.match(word) and len(word) == 2:
        return True
    n = _surname_len(word)
    return n > 0 and _TITLE_RE.fullmatch(word[n:]) is not None


def _is_place(word: str, text: str, end: int) -> bool:
    from templates_msg.vocab import places

    if word in places() or any(p.startswith(word) and len(p) - len(word) == 1 for p in places()):
        return True
    return bool(re.match(r"[村镇乡庄屯寨集营店社区街路县市区]", text[end : end + 1]))


def _is_trade(text: str, start: int, end: int) -> bool:
    from templates_msg.vocab import find_occupations

    return any(m.start < end and start < m.end for m in find_occupations(text))


def _replacement(word: str) -> str:
    n = _surname_len(word)
    return word[:n] + "*" * (len(word) - n) if n else "**"


def _finding(text: str, start: int, end: int) -> Finding:
    word = text[start:end]
    return Finding("name", start, end, word, _replacement(word))


def _read_introduced(text: str, at: int) -> tuple[int, int] | None:
    """The name right after an introduction (我叫/俺妈叫/姓名：), surname known or not."""
    latin = re.compile(r"[A-Za-z][A-Za-z .]{1,20}[A-Za-z]|[A-Za-z]{2}").match(text, at)
    if latin:
        return latin.span()  # 我叫Tom, 联系人 Lily
    m = _NAME_BODY.match(text, at)
    if not m:
        return None
    body = m.group(0)
    # Shorten to the longest prefix followed by something that ends a name.
    for size in range(min(len(body), 4), 1, -1):
        # After 我叫, 小芳 is a name (a title form needs a surname there: 我叫王师傅 is not).
        if _AFTER_NAME.match(text, at + size) and not (_surname_len(body) and is_title_form(body[:size])):
            return at, at + size
    n = _surname_len(body)
    if n and not is_title_form(body[: n + 2]):
        return at, at + min(len(body), n + 2)
    return None


def _rule_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _INTRO.finditer(text):
        span = _read_introduced(text, m.end())
        if span:
            spans.append(span)
    for m in _NAME_BEFORE_PROFILE.finditer(text):
        word = m.group("n")
        if _surname_len(word) and not is_title_form(word) and not _is_place(word, text, m.end("n")):
            spans.append(m.span("n"))
    return spans


def _model_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, confirmed) for each PER span the model found that may be a person."""
    out = []
    for e in ner.entities(text):
        word = e.text.strip()
        if e.label != "PER" or not re.fullmatch(r"[一-龥·]{2,6}", word):
            continue  # the model's PER on emoji, digits or Latin letters is noise
        if is_title_form(word) or _is_place(word, text, e.end):
            continue
        confirmed = _surname_len(word) > 0 and 2 <= len(word) <= 4
        if not confirmed and (is_common_word(word) or _is_trade(text, e.start, e.end)):
            continue  # the model's guess at an ordinary word (育儿 in 育儿嫂)
        out.append((e.start, e.end, confirmed))
    return out


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def scan_private_text(text: str) -> NameScan:
    """Every person's name in a resident's own text."""
    spans = _rule_spans(text)
    suspects = []
    for start, end, confirmed in _model_spans(text):
        if _overlaps((start, end), spans):
            continue
        spans.append((start, end))
        if not confirmed:
            suspects.append(_finding(text, start, end))
    return NameScan(sorted((_finding(text, s, e) for s, e in spans), key=lambda f: f.start), suspects, [])


def private_zones(text: str) -> list[tuple[int, int]]:
    """Spans of a public text that talk about other people (references, graduate lists)."""
    zones = []
    for m in _REFERENCE.finditer(text):
        end = _ZONE_END.search(text, m.end())
        zones.append((m.start(), end.start() if end else len(text)))
    return zones


def scan_public_text(text: str) -> NameScan:
    """Names inside the private zones of a job ad or notice (references, graduate lists)."""
    zones = private_zones(text)
    if not zones:
        return NameScan([], [], [])
    inside = [f for f in scan_private_text(text).findings if _overlaps((f.start, f.end), zones)]
    # In a list, bare names stand between separators (张三 138…，李四 139…): take any known
    # surname plus one or two characters there too, unless it is an ordinary word.
    for start, end in zones:
        for m in re.finditer(r"(?<![一-龥])[一-龥]{2,3}(?![一-龥])", text[start:end]):
            word, span = m.group(0), (start + m.start(), start + m.end())
            if (
                _surname_len(word)
                and not is_title_form(word)
                and not is_common_word(word)
                and not _is_place(word, text, span[1])
                and not _overlaps(span, [(f.start, f.end) for f in inside])
            ):
                inside.append(_finding(text, *span))
    return NameScan(sorted(inside, key=lambda f: f.start), [], zones)


def scan(text: str, *, public: bool) -> NameScan:
    """A resident's own text always goes through the name model; a public text (a job ad, a
    bureau notice) only where it speaks about other people."""
    return scan_public_text(text) if public else scan_private_text(text)
