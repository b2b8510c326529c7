"""Friendly replies for incomplete notes, and merging a follow-up message into a partial note."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from templates_msg.model import Finding, Kind, Understanding

PART_NAMES = {
    "intent_jobs": "想干的活（工种）",
    "title": "招什么岗位",
    "salary": "工资待遇",
    "location": "工作地点",
    "contact_phone": "联系电话",
}
EXAMPLES = {
    "seeker": "本人男45岁 会开叉车有证5年 想在中牟新区找仓库的活 电话138xxxx5678",
    "job": "急招普工10名 月薪4500-6000 包吃住 年龄18-50岁 地点中牟汽车产业园 联系电话139xxxx1234 王经理",
}


def incomplete_reply(u: Understanding) -> str | None:
    """A reply in plain Chinese naming what is missing, with a filled-in example; None if complete."""
    if not u.missing or u.kind not in EXAMPLES:
        return None
    parts = "、".join(PART_NAMES.get(m, m) for m in u.missing)
    what = "求职信息" if u.kind == "seeker" else "招工信息"
    return (
        f"您好，您发的{what}还差：{parts}。\n"
        f"请直接回复补上就行，不用重发整条，我们会帮您合在一起。\n"
        f"可以参考这样写：{EXAMPLES[u.kind]}"
    )


def _is_empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


def merge_fields(previous: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Earlier values stay; the follow-up fills gaps and adds to lists (no duplicates)."""
    merged = dict(previous)
    for key, value in new.items():
        old = merged.get(key)
        if isinstance(old, list) and isinstance(value, list):
            merged[key] = list(dict.fromkeys([*old, *value]))
        elif _is_empty(old) and not _is_empty(value):
            merged[key] = value
    return merged


def merge_partial(
    previous_fields: dict[str, Any], new: Understanding, *, kind: str | None = None
) -> Understanding:
    """Complete a kept partial note with the next message from the same person.

    The follow-up ("工资4000 地点白沙") is usually classified as something else on its own, so
    the note's kind comes from `kind` (default: the kind stored with the partial note,
    previous_fields["_kind"], else the new message's kind). Masked texts are joined.
    """
    from templates_msg.mask import mask
    from templates_msg.private_spans import scan as scan_private_spans
    from templates_msg.understand import missing_parts, parse_fields

    wanted = kind or previous_fields.get("_kind") or new.kind
    if wanted not in ("seeker", "job"):
        return new
    note_kind: Kind = "seeker" if wanted == "seeker" else "job"
    reparsed = (
        parse_fields(note_kind, new.original, list(new.findings)) if new.kind != note_kind else new.fields
    )
    fields = merge_fields({k: v for k, v in previous_fields.items() if not k.startswith("_")}, reparsed)
    new_masked = new.masked
    if new.kind != note_kind:
        # The follow-up was masked as what it looked like alone; mask it as part of the note
        # (names too: "我叫张建国 电话…" sent after the note is the author's own).
        private = scan_private_spans(new.original, public=note_kind == "job", known=new.findings)
        redo = mask(
            new.original,
            keep_business_contact=note_kind == "job",
            full_name=fields.get("name"),
            gender=fields.get("gender"),
            findings=list(new.findings) if note_kind == "job" else None,
            names=private.findings,
            private_zones=private.zones,
        )
        new_masked = redo.text
    masked = "\n".join(t for t in (previous_fields.get("_masked"), new_masked) if t)
    earlier = tuple(Finding("suspect", 0, 0, v, "") for v in previous_fields.get("_suspects", []))
    return replace(
        new, kind=note_kind, fields=fields, masked=masked, missing=missing_parts(note_kind, fields),
        suspects=earlier + new.suspects,
    )


def partial_state(u: Understanding) -> dict[str, Any]:
    """What to store for an incomplete note so merge_partial can finish it later."""
    state = {**u.fields, "_kind": u.kind, "_masked": u.masked}
    if u.suspects:
        state["_suspects"] = [f.value for f in u.suspects]  # shown to the steward once the note is complete
    return state
