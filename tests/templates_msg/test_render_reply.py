"""Rendering within byte limits, approval cards, incomplete-note replies and merging."""

from __future__ import annotations

from templates_msg.render import (
    APP_MARKDOWN_LIMIT,
    ROBOT_MARKDOWN_LIMIT,
    card_fields,
    compact_line,
    fit_bytes,
    render_markdown,
    render_text,
)
from templates_msg.reply import incomplete_reply, merge_partial, partial_state
from templates_msg.understand import understand

SEEKER = "张建国 男 45岁 会开叉车有证5年 想找中牟新区仓库的活儿 电话13827469153"


def test_compact_seeker_line_masks_name_and_phone() -> None:
    u = understand(SEEKER)
    assert compact_line(u) == "【求职】叉车工 · 有证5年 · 意向:中牟新区仓库 · 张先生 138****9153"
    assert "13827469153" in compact_line(u, show_phone=True)
    assert "张建国" not in render_text(u) and "张建国" not in render_markdown(u)


def test_job_line_keeps_business_contact() -> None:
    u = understand(
        "急招普工20名 月薪4500-6000 包吃住 年龄18-45岁 地点中牟汽车产业园 联系电话13969258147 王经理"
    )
    line = compact_line(u)
    assert line.startswith("【招工】普工 20人 · 4500-6000元/月")
    assert "13969258147" in line


def test_fit_bytes_never_cuts_a_character() -> None:
    for limit in range(1, 60):
        out = fit_bytes("中文😀abc" * 20, limit)
        assert len(out.encode("utf-8")) <= limit
        out.encode("utf-8").decode("utf-8")  # valid UTF-8


def test_long_items_fit_channel_limits() -> None:
    u = understand(SEEKER + " 身体好能吃苦" * 250)  # ~1,800 characters: long, but a message
    assert len(render_text(u).encode()) <= 2048
    assert len(render_markdown(u, limit=APP_MARKDOWN_LIMIT).encode()) <= 2048
    assert len(render_markdown(u, limit=ROBOT_MARKDOWN_LIMIT).encode()) <= 4096
    assert "**" in render_markdown(u) and "****" not in render_markdown(u)


def test_card_fields_at_most_six() -> None:
    u = understand("急招普工20名 月薪4500-6000 包吃住 地点中牟汽车产业园 宏达食品有限公司 电话13969258147")
    rows = card_fields(u, item_id="J12")
    assert 0 < len(rows) <= 6
    assert all(set(r) == {"keyname", "value"} for r in rows)
    assert rows[0] == {"keyname": "编号", "value": "J12"}


def test_incomplete_job_reply_then_merge() -> None:
    first = understand("急招普工20名 月薪4500-6000 包吃住")
    assert first.kind == "job" and set(first.missing) == {"location", "contact_phone"}
    reply = incomplete_reply(first)
    assert reply and "工作地点" in reply and "联系电话" in reply and "例" not in reply[:5]
    follow = understand("地点白沙镇 电话13969258147")
    merged = merge_partial(partial_state(first), follow)
    assert merged.kind == "job" and merged.missing == []
    assert merged.fields["location"] == "白沙镇" and merged.fields["contact_phone"] == "13969258147"
    assert merged.fields["salary_min"] == 4500
    assert "13969258147" in merged.masked  # a job's business contact stays visible


def test_incomplete_seeker_reply() -> None:
    u = understand("本人男50岁 身体好 能吃苦 电话13827469153")
    assert u.kind == "seeker" and u.missing == ["intent_jobs"]
    text = incomplete_reply(u)
    assert text and "想干的活" in text
    merged = merge_partial(partial_state(u), understand("想找保安的活"))
    assert merged.fields["intent_jobs"] == ["保安"] and merged.fields["age"] == 50
    assert "13827469153" not in merged.masked


def test_complete_note_needs_no_reply() -> None:
    assert incomplete_reply(understand(SEEKER)) is None
