"""Render understood items for each channel: compact line, text, markdown, approval card."""

from __future__ import annotations

from typing import Any

from templates_msg.mask import mask_phone
from templates_msg.model import Understanding
from templates_msg.names import polite_name

# Byte limits of WeCom channels (content field, UTF-8): app text/markdown messages 2048,
# group robot markdown 4096.
APP_TEXT_LIMIT = 2048
APP_MARKDOWN_LIMIT = 2048
ROBOT_MARKDOWN_LIMIT = 4096
CARD_MAX_ITEMS = 6
_UNIT = {"month": "/月", "day": "/天", "hour": "/小时", "piece": "计件"}
_ELLIPSIS = "…"


def fit_bytes(text: str, limit: int) -> str:
    """Cut text to at most `limit` UTF-8 bytes, never inside a character, marking the cut."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = limit - len(_ELLIPSIS.encode("utf-8"))
    if room < 0:
        return data[:limit].decode("utf-8", errors="ignore")
    return data[:room].decode("utf-8", errors="ignore") + _ELLIPSIS


def salary_text(fields: dict[str, Any]) -> str | None:
    low, high, unit = fields.get("salary_min"), fields.get("salary_max"), fields.get("salary_unit")
    if low is None:
        return "计件" if unit == "piece" else None
    amount = f"{low}-{high}" if high else f"{low}+" if unit == "month" else f"{low}"
    suffix = _UNIT.get(unit or "month", "")
    return f"{amount}元{suffix}" if unit != "piece" else f"计件 {amount}元"


def _seeker_contact(fields: dict[str, Any], show_phone: bool) -> str | None:
    who = polite_name(fields["name"], fields.get("gender")) if fields.get("name") else None
    phone = fields.get("phone")
    phone_text = (phone if show_phone else mask_phone(phone)) if phone else None
    parts = [p for p in (who, phone_text) if p]
    return " ".join(parts) or None


def _seeker_parts(fields: dict[str, Any], show_phone: bool) -> list[str]:
    jobs = fields.get("intent_jobs") or fields.get("skills") or []
    experience = ("有证" if fields.get("certs") else "") + (
        f"{fields['experience_years']}年" if fields.get("experience_years") else ""
    )
    place = fields.get("intent_location")
    # What they can do, when it says more than what they want (干过电焊, wants 普工).
    skills = [s for s in fields.get("skills") or [] if s not in jobs]
    parts = [
        "/".join(jobs) if jobs else None,
        "技能:" + "、".join(skills) if skills else None,
        experience or None,
        f"意向:{place}" if place else None,
    ]
    return [p for p in (*parts, _seeker_contact(fields, show_phone)) if p]


def _job_parts(fields: dict[str, Any]) -> list[str | None]:
    count = fields.get("headcount")
    ages = (fields.get("age_min"), fields.get("age_max"))
    age_text = f"{ages[0] or ''}-{ages[1] or ''}岁" if any(ages) else None
    return [
        (fields.get("title") or fields.get("title_text") or "岗位") + (f" {count}人" if count else ""),
        salary_text(fields),
        fields.get("location"),
        "、".join([*(fields.get("benefits") or []), *(fields.get("perks") or [])]) or None,
        age_text,
        _company(fields),
        _job_contact(fields),
    ]


def _company(fields: dict[str, Any]) -> str | None:
    """The employer's name, unless it only repeats the place (地点雁鸣湖镇物流园 reads as both)."""
    company, place = fields.get("company"), fields.get("location") or ""
    return None if not company or company in place else company


def _job_contact(fields: dict[str, Any]) -> str | None:
    parts = [p for p in (fields.get("contact_name"), fields.get("contact_phone")) if p]
    return " ".join(parts) or None


def compact_line(u: Understanding, *, show_phone: bool = False) -> str:
    """One line per item, e.g. 【求职】叉车工 · 有证5年 · 意向:中牟新区仓库 · 张先生 138****5678."""
    if u.kind == "seeker":
        return "【求职】" + " · ".join(_seeker_parts(u.fields, show_phone))
    if u.kind == "job":
        return "【招工】" + " · ".join(p for p in _job_parts(u.fields) if p)
    label = {"policy": "【通知】", "query": "【打听】"}.get(u.kind, "")
    return label + u.masked.replace("\n", " ")


def render_text(u: Understanding, *, limit: int = APP_TEXT_LIMIT, show_phone: bool = False) -> str:
    """Plain text for app messages: compact line, then the masked original."""
    return fit_bytes(f"{compact_line(u, show_phone=show_phone)}\n原文：{u.masked}", limit)


def _md_escape(text: str) -> str:
    # WeCom markdown has no escape character; swap markup characters for look-alikes so a
    # masked phone (138****5678) is not read as bold markers.
    return text.replace("*", "＊").replace("`", "'").replace("[", "［").replace("]", "］")


def render_markdown(u: Understanding, *, limit: int = APP_MARKDOWN_LIMIT, show_phone: bool = False) -> str:
    """WeCom markdown: bold compact line, quoted masked original, within `limit` bytes."""
    head = f"**{_md_escape(compact_line(u, show_phone=show_phone))}**\n"
    body = "\n".join("> " + _md_escape(line) for line in u.masked.splitlines() if line.strip())
    return fit_bytes(head + body, limit)


def card_fields(u: Understanding, *, item_id: str | None = None) -> list[dict[str, str]]:
    """Approval card rows [{keyname, value}], at most 6 (the template card's limit)."""
    f = u.fields
    if u.kind == "job":
        count = f.get("headcount")
        rows = [
            ("岗位", (f.get("title") or f.get("title_text") or "岗位") + (f" {count}人" if count else "")),
            ("工资", salary_text(f)),
            ("地点", f.get("location")),
            ("待遇", "、".join(f.get("benefits") or []) or None),
            ("联系", _job_contact(f)),
            ("单位", _company(f)),
        ]
    elif u.kind == "seeker":
        rows = [
            ("意向", "/".join(f.get("intent_jobs") or [])),
            ("地点", f.get("intent_location")),
            ("性别", f.get("gender")),
            ("年龄", f.get("age")),
            ("电话", mask_phone(f["phone"]) if f.get("phone") else None),
        ]
    else:
        rows = [("类型", u.kind), ("内容", u.masked[:40])]
    if item_id:
        rows.insert(0, ("编号", item_id))
    return [{"keyname": k, "value": str(v)} for k, v in rows if v not in (None, "")][:CARD_MAX_ITEMS]
