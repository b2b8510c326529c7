"""Review 3 (岗位信息真实性复核): the red flags of one job post, pure.

Input is the post's text and the fields templates_msg parsed from it; output is a list of
flags, each with a code (stable, used in the corpus labels) and a reason in Chinese for the
officer's card. No flag: a certified employer's post publishes at once.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from stdnum import luhn

from vetting.paytable import PayTable, load_pay_table
from vetting.wording import wording_flags

LABELS = {
    "fee_required": "向求职者收取押金或费用",
    "unrealistic_pay": "工资远高于本地同工种水平",
    "scam_task": "疑似刷单/打字员等诈骗话术",
    "offsite_contact": "只留QQ/微信等私下联系方式",
    "overseas": "境外务工招聘",
    "id_collection": "收取或扣押身份证、银行卡信息",
    "wage_withholding": "押工资或拖延发薪",
    "discrimination_gender": "性别歧视性要求",
    "discrimination_marital": "婚姻状况要求",
    "discrimination_pregnancy": "生育/怀孕要求",
    "discrimination_ethnic": "民族歧视性要求",
    "discrimination_origin": "地域/户籍歧视性要求",
    "discrimination_health": "乙肝等健康歧视性要求",
    "underage": "招用未满16周岁人员",
    "missing_workplace": "缺少工作地点",
    "missing_contact": "缺少联系电话",
    "unregistered_phone": "联系电话不是企业登记的号码",
}
MIN_WORKING_AGE = 16  # 劳动法 art. 15: no one under 16 may be hired
_CARD = re.compile(r"(?<![\d])(?:\d[ -]?){15,18}\d(?![\d])")
_DEFAULT_TABLE: PayTable | None = None


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str

    @property
    def label(self) -> str:
        return LABELS.get(self.code, self.code)


def default_pay_table() -> PayTable:
    global _DEFAULT_TABLE
    if _DEFAULT_TABLE is None:
        _DEFAULT_TABLE = load_pay_table()
    return _DEFAULT_TABLE


def _pay_flag(fields: Mapping[str, Any], table: PayTable) -> Flag | None:
    unit = fields.get("salary_unit")
    amounts = [v for v in (fields.get("salary_min"), fields.get("salary_max")) if isinstance(v, (int, float))]
    if unit not in ("month", "day", "hour") or not amounts:
        return None  # piece rates and 面议 cannot be compared
    reference = table.reference(fields.get("title"), unit)
    pay = max(amounts)
    if reference and pay > reference * table.ratio:
        return Flag("unrealistic_pay", f"{pay:g}元/{ {'month': '月', 'day': '天', 'hour': '小时'}[unit]}，本地参考约{reference:.0f}元")
    return None


def _bank_card(text: str) -> str | None:
    """A bank card number in a post: wages routed through a private card, or a card collected."""
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 16 <= len(digits) <= 19 and digits[:1] in "3456" and luhn.is_valid(digits):
            return match.group(0)
    return None


# A "workplace" that names no place: the worker cannot check where they would be sent.
_VAGUE_PLACE = re.compile(r"^(?:待定|面议|面谈|另行通知|到了再说|电话联系|详询|私聊|全国各地|全国|各地|外地|不限|市区|周边|附近)")


def _field_flags(fields: Mapping[str, Any], registered_phones: Collection[str] | None) -> list[Flag]:
    flags = []
    location = fields.get("location")
    if not location:
        flags.append(Flag("missing_workplace", "没有写明工作地点"))
    elif _VAGUE_PLACE.match(str(location)):
        flags.append(Flag("missing_workplace", f"工作地点不明确（{location}）"))
    phone = fields.get("contact_phone")
    if not phone:
        flags.append(Flag("missing_contact", "没有可核实的联系电话"))
    elif registered_phones is not None and phone not in registered_phones:
        flags.append(Flag("unregistered_phone", f"电话{phone}不是企业登记的联系电话"))
    age_min = fields.get("age_min")
    if isinstance(age_min, int) and age_min < MIN_WORKING_AGE:
        flags.append(Flag("underage", f"招收{age_min}岁人员"))
    return flags


def red_flags(
    text: str, fields: Mapping[str, Any], *, pay_table: PayTable | None = None,
    registered_phones: Collection[str] | None = None,
) -> list[Flag]:
    """Every red flag of a job post, one per code, in a stable order.

    `registered_phones` are the enterprise's own numbers; None skips that check (the CLI and the
    corpus have no enterprise).
    """
    flags = [Flag(code, f"“{words}”") for code, words in wording_flags(text)]
    if fields.get("contact_phone"):
        # QQ/WeChat next to a phone number is one more way to reach the employer, not a way
        # around the checks: only an ad reachable by QQ/WeChat alone is flagged.
        flags = [f for f in flags if f.code != "offsite_contact"]
    pay = _pay_flag(fields, pay_table or default_pay_table())
    if pay:
        flags.append(pay)
    card = _bank_card(text)
    if card:
        flags.append(Flag("id_collection", "帖子里有银行卡号"))
    flags.extend(_field_flags(fields, registered_phones))
    seen: dict[str, Flag] = {}
    for flag in flags:
        seen.setdefault(flag.code, flag)
    order = list(LABELS)
    return sorted(seen.values(), key=lambda f: order.index(f.code) if f.code in order else len(order))


def flag_codes(text: str, fields: Mapping[str, Any], **kwargs: Any) -> list[str]:
    return [flag.code for flag in red_flags(text, fields, **kwargs)]


def describe(flags: list[Flag]) -> str:
    """One line for the officer and the employer: 标签（原因）；…"""
    return "；".join(f"{f.label}（{f.reason}）" for f in flags)
