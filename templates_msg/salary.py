"""Read pay from a job ad: 月薪4000-6000, 5k+, 日结150, 一天两百, 20元/小时, 计件."""

from __future__ import annotations

import re
from dataclasses import dataclass

from templates_msg.numbers import AMOUNT, parse_amount, to_int

_TO = r"\s*(?:元|块)?\s*(?:-|~|～|到|至|—|－)\s*"
_RANGE = re.compile(rf"(?P<a>{AMOUNT}){_TO}(?P<b>{AMOUNT})")
_KEYED = re.compile(
    r"(?:月薪|工资|薪资|薪水|底薪|待遇|日薪|时薪|日结|月入|收入|保底|综合|到手|一天|每天|一晚|每晚|一小时|每小时|每月|一个月|年薪"
    r"|计件|单价|一单|每单|一车|每车|一件|每件|日赚|一平|每平|一个窗|一千字|每千字|一个)"
    r"[^\d一二两三四五六七八九十]{0,5}?"
    rf"(?P<a>{AMOUNT})"
)
# 5k, 5k+, 1.2w: the unit letter is part of the amount.
_SHORTHAND = re.compile(r"(?<![\w.])(?P<a>\d{1,3}(?:\.\d)?\s*[kKwW]\d?)(?![A-Za-z])")
_UNIT_AMOUNT = re.compile(rf"(?P<a>{AMOUNT})\s*(?:元|块钱|块|[kK]|一天|每天|/天|/日|一小时|每小时|/小时|/h)")
_YEARLY = re.compile(r"年薪\S{0,3}$")
_DIMES = re.compile(r"(?:一件|每件|一个|每个|一斤|每斤)\s*(?P<a>\d|[一二两三四五六七八九])\s*[毛角]")
# A bare figure in a job ad (3200 双休, 四千五) is a monthly wage when nothing else claims it.
_BARE = re.compile(
    r"(?<![\d.\-~])(?P<a>\d{4,5}|\d(?:\.\d)?万\d?|[一二两三四五六七八九]千[一二三四五六七八九]?)(?![\d.:])"
)
# 七八千, 四五千: two neighbouring numerals make a spoken range.
_SPOKEN_RANGE = re.compile(r"(?P<x>[一二两三四五六七八九])(?P<y>[二三四五六七八九])(?P<u>千|百|万)")
# Money the worker pays is not pay (培训费1980, 押金500).
_FEE_BEFORE = re.compile(r"(?:费|押金|保证金|会员|交|罚款|扣)$")
_NOT_PAY_AFTER = re.compile(
    r"^\s*(?:岁|周岁|人|名|位|号|个|年(?!龄|纪)|cm|米|斤|平|亩|点|:|：|月\d|月份|天假|天休|小时工作|班|字|毛|角)"
)
_OVER_10K = re.compile(r"(?:月入|月薪|工资|收入)?过万|上万")

_DAY = re.compile(r"日结|日薪|/天|每天|一天|元/日|/日|一日|按天|天工资|块一天|元一天|一晚|每晚")
_HOUR = re.compile(r"小时|时薪|/h|/H|每时")
_PIECE = re.compile(
    r"计件|一件|每件|/件|按件|一单|每单|单价|一车|每车|一吨|每吨|一平|每平|一个窗|千字|一斤|每斤|一个(?=\S{0,2}\d|\S[毛角])"
)
_PIECE_STRONG = re.compile(r"计件|按件|单价|一单|每单|一平|每平|千字")
_MONTH = re.compile(r"月薪|/月|每月|一个月|月工资|月入|底薪|月综合")


@dataclass(frozen=True)
class Pay:
    salary_min: int | float | None
    salary_max: int | float | None
    salary_unit: str | None


def _local_unit(text: str, start: int, end: int) -> str | None:
    """Unit written right next to the amount (日结150, 150/天, 20元/小时)."""
    window = text[max(0, start - 5) : min(len(text), end + 5)]
    for unit, pattern in (("hour", _HOUR), ("piece", _PIECE), ("day", _DAY), ("month", _MONTH)):
        if pattern.search(window):
            return unit
    return None


def _global_unit(text: str) -> str | None:
    for unit, pattern in (("piece", _PIECE), ("hour", _HOUR), ("day", _DAY), ("month", _MONTH)):
        if pattern.search(text):
            return unit
    return None


def _candidates(text: str) -> list[tuple[int, int, float, float | None]]:
    """(start, end, low, high) of every amount that reads as pay, in text order."""
    found = []
    for regex in (_RANGE, _KEYED, _SHORTHAND, _UNIT_AMOUNT, _BARE):
        for m in regex.finditer(text):
            if _NOT_PAY_AFTER.match(text[m.end() :]) or _FEE_BEFORE.search(
                text[max(0, m.start("a") - 4) : m.start("a")]
            ):
                continue
            low = parse_amount(m.group("a"))
            high = parse_amount(m.group("b")) if "b" in m.groupdict() else None
            if low is not None and high is not None:
                low = _shared_unit(low, m.group("b"))
            if low is None or (regex is _RANGE and (high is None or high < 10 or low < 10)):
                continue
            if regex is not _RANGE and low < (1000 if regex is _BARE else 1.5):
                continue
            if _YEARLY.search(text[max(0, m.start("a") - 5) : m.start("a")]):
                # 年薪8万: the card shows pay per month.
                low, high = low / 12, (high / 12 if high is not None else None)
            found.append((m.start("a"), m.end(), low, high))
    for m in _DIMES.finditer(text):
        # 一件3毛 / 一个一毛: piece rates in 毛 (tenths of a yuan).
        dimes = parse_amount(m.group("a"))
        if dimes is not None:
            found.append((m.start("a"), m.end(), dimes / 10, None))
    for m in _SPOKEN_RANGE.finditer(text):
        unit = {"百": 100, "千": 1000, "万": 10000}[m.group("u")]
        low, high = parse_amount(m.group("x")) or 0, parse_amount(m.group("y")) or 0
        found.append((m.start(), m.end(), low * unit, high * unit))
    # At one position a range beats a single figure (月薪4000-6000 is not just 4000).
    return sorted(found, key=lambda c: (c[0], c[3] is None))


def _shared_unit(low: float, high_text: str) -> float:
    """5-8k means 5000-8000: the unit written once applies to both ends."""
    if low < 100:
        if re.search(r"[kK千]", high_text):
            return low * 1000
        if re.search(r"[wW万]", high_text):
            return low * 10000
    return low


def _amount(value: float | None) -> int | float | None:
    """Whole yuan as an int; a piece rate under a yuan keeps its fraction (一个一毛 = 0.1)."""
    if value is None or value >= 1:
        return to_int(value)
    return round(value, 2)


def _plausible(low: float, unit: str) -> bool:
    return {"month": 800 <= low <= 100000, "day": 50 <= low <= 3000, "hour": 8 <= low <= 500}.get(unit, True)


# Phone numbers, with or without separators: digits that must never be read as a wage.
_PHONE_LIKE = re.compile(r"(?<!\d)(?:1[3-9]\d(?:[\s-]*\d){8}|0\d{2,3}[\s-]*\d{7,8})(?!\d)")
# Ages are not pay: 年龄18-50, 18-45岁, and a bare 18-45 (both ends plausible ages).
_AGES = re.compile(
    r"(?:年龄|年纪)\s*[:：]?\s*\d{2}\s*[-~～到至]\s*\d{2}(?:\s*周?岁)?|\d{2}\s*[-~～到至]\s*\d{2}\s*(?:岁|周岁)"
    r"|(?<![\d.\-])(?:1[6-9]|[2-5]\d)\s*[-~～到至]\s*[2-6]\d(?![\d.\-:元块kK千万号日月])"
)


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span replaced by as many spaces (offsets stay valid)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def read_pay(text: str, phone_spans: list[tuple[int, int]] | None = None) -> Pay:
    """Salary range and unit; a single figure gives min only (5000+ means at least 5000).

    Phone numbers (the spans masking found, and anything shaped like one) are blanked first: a
    phone's digit groups (0371-6234…, 138 0000 1234) are not a wage.
    """
    spans = [(m.start(), m.end()) for rx in (_PHONE_LIKE, _AGES) for m in rx.finditer(text)]
    spans += list(phone_spans or [])
    text = blank_spans(text, spans)
    piece = bool(_PIECE_STRONG.search(text))
    candidates = _candidates(text)
    # 底薪3000+提成 月入6000-8000: what the worker earns beats the base it is built on.
    base = candidates[0][0] if candidates else 0
    if re.search(r"底薪\s*$", text[max(0, base - 4) : base]):
        earned = [c for c in candidates if c[0] != base]
        candidates = earned + [c for c in candidates if c[0] == base]
    for start, end, low, high in candidates:
        unit = "piece" if piece else _local_unit(text, start, end) or _global_unit(text)
        if unit is None:
            unit = "day" if 50 <= low < 800 else "month"
        if not _plausible(low, unit):
            continue
        if high is not None and high < low:
            high = None
        return Pay(_amount(low), _amount(high), unit)
    if _OVER_10K.search(text):
        return Pay(10000, None, "piece" if piece else "month")
    if _PIECE.search(text):
        return Pay(None, None, "piece")
    return Pay(None, None, None)
