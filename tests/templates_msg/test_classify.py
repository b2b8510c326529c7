"""Kind from the text's cues and from who wrote it, with a "not sure" outcome; bad input is `other`."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from templates_msg.classify import explain
from templates_msg.input_guard import MAX_CHARS
from templates_msg.kind_question import read_kind_answer
from templates_msg.understand import understand

# Invented messages (not from the corpus): short ads with no 招聘 up front, questions about
# policies, chat, relayed notes.
SHORT_JOB_ADS = [
    "白沙镇饭店 要两个服务员 女 月5千 电话13800002222",
    "物流园 夜班装卸 日结200 13800001234",
    "超市收银 女 40以下 3000 13800001234",
    "谁想干活 工地小工 一天200 13800001234",
    "我这里缺两个装卸 日结 港区 13800001234",
    "需要叉车师傅 有证 6000 港区 13800001234",
    # What employers ask of workers reads as an ad, not as the writer's own certificate or health.
    "叉车工 有证优先 6000 港区 13800001234",
    "电焊工 经验不限 待遇从优 官渡 13800001234",
    "仓库打包 上六休一 4000 13800001234",
    "白沙镇 保安 3200 有意向者请联系 13800001234",
    "保安 60 以下 3000 县城 13800001234",
    "中牟新区仓库 要叉车工 限男 45岁以下 月薪5000 13800001234",
    "大孟镇工地要3个小工 一天200 日结",
    "县城超市 理货员 限女 18-40岁 3500/月 包吃",
]


@pytest.mark.parametrize("text", SHORT_JOB_ADS)
def test_short_job_ads_without_a_hiring_word_up_front_are_jobs(text: str) -> None:
    u = understand(text)
    assert (u.kind, u.unsure) == ("job", False), explain(text)


@pytest.mark.parametrize(
    "text",
    ["补贴怎么领？", "灵活就业社保补贴怎么申请啊", "免费培训在哪报名", "失业金咋领", "招聘会几号开始啊", "工资什么时候发",
     "培训费贵不贵"],
)
def test_questions_about_policies_are_queries_not_notices(text: str) -> None:
    assert understand(text).kind == "query", explain(text)


@pytest.mark.parametrize(
    "text", ["你好", "早上好 大家辛苦了", "收到 谢谢", "👍👍", "哈哈哈", "收到 已通知村民", "我们村今天开会了", "好的 明天去面试",
     "今天去厂里上班了 挺好的"]
)
@pytest.mark.parametrize("role", [None, "employer", "resident", "staff", "officer"])
def test_chat_is_other_whoever_writes_it(text: str, role: str | None) -> None:
    u = understand(text, author_role=role, channel="oa")
    assert u.kind == "other" and not u.missing


def test_a_note_with_no_cue_either_way_is_asked_about_whoever_sends_it() -> None:
    text = "电焊工 13800001111"
    for role in (None, "resident", "employer", "staff"):
        u = understand(text, author_role=role, channel="oa")
        assert u.unsure and u.kind in ("seeker", "job")
        assert "13800001111" not in u.masked  # unsure: masked like a resident's note


def test_the_author_confirms_what_the_words_lean_to() -> None:
    # 要个…的 and a monthly wage lean job; 会开, 俺 lean seeker: the words alone do not decide.
    text = "要个会开车的 给俺送货 一个月五千 韩寺 13800001111"
    assert understand(text).unsure
    employer = understand(text, author_role="employer", channel="oa")
    assert (employer.kind, employer.unsure) == ("job", False)
    assert "13800001111" in employer.masked  # an employer's contact stays
    assert understand(text, author_role="resident", channel="oa").unsure  # the author pulls against


def test_clear_cues_beat_the_authors_prior() -> None:
    seeker_text = "本人男45岁 会开叉车有证5年 想找仓库的活 电话13800004444"
    assert understand(seeker_text, author_role="employer").kind == "seeker"
    job_text = "急招普工20名 月薪4500-6000 包吃住 地点中牟汽车产业园 电话13800005555"
    assert understand(job_text, author_role="resident", channel="oa").kind == "job"


def test_relayed_words_carry_no_prior_of_the_sender() -> None:
    # An employer's own slight lean is confirmed; relayed with 转 or forwarded, it is someone
    # else's words and the bot asks.
    text = "要个会开车的 给俺送货 一个月五千 韩寺 13800001111"
    assert not understand(text, author_role="employer").unsure
    assert understand("转：" + text, author_role="employer").unsure
    assert understand(text, author_role="employer", channel="forwarded").unsure


def test_explain_lists_the_cues_and_weights_behind_a_kind() -> None:
    out = explain("白沙镇饭店 要两个服务员 女 月5千", None)
    assert "wants workers: {'job': 2}" in out and out.endswith("-> job")


@pytest.mark.parametrize(
    ("reply", "kind"),
    [("1", "seeker"), ("找工作", "seeker"), ("我是找活的", "seeker"), ("2", "job"), ("招人", "job"),
     ("招工 。", "job"), ("嗯", None), ("1 2", None), ("本人男45岁会开叉车想找仓库的活", None)],
)
def test_answers_to_the_kind_question(reply: str, kind: str | None) -> None:
    assert read_kind_answer(reply) == kind


def test_zero_width_and_direction_marks_do_not_hide_cues() -> None:
    assert understand("招\u200b聘\u200d普工10名 月薪5000 地点白沙镇 电话\u200f13800006666").kind == "job"


BAD_INPUTS = {
    "binary": "\x00\x01\x02招工\x03\x1b13800007777",
    "ten thousand characters": ("本人会电焊 电话13800007777 " * 500)[:10_000],
    "only emoji": "😀🙏👍🏻🎉🔥" * 4,
    "rtl marks": "\u202e\u200f\u202b\u200e\u202c",
    "zero-width characters": "\u200b\u200c\u200d\ufeff\u2060" * 3,
    "lone surrogate": "\ud800会电焊13800007777",
    "replacement characters": "\ufffd\ufffd会电焊13800007777",
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_other_leaks_nothing_and_is_quick(name: str) -> None:
    text = BAD_INPUTS[name]
    start = time.perf_counter()
    u = understand(text)
    assert time.perf_counter() - start < 0.5
    assert u.kind == "other" and u.input_problem and not u.missing and not u.unsure
    assert "13800007777" not in u.masked and "7777" not in u.masked


def test_the_length_limit_is_past_any_typed_message() -> None:
    note = "本人会电焊 想找活 电话13800008888 "
    assert understand((note * (MAX_CHARS // len(note)))[:MAX_CHARS]).kind == "seeker"
    assert understand(note * (MAX_CHARS // len(note) + 1)).input_problem == "too_long"


@pytest.mark.parametrize(
    ("text", "gender", "age"),
    [("俺叔 六十二了 想找个看大门的", "男", 62), ("我弟弟 25 想学电焊", "男", 25), ("王大姐 54 会做饭", "女", 54),
     ("俺婆婆身体好 六十五 能带孩子", "女", 65), ("俺家老头 七十 还能干点轻活", "男", 70)],
)
def test_notes_written_for_a_relative(text: str, gender: str, age: int) -> None:
    u = understand(text, author_role="resident", channel="oa")
    assert (u.kind, u.fields["gender"], u.fields["age"]) == ("seeker", gender, age)


@pytest.mark.parametrize("text", ["谢谢你们 俺闺女找着活了", "俺孙子今天考上大学了 高兴"])
def test_news_about_a_relative_is_chat(text: str) -> None:
    assert understand(text, author_role="resident", channel="oa").kind == "other"


@pytest.mark.parametrize("text", ["有活的联系我 13800001234", "求活 电焊 13800001234", "寻一份保洁工作 13800001234"])
def test_ways_of_asking_for_work_are_notes(text: str) -> None:
    u = understand(text, author_role="resident", channel="oa")
    assert (u.kind, u.unsure) == ("seeker", False)


# Any text at all (control characters, lone surrogates, emoji, marks, CJK mixed with cues):
# a clear result, never an exception.
_ANY_CHAR = st.characters(exclude_categories=())
_CUES = st.sampled_from(["招聘", "月薪5000", "本人", "想找活", "13800001234", "\u200b", "\u202e", "？", "转："])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(st.text(_ANY_CHAR, max_size=20), _CUES), max_size=8))
def test_understanding_any_text_never_raises(parts: list[str]) -> None:
    from templates_msg.cli import parse_line
    from templates_msg.model import KINDS

    text = "".join(parts)
    assert understand(text, author_role="resident", channel="oa").kind in KINDS
    out = parse_line(json.dumps({"id": 1, "text": text}))
    assert "error" not in out and out["kind"] in KINDS
