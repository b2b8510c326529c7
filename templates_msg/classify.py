"""Decide what a message is: seeker note, job ad, bureau notice, job query, command or chat."""

from __future__ import annotations

import re

from templates_msg.commands import parse_command
from templates_msg.model import Kind
from templates_msg.textnorm import digits_only
from templates_msg.vocab import find_occupations

# Cue lists are weighted counts; the classes compete and the strongest wins. Weights are
# tuned on tests/data/messages (tests/templates_msg/test_corpus.py holds the accuracy bar).
_JOB = (
    (
        re.compile(
            r"招聘|急招|诚聘|急聘|速招|高薪招|招工|招人|长期招|现招|特招|聘请|招收|外发|^\W*招"
            r"|招[一-龥]{0,6}?\d+\s*[名人个位]|招.{0,8}?[若数]干"
        ),
        3,
    ),
    (re.compile(r"一天\s*\d{3}|日结\s*\d|\d+\s*元\s*/\s*[天月时]|日赚|月入|轻松[一-龥]{0,2}[千万]"), 3),
    (
        re.compile(
            r"月薪|底薪|薪资|待遇|工资[:：]?\s*\d|包吃住|包吃|包住|五险|日结|计件|面试|岗位|有意者|联系电话|联系人"
            r"|提成|上班时间|工作时间|工作地点|上班地点|名额|报到|入职|转正|试用期|加班费|年龄要求|要求[:：]|优先|以下|以内"
        ),
        2,
    ),
    (re.compile(r"\d+\s*[名位]|若干|招|聘|厂|公司|老板|需要[一-龥]{0,5}?(?:人|工|员|师傅)"), 1),
)
_SEEKER = (
    (
        re.compile(
            r"求职|找工作|找活|找个活|找份|求一份|求个|想找|想进厂|想干|想去|寻找工作|找[一-龥]{0,6}的?活|找[一-龥]{1,4}工作"
            r"|求[一-龥]{1,6}工作|谁家要人|谁要人|需要[一-龥]{0,6}的老板|有需要的联系|有活叫我|有活联系|有活吱"
        ),
        3,
    ),
    (
        re.compile(
            r"本人|俺|我(?:会|有|干过|做过|想|能|是|今年|叫)|^\W*会|\s会|会开|有证|持证|经验|干过|做过|干了\d|都会"
            r"|能吃苦|身体好|身体健康|\d{2}\s*岁|[男女]\s*\d{2}|意向|希望|能干|啥活都|驾照|驾龄|跑了"
        ),
        2,
    ),
)
_POLICY = (
    (
        re.compile(
            r"政策|补贴|通知|公告|人社|零工市场|宣讲|人力资源和社会保障|就业局|就业服务中心|培训班|免费培训|招聘会"
            r"|申领|申报|失业保险|创业担保|贷款|温馨提示|社保局|医保|退役军人|脱贫|务工|公益性岗位|人才市场|春风行动"
            r"|职业技能|考试|报名时间|截止|办理|提醒|送岗位|现场招聘|专场"
        ),
        3,
    ),
    (
        re.compile(
            r"培训|报名|街道|办事处|村委|社区|乡亲|各位|群众|政府|县委|镇政府|活动|讲座|咨询电话|现场|开张|都可以来|下乡"
        ),
        1,
    ),
)
_QUERY = re.compile(
    r"有没有|有木有|有无|哪里有|哪有|哪儿有|谁家|谁知道|还招|招不招|要不要人|缺人吗|缺不缺|请问|打听|咋报名|怎么报名"
    r"|在哪|能不能|可以吗|行不行|多少钱|还有没|还要人|有人要|人要不|要人不|有招[一-龥]{0,6}的|吗|嘛|[?？]|[不没]\W*$"
)
# A question about work (not chat) names work somehow.
_WORKISH = re.compile(r"活|工作|招|上班|干|报名|要人|人要|厂|钱|岗位|职")
_SELF_INTRO = re.compile(r"本人|俺\s*\d|\d{2}\s*岁|[男女]\s*\d{2}|都会|干了\d")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_CHAT = re.compile(
    r"^(?:收到|谢谢|好的|好|嗯+|哦+|ok|OK|👌|👍|🙏|辛苦了|感谢|多谢|明白|知道了|哈+|在吗|早|早上好|晚安|大家好)"
)


def _score(text: str, table: tuple[tuple[re.Pattern[str], int], ...]) -> int:
    return sum(weight * len(pattern.findall(text)) for pattern, weight in table)


def scores(text: str) -> dict[str, int]:
    """Per-class cue scores (exposed for debugging and for tests)."""
    has_job_words = bool(find_occupations(text))
    return {
        "job": _score(text, _JOB) + (1 if has_job_words else 0),
        "seeker": _score(text, _SEEKER) + (1 if has_job_words else 0),
        "policy": _score(text, _POLICY),
        "query": 2 * len(_QUERY.findall(text)),
    }


def _note_kind(s: dict[str, int]) -> Kind:
    return "job" if s["job"] > s["seeker"] else "seeker"


def classify(text: str) -> Kind:
    """seeker | job | policy | query | command | other."""
    body = text.strip()
    if not body:
        return "other"
    if parse_command(body):
        return "command"
    s = scores(body)
    if s["policy"] >= 4 and s["policy"] >= s["job"]:
        return "policy"
    note = max(s["job"], s["seeker"])
    has_mobile = bool(_MOBILE.search(digits_only(body)))
    asks = s["query"] and not _SELF_INTRO.search(body) and (note <= 6 or len(body) <= 20)
    if asks and (not has_mobile or s["seeker"] < 3):
        return "query" if _WORKISH.search(body) or note else "other"
    if note >= 3:
        return _note_kind(s)
    if s["policy"] >= 3:
        return "policy"
    # A trade word plus a phone number is a note even without cue words (瓦工 贴砖 138…).
    if (note >= 2 or has_mobile) and len(body) >= 5 and not _CHAT.match(body) and find_occupations(body):
        return _note_kind(s)
    return "other"
