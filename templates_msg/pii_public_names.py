"""People's names and phones in public texts (job ads, notices) that are not the publisher's.

A job ad's or a notice's contact stays (王经理, 联系人刘女士, 咨询电话…). What is private there is
who the text speaks about: a former worker or referee (原来洗碗的马凤琴 她158…, 推荐人贾春生,
之前干过的阿姨 电话…), a foreman named in full, and the graduates a training school lists
(结业学员名单：…, 学员贺建设 …). Their names are masked, and their phones through the zones
returned with the names (mask() masks business contacts inside them).
"""

from __future__ import annotations

import re

from templates_msg.model import Finding
from templates_msg.pii_names import (
    SURNAME_PATTERN,
    NameScan,
    is_full_name,
    is_place,
    kin_spans,
    model_spans,
    name_finding,
    overlaps,
    rule_spans,
    surname_len,
)

# Public texts: a person named as a reference (原来洗碗的马凤琴, 推荐人贾春生) or listed
# (结业名单：…) is private, with the phone given for them; the contact (联系人刘女士) is not.
_REFERENCE_CUE = re.compile(
    r"原来|之前|以前|前任|上一?个|前(?=[一-龥]{1,3}[的师工])|老员工|推荐人|介绍人|证明人|担保人|问问|打听|干过|做过|在这干|班长|组长|工友"
)
# A former worker or a referee named by role alone (原来干过的大姐, 之前的工人, 推荐人): the phone
# that follows is theirs.
_PAST_WORKER = re.compile(
    r"(?:原来|之前|以前|前任|上一?[个任]|原)(?:在这|在俺这|在我这)?(?:干过|做过|干)?的?[一-龥]{0,4}?"
    r"(?:工人|员工|师傅|阿姨|大姐|大哥|司机|保姆|厨师|会计|[^工]员)"
    r"|老员工|推荐人|介绍人|证明人|担保人"
    r"|[他她](?:的)?(?:电话|手机|号码)"  # 可以打他电话…: someone else's phone, not the business's
)
_STUDENT_CONTACT = re.compile(r"(?:联系|打给?|找|问)[他她]")
# Words saying a contact belongs to someone other than the business (学员本人电话：孙丽 …).
_NOT_THE_BUSINESS = re.compile(r"学员|本人|工人|毕业生|家属|村民")
_CONTACT_CUE = re.compile(r"(?:联系人|联系|找|咨询|报名|负责人|致电|电话|打)[\s:：]*$")
_LIST_CUE = re.compile(
    rf"名单|结业|毕业|公示|获证|合格人员|以下人员|以下学员|学员[^，。,\n]{{0,6}}[:：]|学员推荐|推荐[:：]|学员(?=\s*{SURNAME_PATTERN}[一-龥]{{0,2}}[\s\d(（,，、])"
)
# Inside a list, a name follows a label (学员贺建设, 1、蔡秀云) as often as a separator.
_LIST_LABEL = re.compile(r"(?:学员|人员|姓名|名单|\d+[、.．)）])[\s:：]*(?P<n>[一-龥]{2,3})(?=[\s,，、;；(（\d男女]|$)")
# A list runs to the end of its paragraph (one name a line is still one list), or to the
# organiser's own contact.
_LIST_END = re.compile(
    r"\n\s*\n|[。！!；;]|报名|联系|咨询|招聘电话|地址[:：]|如有异议|有意向|雇主|企业|培训中心|培训学校|学校|热线|办公室"
)
# Between a reference's name and a phone, these words mean the phone is the employer's own.
_OWN_CONTACT = re.compile(r"联系(?!方式)|找|报名|咨询|老板|场长|经理|店长|主管|我|俺|本店|公司|超市")
# How far after a reference's name their phone may be (侯长江 电话158…).
_PHONE_REACH = 16


def _list_zones(text: str) -> list[tuple[int, int]]:
    zones = []
    for m in _LIST_CUE.finditer(text):
        end = _LIST_END.search(text, m.end())
        zones.append((m.start(), end.start() if end else len(text)))
    return zones


def _phone_end(text: str, after: int) -> int | None:
    """End of the first number that starts within reach after a name (the person's phone)."""
    from templates_msg.pii_digits import find_numbers
    from templates_msg.textnorm import to_halfwidth

    for hit in find_numbers(to_halfwidth(text)):
        if after <= hit.start <= after + _PHONE_REACH and not _OWN_CONTACT.search(text[after : hit.start]):
            return hit.end
    return None


def _person_names(text: str) -> list[tuple[int, int]]:
    """Full names in a public text (the model's or a list's bare ones), title forms and shop names excluded."""
    spans = [(s, e) for s, e, confirmed in model_spans(text) if confirmed and is_full_name(text[s:e])]
    spans += [k for k in rule_spans(text, weak=False) if not overlaps(k, spans) and is_full_name(text[k[0] : k[1]])]
    return spans


def scan_public_text(text: str) -> NameScan:
    """In a job ad or a notice: people listed or given as references, and their phones.

    The employer's contact (联系人刘女士, 找周经理) stays; so does anyone introduced as the
    contact by name (联系人张建国). Every other full name is a private person's.
    """
    zones = _list_zones(text)
    names: list[Finding] = []
    people = {(s, e) for s, e, _ in model_spans(text)}
    for start, end in zones:  # bare names in a list: 张卫红 138…，李秀娟 139…, 学员贺建设
        bare = re.finditer(r"(?<![一-龥])(?P<n>[一-龥]{2,3})(?![一-龥])", text[start:end])
        labelled = list(_LIST_LABEL.finditer(text[start:end]))
        for m in [*labelled, *bare]:
            span = (start + m.start("n"), start + m.end("n"))
            common_ok = m in labelled  # after 学员/1、 even 贺建设 is a name
            if overlaps(span, [(f.start, f.end) for f in names]) or is_place(m.group("n"), text, span[1]):
                continue
            if is_full_name(m.group("n"), common_ok=common_ok) or (span in people and surname_len(m.group("n"))):
                names.append(name_finding(text, *span))
    for start, end in _person_names(text):
        if overlaps((start, end), [(f.start, f.end) for f in names]):
            continue
        before = text[max(0, start - 6) : start]
        whose = text[max(0, start - 12) : start]
        if _CONTACT_CUE.search(before) and not _REFERENCE_CUE.search(whose) and not _NOT_THE_BUSINESS.search(whose):
            continue  # 联系人张建国: the business's own contact person
        names.append(name_finding(text, start, end))
        phone_end = _phone_end(text, end)
        zones.append((start, phone_end or end))
    for m in _REFERENCE_CUE.finditer(text):  # 原来洗碗的刘阿姨 / 之前的司机老马 + 电话…: a reference
        window = text[m.end() : m.end() + 8]
        nicknames = [n.span() for n in re.finditer(rf"[老小]{SURNAME_PATTERN}(?![一-龥])", window)]
        for k_start, k_end in kin_spans(window) + nicknames:
            phone_end = _phone_end(text, m.end() + k_end)
            if phone_end:
                zones.append((m.end() + k_start, phone_end))
    if _LIST_CUE.search(text) or "学员" in text:  # a school's notice: 联系她138… is the graduate's phone
        for m in _STUDENT_CONTACT.finditer(text):
            phone_end = _phone_end(text, m.end())
            if phone_end:
                zones.append((m.start(), phone_end))
    for m in _PAST_WORKER.finditer(text):  # 之前干过的人 电话…: a former worker's phone, no name given
        phone_end = _phone_end(text, m.end())
        if phone_end:
            zones.append((m.start(), phone_end))
    return NameScan(sorted(names, key=lambda f: f.start), [], zones)
