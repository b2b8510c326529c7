"""The enterprise review state machine and the automatic parts of reviews 1 and 2 (pure).

applied data → licence_review (审1: 营业执照初审) → qualification_review (审2: 用工资质核验)
→ certified; either review may reject; a certified enterprise may be suspended and reinstated.
A rejected application goes back to licence_review when the employer resubmits.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("licence_review", "qualification_review", "certified", "rejected", "suspended")
ACTIONS = ("approve", "reject", "resubmit", "suspend", "reinstate")
TRANSITIONS: dict[tuple[str, str], str] = {
    ("licence_review", "approve"): "qualification_review",
    ("licence_review", "reject"): "rejected",
    ("qualification_review", "approve"): "certified",
    ("qualification_review", "reject"): "rejected",
    ("rejected", "resubmit"): "licence_review",
    ("certified", "suspend"): "suspended",
    ("suspended", "reinstate"): "certified",
}
STAGE_OF = {"licence_review": "licence", "qualification_review": "qualification"}
STATUS_LABELS = {
    "licence_review": "营业执照初审中", "qualification_review": "用工资质核验中", "certified": "已认证",
    "rejected": "未通过", "suspended": "已暂停",
}
# Labour dispatch needs a 劳务派遣经营许可证 (劳动合同法 art. 57) and HR services a
# 人力资源服务许可证 (人力资源市场暂行条例 art. 18) before they may place workers.
LICENSED_INDUSTRY_WORDS = ("劳务派遣", "人力资源", "人力资源服务", "职业中介", "劳务外包", "人才服务")


class IllegalTransition(ValueError):
    """An action that the enterprise's current status does not allow."""


def next_status(status: str, action: str) -> str:
    """The status after `action`, or IllegalTransition."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(f"{action} is not allowed in status {status}") from None


def may_post(status: str | None) -> bool:
    """Only a certified enterprise's contacts may post (三即: 认证即发布)."""
    return status == "certified"


def needs_hr_licence(industry: str, name: str = "") -> bool:
    """Labour-dispatch and HR-service businesses must give their licence number (审2)."""
    text = f"{industry} {name}"
    return any(word in text for word in LICENSED_INDUSTRY_WORDS)


@dataclass(frozen=True)
class Application:
    """What an employer submits, as plain data."""

    name: str
    credit_code: str
    legal_rep: str
    address: str
    industry: str
    contact_name: str
    contact_phone: str
    licence_media_id: str = ""
    hr_licence_no: str = ""


def licence_problems(app: Application, *, code_problems: list[str], duplicate_of: str | None) -> list[str]:
    """Review 1's automatic findings: code format/check digit/segments, duplicates, name present."""
    problems = list(code_problems)
    if duplicate_of:
        problems.append(f"该统一社会信用代码已由“{duplicate_of}”登记，不能重复注册")
    if len(app.name.strip()) < 4:
        problems.append("企业名称不完整，请填写营业执照上的全称")
    if not app.legal_rep.strip():
        problems.append("缺少法定代表人")
    return problems


def qualification_problems(app: Application, *, blacklisted: str | None) -> list[str]:
    """Review 2's automatic findings: the licence number where the business needs one, the blacklist."""
    problems = []
    if needs_hr_licence(app.industry, app.name) and not app.hr_licence_no.strip():
        problems.append("劳务派遣/人力资源服务企业须提供经营许可证编号")
    if blacklisted:
        problems.append(f"在本局拖欠工资黑名单上（{blacklisted}）")
    return problems
