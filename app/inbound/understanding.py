"""From inbound text to the ack: understand it (templates_msg), complete a partial note, and
say back what was understood — masked, as it would be relayed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.inbound import messaging
from app.inbound.notes import clear_partial, load_partial, save_partial
from app.org.models import Contact, Staff
from bots.inbound import CHANNEL_AIBOT, CHANNEL_MP, CHANNEL_WECOM
from relay import intake
from relay import messaging as relay_messaging
from relay.forwarded import strip_forward
from relay.models import Item
from templates_msg.classify import is_chat
from templates_msg.contactless import for_relay
from templates_msg.kind_question import KIND_QUESTION, read_kind_answer
from templates_msg.model import Understanding
from templates_msg.render import compact_line
from templates_msg.reply import incomplete_reply, merge_partial, partial_state
from templates_msg.understand import understand

NOTE_KINDS = ("seeker", "job")
# templates_msg's author roles: who wrote a message weighs in on its kind, and a notice from
# staff keeps its phone numbers.
AUTHOR_ROLES = {"staff": "staff", "employer": "employer", "resident": "resident"}
CHANNELS = {CHANNEL_MP: "oa", CHANNEL_WECOM: "wecom_app", CHANNEL_AIBOT: "wecom_app"}
# A partial note of this kind holds a message whose kind we asked the author about.
ASKED_KIND = "ask_kind"


def author_role(speaker_kind: str, staff: Staff | None = None) -> str | None:
    if staff is not None and staff.role == "district_officer":
        return "officer"
    return AUTHOR_ROLES.get(speaker_kind)


def understand_with_partial(
    *, session: Session, channel: str, sender: str, text: str, speaker_kind: str, now: datetime,
    staff: Staff | None = None,
) -> Understanding:
    """Understand `text`; if the sender has a partial note waiting, this message completes it.

    A note that could be a job or a seeker note is not guessed: it waits, and the author's answer
    to KIND_QUESTION (找工作/招人, 1/2) says which; a bare 嗯/好的 gets the question again; any other
    reply drops it and is a new message. Chat (谢谢) after a half note leaves the note waiting.

    Staff forwarding a resident's note from the group may put 转 before it (relay/forwarded.py):
    those are someone else's words, so the staff member's role says nothing of their kind.
    """
    forwarded = False
    if speaker_kind == "staff":
        text, forwarded = strip_forward(text)
    role, where = author_role(speaker_kind, staff), CHANNELS.get(channel)
    if forwarded:
        role, where = None, "forwarded"
    pending = load_partial(session=session, channel=channel, sender=sender, now=now)
    if pending and pending.get("_kind") == ASKED_KIND:
        if is_chat(text):
            # 嗯 / 好的 answers nothing: the message keeps waiting and the question is asked again.
            save_partial(session=session, channel=channel, sender=sender, state=pending, now=now)
            return understand(pending["_text"], author_role=role, channel=where)
        clear_partial(session=session, channel=channel, sender=sender)
        answer = read_kind_answer(text)
        if answer is not None:
            text = pending["_text"]
            result = understand(text, author_role=role, channel=where, kind=answer)
            if not result.complete:
                save_partial(session=session, channel=channel, sender=sender, state=partial_state(result), now=now)
            return result
        pending = None
    result = understand(text, author_role=role, channel=where)
    if result.unsure and result.kind in NOTE_KINDS:
        save_partial(session=session, channel=channel, sender=sender,
                     state={"_kind": ASKED_KIND, "_text": text}, now=now)
        return result
    if result.kind in NOTE_KINDS and result.complete:
        # A note complete by itself replaces whatever half-note was waiting.
        clear_partial(session=session, channel=channel, sender=sender)
        return result
    if pending and (result.kind == "command" or is_chat(text)):
        return result  # 谢谢 after a half note is not part of it; the note keeps waiting
    if pending:
        result = merge_partial(pending, result)
    if result.kind in NOTE_KINDS and not result.complete:
        save_partial(session=session, channel=channel, sender=sender, state=partial_state(result), now=now)
    elif pending and result.kind in NOTE_KINDS:
        clear_partial(session=session, channel=channel, sender=sender)
    return result


def relay_note(
    *, session: Session, result: Understanding, sender: str, staff: Staff | None, contact: Contact | None, now: datetime
) -> Item | None:
    """A complete note from someone who may post it becomes an item (relay/intake.py says who).

    Only the item row is written here; its hops and deliveries are written by the relay worker
    (relay.intake.start_queued_items), so the webhook answers in about a millisecond.
    """
    if result.unsure:
        return None  # nothing is relayed before the author says what it is
    return intake.submit_from_inbound(
        session=session, understanding=result, sender=sender, staff=staff, contact=contact, now=now, defer=True
    )


def ack_for(result: Understanding, *, item: Item | None = None, jobs: list[Item] | None = None) -> str:
    """The passive reply that says what was understood and what happens next, with the open jobs
    that fit a seeker note or a question (their contacts are the employers' public ones)."""
    if result.unsure:
        return KIND_QUESTION
    text = _ack_text(result, item=item)
    if result.kind == "query":
        return messaging.answer_query(result.fields.get("jobs") or [], _job_lines(jobs))
    if jobs and result.kind == "seeker" and result.complete:
        return text + "\n\n" + messaging.matching_jobs(_job_lines(jobs))
    return text


def _job_lines(jobs: list[Item] | None) -> list[str]:
    return [f"{job.code} {job.masked_text.splitlines()[0][:60]}" for job in jobs or []]


def _ack_text(result: Understanding, *, item: Item | None) -> str:
    if item is not None and item.kind == "policy":
        return relay_messaging.policy_published(item.code)
    if item is not None and item.hold_reason:
        return relay_messaging.held_reply(item.code, item.hold_reason)
    if item is not None:
        # Say it as it will be relayed: a seeker note leaves with no digit of the phone.
        return relay_messaging.submitted(item.kind, item.code, compact_line(for_relay(result)))
    if result.held:
        return messaging.held_for_staff(result.hold_reason or "")
    if result.kind in NOTE_KINDS and not result.complete:
        summary = compact_line(result)
        return "\n".join(part for part in (messaging.partial_received(summary), incomplete_reply(result)) if part)
    if result.kind in NOTE_KINDS:
        return messaging.acknowledge_note(result.kind, compact_line(for_relay(result)))
    if result.kind in ("policy", "query", "command"):
        return messaging.acknowledge_other(result.kind)
    return messaging.acknowledge_plain()
