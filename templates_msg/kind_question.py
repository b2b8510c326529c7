"""The one question asked when a note could be a job ad or a seeker note, and reading the answer."""

from __future__ import annotations

import re

from templates_msg.model import Kind

KIND_QUESTION = "您是在找工作，还是在招人？\n请回复：1 找工作　2 招人"

_SEEKER_ANSWER = re.compile(r"1|①|找工作|找活|求职|我找|找事|打工|应聘")
_JOB_ANSWER = re.compile(r"2|②|招人|招工|招聘|要人|缺人|我招")
_ANSWER_MAX_CHARS = 12  # a longer reply is a new message, not an answer to the question


def read_kind_answer(text: str) -> Kind | None:
    """seeker or job for 找工作/1 or 招人/2; None when the reply answers neither (or both)."""
    body = re.sub(r"[\s。.!！,，、~～]", "", text)
    if not body or len(body) > _ANSWER_MAX_CHARS:
        return None
    seeker, job = bool(_SEEKER_ANSWER.search(body)), bool(_JOB_ANSWER.search(body))
    if seeker == job:
        return None
    return "seeker" if seeker else "job"
