"""The 企业认证 conversation's named states and answer checks (pure).

Each state asks for one thing; a wrong answer gets a precise correction and the state stays,
so nothing typed earlier is lost. `hr_licence` is asked only of labour-dispatch and HR-service
businesses. `photo` takes an image message (the media id is kept), never text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from vetting.codes import check_credit_code
from vetting.review import needs_hr_licence

STATES = ("name", "credit_code", "legal_rep", "address", "industry", "hr_licence", "contact_name",
          "contact_phone", "photo", "submitted", "cancelled")
FINAL = ("submitted", "cancelled")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_ORG_SUFFIX = re.compile(r"(公司|厂|店|中心|合作社|事务所|工作室|商行|酒店|饭店|医院|学校|幼儿园|农场|养殖场|超市|部|社|院|所|馆)$")
_HANZI_NAME = re.compile(r"^[\u4e00-\u9fa5·]{2,10}$")


@dataclass(frozen=True)
class Checked:
    value: str | None  # the stored answer, or None when the answer must be corrected
    correction: str = ""


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _name(text: str, _: Mapping[str, str]) -> Checked:
    value = re.sub(r"\s+", "", _plain(text))
    if len(value) < 4 or not _ORG_SUFFIX.search(value):
        return Checked(None, "企业名称请填写营业执照上的全称，例如“中牟县宏达食品有限公司”。")
    return Checked(value[:200])


def _credit_code(text: str, _: Mapping[str, str]) -> Checked:
    check = check_credit_code(_plain(text))
    if not check.ok:
        return Checked(None, f"统一社会信用代码有误：{check.problems[0]}。请重新发送18位代码。")
    return Checked(check.code)


def _person(label: str) -> Callable[[str, Mapping[str, str]], Checked]:
    def check(text: str, _: Mapping[str, str]) -> Checked:
        value = re.sub(r"\s+", "", _plain(text))
        if not _HANZI_NAME.match(value):
            return Checked(None, f"{label}请只写姓名（2-10个汉字），例如“张建国”。")
        return Checked(value)

    return check


def _address(text: str, _: Mapping[str, str]) -> Checked:
    value = _plain(text)
    if len(value) < 6 or not re.search(r"[省市县区镇乡街路道村号]", value):
        return Checked(None, "地址请写到街道门牌，例如“中牟县青年路88号”。")
    return Checked(value[:300])


def _industry(text: str, _: Mapping[str, str]) -> Checked:
    value = _plain(text)
    if len(value) < 2:
        return Checked(None, "请写明所属行业，例如“食品制造”“物流仓储”“劳务派遣”。")
    return Checked(value[:100])


def _hr_licence(text: str, _: Mapping[str, str]) -> Checked:
    value = re.sub(r"\s+", "", _plain(text))
    if not re.search(r"\d{4,}", value):
        return Checked(None, "许可证编号里应有数字，请对照《劳务派遣经营许可证》或《人力资源服务许可证》重新发送。")
    return Checked(value[:100])


def normalise_phone(text: str) -> str:
    return re.sub(r"[\s\-()（）]", "", _plain(text)).removeprefix("+86")


def _phone(text: str, _: Mapping[str, str]) -> Checked:
    value = normalise_phone(text)
    if _MOBILE.match(value) or _LANDLINE.match(value):
        return Checked(value)
    return Checked(None, "联系电话请发11位手机号或带区号的固话，例如“13800000000”或“0371-62345678”。")


CHECKS: dict[str, Callable[[str, Mapping[str, str]], Checked]] = {
    "name": _name, "credit_code": _credit_code, "legal_rep": _person("法定代表人"), "address": _address,
    "industry": _industry, "hr_licence": _hr_licence, "contact_name": _person("联系人"), "contact_phone": _phone,
}


def check_answer(state: str, text: str, answers: Mapping[str, str]) -> Checked:
    """Check a text answer in `state`; the photo state never accepts text."""
    if state == "photo":
        return Checked(None, "这一步需要营业执照的照片：请点输入框旁的“+”，选“照片”发送，不要发文字。")
    return CHECKS[state](text, answers)


def next_state(state: str, answers: Mapping[str, str]) -> str:
    """The state after `state` has its answer."""
    order = [s for s in STATES if s not in FINAL]
    following = order[order.index(state) + 1 :] + ["submitted"]
    for candidate in following:
        if candidate == "hr_licence" and not needs_hr_licence(answers.get("industry", ""), answers.get("name", "")):
            continue
        return candidate
    return "submitted"


def first_missing(answers: Mapping[str, str]) -> str:
    """Where a conversation resumes: the first state without an answer."""
    state = "name"
    while state not in FINAL and answers.get(state):
        state = next_state(state, answers)
    return state
