"""Handlers for the outcome flows (added to app/inbound/handlers.py's list, ahead of the fallbacks):
answers to our questions, 联系 S12 / 已录用 S12 from employers, 招满了 with who was hired, and a
trainer's 开班 / 签到 / 结业. Each is (name, "is this mine?", handle) like the others."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.inbound import self_service
from app.training import commands as training_commands
from relay import consent, outcomes, questions
from relay import outcome_messaging as say
from relay.errors import RelayError
from relay.service import get_item_by_code
from templates_msg.commands import parse_command
from templates_msg.outcome_commands import (
    looks_like_answer,
    parse_outcome_command,
    parse_training_command,
    parse_yes_no,
)

if TYPE_CHECKING:
    from app.inbound.handlers import Context


def _is_answer(ctx: Context) -> bool:
    """A short reply (1, 同意, 满意) from someone we asked something and who has not answered yet."""
    return (ctx.speaker.known and ctx.inbound.is_text and looks_like_answer(ctx.inbound.content)
            and questions.asked(session=ctx.session, person_ref=ctx.inbound.sender) is not None)


def _answer(ctx: Context) -> str:
    session, now, text = ctx.session, ctx.now, ctx.inbound.content
    question = questions.asked(session=session, person_ref=ctx.inbound.sender)
    assert question is not None
    if question.kind == "consent":
        yes = parse_yes_no(text)
        if yes is None:
            return say.QUESTION_ANSWER_CONSENT
        return consent.answer(session=session, question=question, yes=yes, now=now)
    if question.kind == "hire":
        return outcomes.answer_hire(session=session, question=question, text=text, now=now)
    return outcomes.answer_survey(session=session, question=question, text=text, now=now)


def _outcome_command(ctx: Context) -> dict | None:
    return parse_outcome_command(ctx.inbound.content) if ctx.speaker.known and ctx.inbound.is_text else None


def _employer_command(ctx: Context) -> str:
    command = _outcome_command(ctx)
    assert command is not None
    try:
        employer = consent.employer_of(session=ctx.session, ref=ctx.inbound.sender, contact=ctx.speaker.contact)
        if command["command"] == "contact":
            return consent.request_contact(session=ctx.session, employer=employer, seeker_code=command["seeker"] or "",
                                           job_code=command["job"], now=ctx.now, policy=ctx.policy)
        return outcomes.report_hire(session=ctx.session, employer=employer, seeker_code=command["seeker"] or "",
                                    job_code=command["job"], now=ctx.now)
    except RelayError as refusal:
        return refusal.reply


def _filled_command(ctx: Context) -> dict | None:
    if ctx.speaker.kind != "employer" or not ctx.inbound.is_text:
        return None
    command = parse_command(ctx.inbound.content)
    return command if command is not None and command["command"] == "filled" else None


def _job_filled(ctx: Context) -> str:
    """招满了 as before, then the employer's survey and the seekers to pick the hired ones from."""
    command = _filled_command(ctx)
    assert command is not None
    reply = self_service.handle(session=ctx.session, speaker=ctx.speaker, sender=ctx.inbound.sender,
                                command=command, now=ctx.now) or ""
    job = get_item_by_code(session=ctx.session, code=command["target"] or "")
    if job is None or job.kind != "job" or job.closed_at != ctx.now or job.author_ref != ctx.inbound.sender:
        return reply  # a refusal: nothing was closed
    return reply + say.filled_pick(job.code, outcomes.job_closed(session=ctx.session, job=job, now=ctx.now))


def _is_training(ctx: Context) -> bool:
    return (ctx.speaker.staff is not None and ctx.inbound.is_text
            and parse_training_command(ctx.inbound.content) is not None)


def _training(ctx: Context) -> str:
    command = parse_training_command(ctx.inbound.content)
    assert command is not None and ctx.speaker.staff is not None
    return training_commands.run(session=ctx.session, staff=ctx.speaker.staff, command=command, now=ctx.now,
                                 policy=ctx.policy)


HANDLERS: list[tuple[str, Callable[[Context], bool], Callable[[Context], str]]] = [
    ("question-answer", _is_answer, _answer),
    ("outcome-command", lambda ctx: _outcome_command(ctx) is not None, _employer_command),
    ("job-filled", lambda ctx: _filled_command(ctx) is not None, _job_filled),
    ("training-command", _is_training, _training),
]
