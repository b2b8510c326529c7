"""Remove private information from a message before it leaves the sender's tier.

Masking never silently drops a message: a number that might be a contact but has no known
shape is masked as well and the result carries a hold reason so village staff look first.
"""

from __future__ import annotations

from templates_msg import pii_text
from templates_msg.model import Finding, MaskResult
from templates_msg.names import polite_name
from templates_msg.pii_digits import NumberHit, find_numbers
from templates_msg.pii_names import is_title_form, model_agrees_on_name
from templates_msg.textnorm import to_halfwidth

# In a job ad or a bureau notice these are the business's own contact points and must stay
# visible (DESIGN: "An employer's business contact in a job post stays visible").
# WeChat and QQ ids are a person's own account, not the business's: masked even in a job ad.
BUSINESS_CONTACT_TYPES = frozenset({"phone", "landline", "email", "address", "ambiguous"})

_REPLACEMENTS = {
    "id_card": "[身份证号已隐藏]",
    "bank_card": "[银行卡号已隐藏]",
    "ambiguous": "[号码待核]",
    "id_suspect": "[身份证号已隐藏]",
}
_UNSURE = {
    "ambiguous": "有一串{n}位数字无法确认是不是电话或证件号，已先遮住，请工作人员核对后再转发",
    "id_suspect": "有一串像身份证号的数字（校验位对不上），已先遮住，请工作人员核对后再转发",
}


def mask_phone(digits: str) -> str:
    """13812345678 -> 138****5678 (the form shown in relayed notes)."""
    core = digits[-11:]
    return f"{core[:3]}****{core[-4:]}"


def _number_finding(hit: NumberHit) -> Finding:
    if hit.type == "phone":
        return Finding("phone", hit.start, hit.end, hit.digits[-11:], mask_phone(hit.digits))
    if hit.type == "landline":
        return Finding(
            "landline", hit.start, hit.end, hit.digits, hit.digits[:-4][:4] + "****" + hit.digits[-4:]
        )
    return Finding(hit.type, hit.start, hit.end, hit.digits, _REPLACEMENTS[hit.type])


def find_pii(text: str) -> list[Finding]:
    """Every private item in the text, non-overlapping, accounts winning over bare numbers."""
    flat = to_halfwidth(text)  # same length as text, so spans carry over
    accounts = pii_text.find_email(flat) + pii_text.find_wechat(flat) + pii_text.find_qq(flat)
    numbers = [_number_finding(h) for h in find_numbers(flat)]
    places = pii_text.find_address(flat)
    chosen: list[Finding] = []
    for f in accounts + numbers + places:
        if not any(f.start < c.end and c.start < f.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def _name_findings(text: str, full_name: str, gender: str | None) -> list[Finding]:
    if is_title_form(full_name) or not model_agrees_on_name(text, full_name):
        return []  # 李婶 is no more than the polite form; 管吃 is a verb the parser took for a name
    polite = polite_name(full_name, gender)
    found, i = [], text.find(full_name)
    while i >= 0:
        found.append(Finding("name", i, i + len(full_name), full_name, polite))
        i = text.find(full_name, i + len(full_name))
    return found


def _hold_reason(findings: list[Finding]) -> str | None:
    odd = [f for f in findings if f.type in _UNSURE]
    if not odd:
        return None
    return _UNSURE[odd[0].type].format(n=len(odd[0].value))


def apply(text: str, findings: list[Finding]) -> str:
    """Replace each finding's span with its replacement (findings must not overlap)."""
    out, pos = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        out.append(text[pos : f.start])
        out.append(f.replacement)
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def mask(
    text: str,
    *,
    keep_business_contact: bool = False,
    full_name: str | None = None,
    gender: str | None = None,
    findings: list[Finding] | None = None,
    names: list[Finding] = (),  # type: ignore[assignment]
    private_zones: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> MaskResult:
    """The text as it may be relayed, what was masked, and a hold reason when unsure.

    `names` are further names to mask (found by templates_msg.pii_names); in a public text,
    contacts inside `private_zones` (a reference, a graduate list) are masked all the same.
    """
    found = list(find_pii(text) if findings is None else findings)
    if keep_business_contact:
        found = [f for f in found if f.type not in BUSINESS_CONTACT_TYPES or _inside(f, private_zones)]
    elif full_name:
        polite = [n for n in _name_findings(text, full_name, gender) if not _overlaps(n, found)]
        found = sorted(found + polite, key=lambda f: f.start)
    for n in names:
        if not _overlaps(n, found):
            found.append(n)
    found.sort(key=lambda f: f.start)
    return MaskResult(
        apply(text, found), tuple(found), None if keep_business_contact else _hold_reason(found)
    )


def _inside(f: Finding, zones: list[tuple[int, int]]) -> bool:
    """A contact that starts in a zone is that zone's (a phone broken over a line end too)."""
    return any(start <= f.start < end for start, end in zones)


def _overlaps(f: Finding, others: list[Finding]) -> bool:
    return any(f.start < o.end and o.start < f.end for o in others)
