"""What people type about outcomes: 联系 S12, 已录用 S12, 1 / 2 to a question, 满意 / 1-5 to a survey,
and a trainer's 开班 / 签到 / 结业 (pure: text in, plain data out)."""

from __future__ import annotations

import re
from datetime import date

from templates_msg.textnorm import to_halfwidth

_SEEKER = r"#?\s*(?P<seeker>[Ss]\d{1,10})"
_JOB = r"(?:\s*[,，]?\s*(?:岗位|应聘)?\s*(?P<job>[Jj]\d{1,10}))?"
# Each pattern covers the whole message, so a sentence that merely mentions 联系 is not a command.
_OUTCOME: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("contact", re.compile(rf"(?:我想|我要|想|请)?(?:联系|联系TA|联系他|联系她|要电话|要联系方式)\s*{_SEEKER}{_JOB}\s*", re.I)),
    ("hired", re.compile(rf"(?:已经?录用了?|录用了?|已招用|已入职|入职了)\s*{_SEEKER}{_JOB}\s*")),
    ("hired", re.compile(rf"{_SEEKER}\s*(?:已经?录用了?|录用了?|已入职|入职了){_JOB}\s*")),
)

_YES = {"1", "同意", "可以", "好", "好的", "行", "愿意", "是", "是的", "对", "确认", "没错", "嗯"}
_NO = {"2", "不同意", "不可以", "不行", "不用", "不用了", "不要", "算了", "不愿意", "不是", "没有", "不对", "否"}
_SCORES = {"满意": 5, "非常满意": 5, "很满意": 5, "比较满意": 4, "一般": 3, "还行": 3, "不满意": 1, "很不满意": 1,
           "不太满意": 2}
_DIGITS = re.compile(r"\d{1,3}")


def _clean(text: str) -> str:
    return to_halfwidth(text).strip().strip("。.!！~～ ").strip()


def parse_outcome_command(text: str) -> dict[str, str | None] | None:
    """{'command': 'contact' | 'hired', 'seeker': 'S12', 'job': 'J7' or None}, or None."""
    body = _clean(text)
    for name, pattern in _OUTCOME:
        m = pattern.fullmatch(body)
        if m:
            job = m.group("job")
            return {"command": name, "seeker": m.group("seeker").upper(), "job": job.upper() if job else None}
    return None


def looks_like_answer(text: str) -> bool:
    """A short reply that can only be an answer to a question we asked (a number, yes/no, 满意)."""
    body = _clean(text)
    return body in _YES or body in _NO or body in _SCORES or bool(_DIGITS.fullmatch(body))


def parse_yes_no(text: str) -> bool | None:
    """True for 1 / 同意, False for 2 / 不同意, None for anything else."""
    body = _clean(text)
    if body in _YES:
        return True
    if body in _NO:
        return False
    return None


def parse_score(text: str) -> int | None:
    """1-5 from a digit or 满意 (5) / 一般 (3) / 不满意 (1); None when it is no score (0, 6, 10, words)."""
    body = _clean(text)
    if body in _SCORES:
        return _SCORES[body]
    if _DIGITS.fullmatch(body) and 1 <= int(body) <= 5:
        return int(body)
    return None


# -- a trainer's commands in the WeCom app -------------------------------------------------------

_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
_OPEN = re.compile(rf"开班\s+(?P<occupation>\S{{1,20}})\s+(?P<start>{_DATE})\s*(?:至|到|-|~|\s)\s*(?P<end>{_DATE})")
_CLASS = r"#?\s*(?P<code>[Tt]\d{1,10})"
_ATTEND = re.compile(rf"(?:签到|出勤|考勤)\s*{_CLASS}\s+(?P<names>.+)", re.S)
_GRADUATE = re.compile(rf"结业\s*{_CLASS}\s*")


def _date(text: str) -> date | None:
    m = re.fullmatch(_DATE, text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_training_command(text: str) -> dict | None:
    """{'command': 'open_class' | 'attend' | 'graduate', ...} for a trainer's message, else None.

    open_class carries 'starts_on'/'ends_on' as dates, or None when a date does not exist (2月30日).
    """
    body = to_halfwidth(text).strip()
    if m := _OPEN.fullmatch(body):
        return {"command": "open_class", "occupation": m.group("occupation"),
                "starts_on": _date(m.group("start")), "ends_on": _date(m.group("end"))}
    if m := _ATTEND.fullmatch(body):
        names = [n for n in re.split(r"[\s,，、]+", m.group("names")) if n]
        return {"command": "attend", "code": m.group("code").upper(), "names": names}
    if m := _GRADUATE.fullmatch(body):
        return {"command": "graduate", "code": m.group("code").upper()}
    return None
