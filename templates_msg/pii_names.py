"""People's names in a resident's own text: the NER model's PER spans, checked and completed by rules.

Every person's name there is private: the author's, a relative's, a neighbour's (刘大哥, 老杨婶).
The model reads every such text; rules add the forms it misses (我叫…, 俺妈叫…, 邻居孙德胜, a
name before an age or a phone) and drop what is not a name (places the model takes for people,
words that start with a surname character, job titles). The shared pieces (title forms, the
model's veto, full-name shape) also serve templates_msg.pii_public_names, which finds the private
people of job ads and notices.

A span the model calls a person but no rule can confirm is a *suspect*: it is masked all the
same (fail safe), and reported so the steward's card can show what was hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from templates_msg import ner
from templates_msg.model import Finding
from templates_msg.names import SURNAMES_1, SURNAMES_2, is_common_word
from templates_msg.textnorm import DIGIT_OF

# Forms of address: a surname plus a kinship word (王大姐, 李婶, 老杨婶) names a neighbour as surely
# as a full name does; a surname plus a job title (王经理, 陈工) is how a business is reached.
_KIN_WORDS = "哥姐嫂叔婶爷妈娘伯姨妹弟"
KIN_TITLES = (
    "师傅", "阿姨", "奶奶", "爷爷", "老汉", "婆",
    *(order + kin for order in ("", *"大二三四五六七八九老小") for kin in _KIN_WORDS),
)  # fmt: skip
JOB_TITLES = (
    "经理", "老板", "先生", "女士", "小姐", "老师", "主任", "主管", "总", "工", "书记", "村长", "组长", "队长",
    "班长", "厂长", "会计", "医生", "大夫", "师", "校长", "园长", "社长", "站长", "专员", "所长", "科长", "局长",
    "同志", "老总", "场长", "店长",
)  # fmt: skip
_TITLE_RE = re.compile("(?:" + "|".join(sorted(KIN_TITLES + JOB_TITLES, key=len, reverse=True)) + ")$")
_KIN_TITLE = "(?:" + "|".join(sorted(KIN_TITLES, key=len, reverse=True)) + ")"
_OLD_YOUNG = re.compile(r"^[老小阿]")
SURNAME_PATTERN = "(?:" + "|".join(sorted(SURNAMES_2)) + "|[" + "".join(sorted(SURNAMES_1)) + "])"
# 老杨婶, 刘大哥, 小李姐: written after a boundary, a place word or an introduction, never inside a
# phrase (我和大哥: 和 is a surname too).
_KIN_FORM = re.compile(
    rf"(?:(?<=[\s,，.。:：、!！;；村组队里的叫是找问和跟与俺我咱])|^)(?P<f>[老小]?(?P<s>{SURNAME_PATTERN}){_KIN_TITLE})"
)
# Surnames that are also prepositions: after 我/俺 they are not a surname (我和大哥, 俺跟大姐).
_PREPOSITION_SURNAMES = frozenset("和于向从与同跟把给")

# Who a name belongs to when it is introduced: the author, or a relative / neighbour.
_KIN = r"(?:我|俺|咱|本人|他|她)?(?:妈|娘|爸|爹|老公|老婆|媳妇|爱人|对象|儿子|闺女|女儿|孩子|姑娘|小孩|哥|姐|弟|妹|嫂子|婆婆|公公|丈夫|妻子|邻居|亲戚|朋友|侄子|外甥)"
_INTRO = re.compile(
    rf"(?:(?:我|俺|咱|他|她)\s*(?:的)?(?:名字)?\s*叫|{_KIN}(?:的名字)?(?:叫|名叫|是)|名叫|叫做|姓名|名字(?:是|叫)?|联系人)[\s:：]*"
)
_NAME_BODY = re.compile(r"[一-龥·]{2,4}")
# Who a name that follows belongs to, without 叫 (邻居孙德胜, 俺老伴麻梅, 我们村卫国, 我是娄宝):
# only a known surname starts a name there.
_OWNER = re.compile(
    rf"(?:{_KIN}|老伴|俺儿|我儿|孙子|孙女|他爸|他妈|她爸|她妈|我是|俺是|咱是|村的|组的|我们村|俺们村|咱村|俺村|同村的)[\s:：]*"
)
# What follows a name in a sentence: a separator, a gender, an age, a phone or a verb.
_AFTER_NAME_IN_SENTENCE = re.compile(
    r"[\s,，.。:：、!！;；(（]|男|女|\d|[一二三四五六七八九十]{1,3}[岁了]|今年|电话|手机|联系|也|想|问|会|在|要|找|能|说|家|发|的|去|来|是|干|做|还|都|已|从|到|给|让|和|$"
)
# A given name does not end in these (邻居成金也想: the name is 成金).
_NOT_NAME_END = frozenset("也想问会在是的了要找能干去还都就和跟说家")
# A name standing between separators right before a phone (找活 涂永胜 138…).
_NAME_BEFORE_PHONE = re.compile(
    r"(?:^|(?<=[\s,，.。:：、!！;；]))(?P<n>[一-龥]{2,3})[\s,，、]*(?:电话|手机|号码)?[\s:：]*(?=(?:[\d幺一二三四五六七八九零〇][\s\-]?){7})"
)
# A name opening the message before a verb (苑胜河问一下还招人吗).
_NAME_OPENING = re.compile(r"^\W*(?P<n>[一-龥]{2,3}?)(?=问|想|也|要|找|会|今年|说)")
# After a name comes a separator, a gender, an age or a phone, never more name.
_AFTER_NAME = re.compile(r"[\s,，.。:：、!！;；(（]|男|女|\d|[一二三四五六七八九十]{1,3}岁|今年|电话|手机|联系|$")
# A name written right before an age or a gender, on its own (张建国 男 47岁, 王秀英，49岁).
_NAME_BEFORE_PROFILE = re.compile(
    r"(?:^|(?<=[\s,，.。:：、!！;；\]】)）]))(?P<n>[一-龥]{2,3})[\s,，、]*(?:男|女|[\d一二三四五六七八九十]{2,3}岁|今年)"
)
# A name signed at the very end of a resident's message (…卡号… 鄢德福).
_SIGNATURE = re.compile(r"(?:^|(?<=[\s,，.。:：、!！;；]))(?P<n>[一-龥]{2,3})[\s。.!！]*$")

@dataclass(frozen=True)
class NameScan:
    """Names to mask, and the subset no rule confirmed (shown to the steward as suspects)."""

    findings: list[Finding]
    suspects: list[Finding]
    zones: list[tuple[int, int]]  # parts of a public text that speak about other people


def surname_len(word: str) -> int:
    if word[:2] in SURNAMES_2:
        return 2
    return 1 if word[:1] in SURNAMES_1 else 0


def is_title_form(word: str) -> bool:
    """王经理, 刘女士, 老张, 小李, 陈工, 李婶: a surname plus a title, not a full name."""
    if _OLD_YOUNG.match(word) and len(word) == 2:
        return True
    n = surname_len(word)
    return n > 0 and _TITLE_RE.fullmatch(word[n:]) is not None


def is_job_title_form(word: str) -> bool:
    """王经理, 陈工, 老张: how a business is reached; 刘大哥 is not one (a kinship form)."""
    return is_title_form(word) and not re.search(f"{_KIN_TITLE}$", word)


# LAC tags under which a word is surely no person's name (农行 is an ORG, 管 a verb).
_NOT_NAME_TAGS = frozenset({"v", "vd", "a", "ad", "d", "p", "c", "u", "xc", "m", "q", "ORG", "LOC", "TIME", "f", "s", "t", "w", "r"})


_VERB_TAGS = frozenset({"v", "vd", "d", "p", "c", "u", "xc", "m", "q", "TIME", "f", "w", "r"})


def model_agrees_on_name(text: str, name: str, at: int | None = None, *, context: bool = False) -> bool:
    """False when the model reads `name` (at `at`, else where first written) as something else:
    a verb (管吃 in "2500 管吃"), the inside of another word (米 of 200米), or a known noun
    (黄焖鸡, 毛衣): a name a rule guessed from its shape alone, which the model contradicts.

    With `context` (the words around already say a person is named: 我是…, 邻居…, … 男 45岁)
    only a known word or a verb vetoes; the model's ORG or LOC on an unusual name does not.
    """
    from templates_msg.vocab import tokenizer

    at = text.find(name) if at is None else at
    if at < 0:
        return True
    if (len(name) == 2 and name[0] == name[1]) or is_place(name, text, at + len(name)):
        return False
    pos = 0
    for word, tag in ner.words(text):
        if pos <= at < pos + len(word):
            if tag == "PER":
                return True
            known = (tokenizer().FREQ.get(word) or 0) > 0
            if context:  # only a word the model reads from the same place vetoes: a known one (毛衣 of
                # 毛衣多), or a verb as long as the name; not its ORG or LOC on an unusual name
                return pos != at or not ((known and len(word) >= 2) or (tag in _VERB_TAGS and len(word) >= len(name)))
            known_noun = tag == "nz" or (tag.startswith("n") and known)
            return pos == at and tag not in _NOT_NAME_TAGS and not known_noun
        pos += len(word)
    return True


# 咱村的石头叔: a neighbour's nickname and a kinship word, after 村的/组的.
_NICKNAME_KIN = re.compile(
    rf"(?<=[村组队]的)(?P<f>(?![大二三四五六七八九老小])[一-龥]{{1,2}}?)(?:{_KIN_TITLE})(?![一-龥]{{0,1}}[们家])"
)


def kin_spans(text: str) -> list[tuple[int, int]]:
    """刘大哥, 老杨婶, 赵婶: a neighbour named by surname and kinship word (private in a resident's text)."""
    spans = [m.span("f") for m in _NICKNAME_KIN.finditer(text)]
    for m in _KIN_FORM.finditer(text):
        if m.group("s") in _PREPOSITION_SURNAMES and not m.group("f").startswith(("老", "小")):
            continue
        if m.group("s") in SURNAMES_2 or (len(m.group("s")) == 1 and m.group("s") in SURNAMES_1):
            if not is_common_word(m.group("f")):
                spans.append(m.span("f"))
    return spans


def is_place(word: str, text: str, end: int) -> bool:
    from templates_msg.vocab import places

    if word in places() or any(p.startswith(word) and len(p) - len(word) == 1 for p in places()):
        return True
    if word[-1] in "村庄屯寨集营家":
        return True  # 冯庄, 蒋村: a village named after a family
    return bool(re.match(r"[村镇乡庄屯寨集营店社区街路县市区]", text[end : end + 1]))


def _is_trade(text: str, start: int, end: int) -> bool:
    from templates_msg.vocab import find_occupations

    return any(m.start < end and start < m.end for m in find_occupations(text))


def _replacement(word: str) -> str:
    lead = 1 if word[:1] in "老小" and surname_len(word[1:]) else 0
    n = surname_len(word[lead:])
    if n and _TITLE_RE.fullmatch(word[lead + n :]):
        return word[:lead] + "*" * n + word[lead + n :]  # 刘大哥 -> *大哥: the surname is what names her
    return word[:n] + "*" * (len(word) - n) if n else "**"


def name_finding(text: str, start: int, end: int) -> Finding:
    word = text[start:end]
    return Finding("name", start, end, word, _replacement(word))


def _read_introduced(text: str, at: int) -> tuple[int, int] | None:
    """The name right after an introduction (我叫/俺妈叫/姓名：), surname known or not."""
    latin = re.compile(r"[A-Za-z][A-Za-z .]{1,20}[A-Za-z]|[A-Za-z]{2}").match(text, at)
    if latin:
        return latin.span()  # 我叫Tom, 联系人 Lily
    spaced = re.compile(r"[一-龥](?:[ \u3000·.][一-龥]){1,3}(?![一-龥])").match(text, at)
    if spaced:
        return spaced.span()  # 我叫王 建 国: spaced out to slip past filters
    m = _NAME_BODY.match(text, at)
    if not m:
        return None
    body = m.group(0)
    # Shorten to the longest prefix followed by something that ends a name.
    for size in range(min(len(body), 4), 1, -1):
        # After 我叫, 小芳 is a name (a title form needs a surname there: 我叫王师傅 is not).
        if _AFTER_NAME.match(text, at + size) and not (surname_len(body) and is_title_form(body[:size])):
            return at, at + size
    n = surname_len(body)
    if n and not is_title_form(body[: n + 2]):
        return at, at + min(len(body), n + 2)
    return None


def _read_owned(text: str, at: int) -> tuple[int, int] | None:
    """A surname and one or two more characters after 邻居/老伴/我是…, ended by what follows names."""
    n = surname_len(text[at:])
    if not n:
        return None
    for given in (2, 1):
        end = at + n + given
        word = text[at:end]
        if (
            end <= len(text)
            and re.fullmatch(r"[一-龥]+", word)
            and word[-1] not in _NOT_NAME_END
            and _AFTER_NAME_IN_SENTENCE.match(text, end)
            and is_full_name(word)
            and not (given == 2 and is_common_word(word[: n + 1]))  # 咱村周末多: 周末 is a word
            and not (given == 2 and is_place(word[: n + 1], text, at + n + 1))
            and model_agrees_on_name(text, word, at, context=True)
            and not is_place(word, text, end)
        ):
            return at, end
    return None


def rule_spans(text: str, *, weak: bool = True) -> list[tuple[int, int]]:
    """Names the rules find; `weak` adds those found by position alone (before a phone, opening
    a question), right in a resident's text but not in a job ad, where a phone follows anything."""
    spans = []
    for m in _INTRO.finditer(text):
        span = _read_introduced(text, m.end())
        if span:
            spans.append(span)
    for m in _OWNER.finditer(text):
        span = _read_owned(text, m.end())
        if span and not overlaps(span, spans):
            spans.append(span)
    for pattern in (_NAME_BEFORE_PHONE, _NAME_OPENING) if weak else ():
        for m in pattern.finditer(text):
            word = m.group("n")
            before_phone = pattern is _NAME_BEFORE_PHONE  # a phone right after says "this is a person"
            if is_full_name(word) and model_agrees_on_name(text, word, m.start("n"), context=before_phone):
                if not is_place(word, text, m.end("n")) and not overlaps(m.span("n"), spans):
                    spans.append(m.span("n"))
    for pattern in (_NAME_BEFORE_PROFILE, _SIGNATURE):
        for m in pattern.finditer(text):
            word = m.group("n")
            # Before 男/女/an age a common word may still be a name, unless the model knows it
            # as something else (高中 女 30岁, 文员 女); signed alone it must not be a word at all.
            if pattern is _NAME_BEFORE_PROFILE:
                ok = is_full_name(word, common_ok=True) and model_agrees_on_name(text, word, m.start("n"), context=True)
            else:
                ok = is_full_name(word)
            if ok and not is_place(word, text, m.end("n")):
                spans.append(m.span("n"))
    return spans


def is_full_name(word: str, *, common_ok: bool = False) -> bool:
    n = surname_len(word)
    if not n or not 1 <= len(word) - n <= 2 or is_title_form(word) or (len(word) == 2 and word[0] == word[1]):
        return False  # 汪汪 is a dog, not Mr 汪
    return common_ok or not is_common_word(word)


def model_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, confirmed) for each PER span the model found that may be a person."""
    out = []
    for e in ner.entities(text):
        lead = len(e.text) - len(e.text.lstrip("俺我咱他她 "))
        word, start = e.text[lead:].strip(), e.start + lead  # 俺儿 is a pronoun, not a name
        if e.label != "PER" or not re.fullmatch(r"[一-龥·]{2,6}", word):
            continue  # the model's PER on emoji, digits or Latin letters is noise
        if surname_len(word) and len(word) == surname_len(word) + 1 and _one_more_given(text, start + len(word)):
            word = text[start : start + len(word) + 1]  # the model cut 马德|福 (刘家|成) short: 马德福会开车
        e = ner.Entity(e.label, start, start + len(word), word, e.confidence)
        if is_job_title_form(word) or is_place(word, text, e.end) or _cut_title(text, e.start, e.end):
            continue
        if is_business_name(text, e.start, e.end):
            continue  # 张记烩面馆, 李宁专卖店: a shop, not a person
        if word[0] in _UNITS and start > 0 and text[start - 1] in DIGIT_OF:
            continue  # 200米路西: a measure after a number, not the surname 米
        confirmed = surname_len(word) > 0 and 2 <= len(word) <= 4
        if is_common_word(word) or (len(word) == 2 and word[0] == word[1]):
            continue  # 张罗, 曹操: a word in everyone's mouth; a resident so named is caught by context rules
        if not confirmed and (
            is_common_word(word) or _is_trade(text, e.start, e.end) or _CONTACT_WORD_CHARS.intersection(word)
        ):
            continue  # the model's guess at an ordinary word (育儿 in 育儿嫂, 加微)
        out.append((e.start, e.end, confirmed))
    return out


# A surname that starts a shop's or a brand's name: 张记烩面馆, 李宁专卖店, 王家饭店.
_BUSINESS_AFTER = re.compile(r"[一-龥]{0,4}?(?:店|馆|厂|行|铺|坊|公司|超市|酒楼|餐厅|饭庄|米线|烩面|快餐|门市|专卖|驾校|诊所|商贸|集团)")


def is_business_name(text: str, start: int, end: int) -> bool:
    return text[end - 1] in "记氏家" or _BUSINESS_AFTER.match(text, end) is not None


_UNITS = frozenset("米斤元块岁号点个人名天年月日时分层栋楼")
_CONTACT_WORD_CHARS = frozenset("微信加号码电话手机卡证扣")


def _cut_title(text: str, start: int, end: int) -> bool:
    """The model cut a title form short (李主|管): the span plus what follows is 李主管."""
    return any(is_title_form(text[start : end + k]) for k in (1, 2) if end + k <= len(text))


def _one_more_given(text: str, end: int) -> bool:
    """A CJK character right after a two-character name that a name-ending word follows."""
    return (
        end < len(text)
        and "\u4e00" <= text[end] <= "\u9fff"
        and text[end] not in _NOT_NAME_END
        and text[end] not in "男女岁今电手联"
        and _AFTER_NAME_IN_SENTENCE.match(text, end + 1) is not None
        and not _AFTER_NAME_IN_SENTENCE.match(text, end)
    )


def overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def scan_private_text(text: str) -> NameScan:
    """Every person's name in a resident's own text, kinship forms (刘大哥) included."""
    spans = rule_spans(text)
    spans += [k for k in kin_spans(text) if not overlaps(k, spans)]
    suspects = []
    for start, end, confirmed in model_spans(text):
        if overlaps((start, end), spans):
            continue
        spans.append((start, end))
        if not confirmed:
            suspects.append(name_finding(text, start, end))
    return NameScan(sorted((name_finding(text, s, e) for s, e in spans), key=lambda f: f.start), suspects, [])
