"""Find private accounts and places in text: e-mail, WeChat, QQ, house-level addresses."""

from __future__ import annotations

import re

from templates_msg.model import Finding
from templates_msg.textnorm import DIGIT_OF

_D = "[" + "".join(sorted(DIGIT_OF)) + "]"
_DS = rf"{_D}(?:[\s\-]?{_D})"  # a digit, then digits possibly split by one space/dash

EMAIL = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+\-]*\s*(?:@|＠|艾特|\s[Aa][Tt]\s)\s*[A-Za-z0-9\-]+"
    r"(?:\s*(?:\.|点|。|\s[Dd][Oo][Tt]\s)\s*[A-Za-z]{2,6})+"
)
# Spellings of "WeChat" seen in group chats, including homophones used to dodge filters.
_WX_WORDS = (
    r"(?:微信号?|威信|薇信|维信|徽信|卫星|[微威薇维徽V v]\s?[Xx][Ii][Nn]|[Ww][Ee][Ii]\s?[Xx][Ii][Nn]|[Vv]信|[Vv][Xx]"
    r"|[Ww][Xx]|wechat|WeChat|加[Vv微]|\+[Vv]|＋[Vv]|[Vv]:|[微威薇维](?=\s*[:：]))"
)
WECHAT = re.compile(
    _WX_WORDS + r"\s*(?:号|号码|是|为|:|：)?\s*(?P<id>[A-Za-z][A-Za-z0-9_\-]{5,19}|" + _DS + "{4,13})"
)
WXID = re.compile(r"wxid_[A-Za-z0-9]{4,}")
_QQ_WORDS = r"(?:[Qq]{2}|扣扣|企鹅号?|球球|[Qq]号|抠抠)"
QQ = re.compile(_QQ_WORDS + r"\s*(?:号|号码|是|为|:|：)?\s*(?P<id>" + _DS + "{4,11})")

_NUM = r"[0-9一二三四五六七八九十两零〇]+"
_UNIT = r"(?:号院|号楼|号|栋|幢|座|单元|层|楼|室|户|组|队)"
_HOUSE = rf"(?:{_NUM}[\-－]?)+{_UNIT}(?:(?:[A-Za-z]?{_NUM}[\-－]?)+{_UNIT})*(?:{_NUM}(?![\d\s]))?"
# A house-level part is a numbered unit after a street, estate or village name, or any
# run of two units (3号楼2单元), or a room number (501室).
ADDRESS = re.compile(
    rf"(?<=[路街巷道院区苑园庄村组寓厦城府湾里居墅])(?:胡同)?(?P<h>{_HOUSE})"
    rf"|(?P<h2>{_NUM}(?:号楼|栋|幢|号院)\s?{_NUM}(?:单元|层|楼|室|号)(?:\s?{_NUM}(?:室|号|户)?)?)"
    rf"|(?P<h3>{_NUM}(?:室|户))(?![一-龥]{{0,1}}友)"
    r"|门牌号?\s*(?P<h4>[0-9A-Za-z\-]+号?)"
    rf"|(?P<h5>{_NUM}(?:组|队)\s?{_NUM}(?:号|户))"  # a village's group and house: 三组15号
)
# Units that are never addresses even after a place word: bus lines, dates, floors of a mall.
_NOT_ADDRESS = re.compile(
    r"^\d+号线|^\d+号(?:上班|开始|到|截止|前|之前|以前|报名)|^(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])(?!\d)"
)  # a bus line, a day of the month, a written date (2020-03-05号)


def find_email(text: str) -> list[Finding]:
    return [Finding("email", m.start(), m.end(), m.group(0), "[邮箱已隐藏]") for m in EMAIL.finditer(text)]


def find_wechat(text: str) -> list[Finding]:
    found = [
        Finding("wechat", m.start("id"), m.end("id"), m.group("id"), "[微信已隐藏]")
        for m in WECHAT.finditer(text)
    ]
    found += [Finding("wechat", m.start(), m.end(), m.group(0), "[微信已隐藏]") for m in WXID.finditer(text)]
    return found


def find_qq(text: str) -> list[Finding]:
    return [Finding("qq", m.start("id"), m.end("id"), m.group("id"), "[QQ已隐藏]") for m in QQ.finditer(text)]


def find_address(text: str) -> list[Finding]:
    found = []
    for m in ADDRESS.finditer(text):
        name = next(g for g in ("h", "h2", "h3", "h4", "h5") if m.group(g))
        part = m.group(name)
        if _NOT_ADDRESS.match(text[m.start(name) :]):
            continue
        found.append(Finding("address", m.start(name), m.end(name), part, "**"))
    return found


# Where someone lives, said in words (住在后街第三排第二家, 地址 滨河花园 B区 7栋 502): no
# house-number shape, but a counted row, door, building or house after 住/地址 is as private as
# one. Masked on suspicion, from the first count to the last number of the phrase.
_LIVES = re.compile(r"(?:家住|住在|住址|地址|家在|住)[\s:：是在]*(?P<a>[^,，。!！?？;；\n]{2,30})")
_PHRASE_END = re.compile(r"电话|手机|联系|想|找|会|能|要|谢")
_COUNTED = re.compile(rf"第?{_NUM}个?(?:排|户|家|门|栋|幢|楼|号|组|队|巷|胡同|单元|室)|往?[东南西北]{{1,2}}{_NUM}米")
_TRAILING_NUMBER = re.compile(r"\s*[A-Za-z]?\d{1,4}(?:室|户|号)?(?![\d])")


def find_address_suspects(text: str) -> list[Finding]:
    """Counted places after 住 or 地址 (第三排第二家, 7栋 502): masked on suspicion."""
    found: list[Finding] = []
    confirmed = find_address(text)
    for m in _LIVES.finditer(text):
        phrase_start, phrase = m.start("a"), m.group("a")
        cut = _PHRASE_END.search(phrase)
        phrase = phrase[: cut.start()] if cut else phrase
        counts = list(_COUNTED.finditer(phrase))
        if not counts:
            continue
        start, end = phrase_start + counts[0].start(), phrase_start + counts[-1].end()
        while tail := _TRAILING_NUMBER.match(text, end):  # 7栋 502
            if tail.end() > phrase_start + len(phrase):
                break
            end = tail.end()
        span_overlaps = any(c.start < end and start < c.end for c in confirmed + found)
        if not span_overlaps:
            found.append(Finding("address", start, end, text[start:end], "**"))
    return found


# An account id with no word before it (加我 zhangsan_88, 微❤️：zhangsan88): letters mixed with digits,
# _ or -, or six or more letters after 加/搜/联系. In a resident's own text such a string is a
# WeChat id far more often than anything else; masked on suspicion.
_ACCOUNT_LIKE = re.compile(
    r"(?<![A-Za-z0-9_\-@.])(?P<id>(?=[A-Za-z0-9_\-]*[A-Za-z]{3})(?=[A-Za-z0-9_\-]*[\d_\-])[A-Za-z][A-Za-z0-9_\-]{5,19})(?![A-Za-z0-9_\-@])"
    r"|(?:加我?|搜|联系我?)\s*[:：]?\s*(?P<word>[A-Za-z]{6,20})(?![A-Za-z0-9_\-@])"
)


# Software, phones and car makes people name with a model number (Excel2010, iPhone13, CAD2020).
_PRODUCT = re.compile(
    r"(?i)(?:excel|word|office|windows|win|iphone|ipad|huawei|honor|oppo|vivo|xiaomi|redmi|cad|autocad|ps|photoshop"
    r"|wps|wifi|android|ios|jeep|bmw|audi|benz|toyota|honda|nissan|buick|golf|model)[\s\-_]?\d{1,4}[a-z]?"
)


def find_account_suspects(text: str) -> list[Finding]:
    """Strings shaped like a WeChat id that no account word introduced (see _ACCOUNT_LIKE)."""
    found = []
    for m in _ACCOUNT_LIKE.finditer(text):
        group = "id" if m.group("id") else "word"
        if _PRODUCT.fullmatch(m.group(group)):
            continue
        found.append(Finding("wechat", m.start(group), m.end(group), m.group(group), "[微信已隐藏]"))
    return found
