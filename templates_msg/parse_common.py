"""Field readers shared by seeker notes and job ads: ages, gender, places, counts."""

from __future__ import annotations

import re
from functools import cache

from templates_msg.numbers import parse_int
from templates_msg.vocab import places

_N = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
_TO = r"\s*(?:-|~|～|到|至|—|－|—)\s*"
AGE_RANGE = re.compile(rf"(?:年龄|年纪)?[:：\s]*(?P<a>{_N}){_TO}(?P<b>{_N})\s*(?:岁|周岁)")
AGE_RANGE_BARE = re.compile(
    rf"(?:年龄|年纪)(?:要求)?[:：\s]*(?P<a>\d{{2}}){_TO}(?P<b>\d{{2}})"
    # 普工15个 18-45 5000左右: two plausible ages standing alone are the age range of an ad.
    r"|(?:^|(?<=[\s，,]))(?P<c>1[6-9]|[2-5]\d)\s*[-~～到至]\s*(?P<d>[2-6]\d)(?=$|[\s，,])"
)
AGE_MAX = re.compile(
    rf"(?:(?:年龄|年纪)(?:要求)?[:：\s]*)?(?:不超过|不大于|不超|低于|小于)?(?P<b>{_N})\s*(?:岁|周岁)?\s*(?:以下|以内|之内|内|之下)"
    rf"|(?:年龄|年纪)?(?:不超过|不大于|不超|低于|小于)(?P<c>{_N})\s*(?:岁|周岁)?"
)
AGE_MIN = re.compile(rf"(?P<a>{_N})\s*(?:岁|周岁)\s*(?:以上|往上|及以上)")
AGE_SELF = re.compile(
    rf"(?<![\d\-~～到至—一二两三四五六七八九十])(?P<a>{_N})\s*(?:多)?\s*(?:岁|周岁)(?!以下|以内|以上|之内|内|往上|-|到)"
    rf"|(?:年龄|今年|年纪)[:：\s]*(?P<b>{_N})(?![\d\-~到至])"
    rf"|(?:男|女|男的|女的)[\s,，]*(?P<c>\d{{2}})(?![\d\-~到至.年月号元块kK人名个])"
    rf"|(?<![\d一二两三四五六七八九十])(?P<d>\d{{2}}|[二三四五六七八]十[一二三四五六七八九]?)(?:多)?了"
    # 刘桂花 五十三 / 唐晓芳 28 / 她三十六: a bare age as its own word, after a name or a pronoun.
    rf"|(?:^|[\s，,、]|[她他])(?P<e>[1-7]\d|十[四五六七八九]|[二三四五六七]十[一二三四五六七八九]?)(?=$|[\s，,、])"
)
# Kinship words name the person a relative writes for (俺爹, 我老婆, 俺闺女, 俺叔).
_KIN = r"(?:[俺我他她]|俺家|我家|俺们家)的?"
_GENDER_M = re.compile(
    r"男(?!女)|先生|大哥|大叔|大爷|老汉|爷们|小伙|儿子|孙子|小子|侄子"
    rf"|{_KIN}(?:爹|爸|儿(?!媳)|叔|大伯|伯|舅|哥|弟|外甥(?!女)|老头|爷爷|公公|对象(?=\S{{0,2}}[他]))"
)
_GENDER_F = re.compile(
    r"(?<![男儿])女(?![儿婿])|女士|大姐|阿姨|大妈|宝妈|大嫂|媳妇|闺女|[二三大]?嫂|婶|大娘|奶奶|侄女|外甥女"
    rf"|{_KIN}(?:老婆|妈|娘|姑娘|姑|姨|姐|妹|婆婆)"
)
_NO_GENDER = re.compile(r"男女不限|男女都|男女均|男女皆|不限男女|男女老少|男女工")

_PLACE_TAIL = r"(?:[一-龥]{0,5}?(?:村|镇|乡|街道|社区|新区|区|县|路|街|小区|园区|产业园|工业园|物流园|仓库|工地|市场|广场|医院|学校|酒店|超市|厂))?"
_CUE_PLACE = re.compile(
    r"(?:工作地点|上班地点|地点|地址|位置|意向地点|意向|在|去|到|想在|离)[:：\s]*"
    r"(?P<p>[一-龥]{2,6}?(?:村|镇|乡|县|市|区|街道|社区|工业园|产业园|物流园))"
)


def read_age_range(text: str) -> tuple[int | None, int | None]:
    """(age_min, age_max) required by a job ad."""
    m = AGE_RANGE.search(text)
    if m:
        return parse_int(m.group("a")), parse_int(m.group("b"))
    m = AGE_RANGE_BARE.search(text)
    if m:
        return parse_int(m.group("a") or m.group("c")), parse_int(m.group("b") or m.group("d"))
    low = AGE_MIN.search(text)
    high = AGE_MAX.search(text)
    high_val = None
    if high:
        high_val = parse_int(high.group("b") or high.group("c"))
    return (parse_int(low.group("a")) if low else None), high_val


def read_age(text: str) -> int | None:
    """The author's own age (45岁, 今年52, 五十二岁)."""
    for m in AGE_SELF.finditer(text):
        value = parse_int(m.group("a") or m.group("b") or m.group("c") or m.group("d") or m.group("e"))
        if value is not None and 14 <= value <= 80:
            return value
    return None


def read_gender(text: str) -> str | None:
    """男/女 of the author or the requirement, None when absent or 男女不限."""
    clean = _NO_GENDER.sub("", text)
    m, f = _GENDER_M.search(clean), _GENDER_F.search(clean)
    if m and f:
        return "男" if m.start() < f.start() else "女"
    return "男" if m else "女" if f else None


# Strong cues name the place of the job or the wish; a bare 在 may just say where someone was.
_PLACE_CUES = (
    re.compile(r"工作地点|上班地点|地点|地址|位置|工地在|意向|想在|想回|想去|希望在|离"),
    re.compile(r"在|回|去|到"),
)


@cache
def _place_pattern() -> re.Pattern[str]:
    # Longest names first, so at one position 中牟新区 wins over 中牟.
    return re.compile("|".join(re.escape(p) for p in places()))


def _first_known_place(text: str) -> tuple[int, str] | None:
    m = _place_pattern().search(text)
    return (m.start(), m.group(0)) if m else None


def _extend_place(text: str, start: int, name: str) -> str:
    """中牟 + 新区 + 仓库: follow a known place with more known places and a place suffix."""
    end = start + len(name)
    while True:
        nxt = next((p for p in places() if text.startswith(p, end)), None)
        if nxt is None:
            break
        name, end = name + nxt, end + len(nxt)
    tail = re.match(_PLACE_TAIL, text[end:])
    return name + (tail.group(0) if tail else "")


def read_place(text: str) -> str | None:
    """The place: after a cue (地点:, 想在) if one names a place, else the first known place."""
    for cues in _PLACE_CUES:
        for cue in cues.finditer(text):
            after = text[cue.end() : cue.end() + 12].lstrip(":： ")
            offset = cue.end() + (len(text[cue.end() : cue.end() + 12]) - len(after))
            hit = _first_known_place(after[:8])
            if hit and hit[0] <= 2:
                return _extend_place(text, offset + hit[0], hit[1])
    best = _first_known_place(text)
    if best is not None:
        return _extend_place(text, best[0], best[1])
    m = _CUE_PLACE.search(text)
    if m:
        return m.group("p")
    m = _BARE_PLACE.search(text)
    if m:
        return m.group("p")
    return _named_workplace(text)


# 薛店镇, 王庄村, 城南工业园 standing as a word of their own: a place outside the place list.
_BARE_PLACE = re.compile(
    r"(?:^|[\s，,。：:、])(?P<p>[一-龥]{2,4}?(?:镇|乡|村|街道|社区|工业园|产业园|物流园|开发区|新区))(?=$|[\s，,。、]|[招要缺])"
)


# 地点县人民医院: an explicit workplace cue names the place even when it is in no place list.
# Chinese characters only (a house number is private), and not 地址, which may be a home.
_WORKPLACE_CUE = re.compile(r"(?:工作地点|上班地点|地点)[:：\s]*(?P<p>[一-龥]{2,15})")
_TRAILING_CUE = re.compile(r"(?:联系电话|联系人|联系|电话|手机|微信|待遇|工资|月薪|要求|年龄)[一-龥]*$")


def _named_workplace(text: str) -> str | None:
    m = _WORKPLACE_CUE.search(text)
    if not m:
        return None
    place = _TRAILING_CUE.sub("", m.group("p"))
    return place if len(place) >= 2 else None


HEADCOUNT = re.compile(
    # 要个看塘的 / 缺个烧电焊的 / 需要个护工: one person.
    r"(?:要|缺|需要|找)(?P<one>个)(?![人月])"
    r"|(?:^|(?<=[\s，,]))(?P<p>\d{1,3})\s*人(?=$|[\s，,])"
    r"|(?:招|聘|需要|需|要|缺|共|人数)[^，。,\s\d一二两三四五六七八九十]{0,8}?[:：]?(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:名|人|位|个人|个)"
    r"|(?P<m>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:名|位)"
    r"|(?<=[工员师])\s*(?P<k>\d{1,3})\s*(?:人|个)(?!月|小时|点|以上|以下)"
)


def read_headcount(text: str) -> int | None:
    m = HEADCOUNT.search(text)
    if not m:
        return None
    if m.group("one"):
        return 1
    return parse_int(m.group("n") or m.group("m") or m.group("k") or m.group("p"))
