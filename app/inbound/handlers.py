"""Handlers for each kind of inbound message, tried in order (the python-telegram-bot idea).

Each handler answers "is this mine?" and then returns the passive reply text ("" = no reply).
Later stages (relay, vetting) add their handlers to HANDLERS ahead of the fallbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.inbound import messaging, outcome_handlers, self_service
from app.inbound.identity import Speaker
from app.inbound.notes import clear_partial
from app.inbound.understanding import ack_for, relay_note, understand_with_partial
from app.joins import intake as joins_intake
from app.org.models import Contact, Node
from bots.inbound import CHANNEL_AIBOT, CHANNEL_MP, Inbound
from relay import approvals, manual_relay
from relay.match import query as match_query
from relay.rules import DeadlinePolicy
from templates_msg.commands import parse_command
from templates_msg.render import compact_line
from vetting import dialogue as vetting_dialogue
from vetting import flows as vetting_flows
from vetting import service as vetting_service
from vetting.commands import parse_lifecycle


@dataclass
class Context:
    session: Session
    inbound: Inbound
    speaker: Speaker
    now: datetime
    policy: DeadlinePolicy | None = None  # the deployment's time zone for deadline rules


@dataclass(frozen=True)
class Handler:
    name: str
    matches: Callable[[Context], bool]
    handle: Callable[[Context], str]


def _scene_of(inbound: Inbound) -> str:
    # subscribe via a parametric QR carries EventKey "qrscene_<scene>"; SCAN carries the scene itself.
    key = inbound.event_key
    return key.removeprefix("qrscene_") if key else ""


def _is_scene_event(ctx: Context) -> bool:
    inbound = ctx.inbound
    return inbound.channel == CHANNEL_MP and inbound.event in ("subscribe", "SCAN") and bool(_scene_of(inbound))


def _bind_by_scene(ctx: Context) -> str:
    """One QR scan binds a resident to their village (三即: 扫码即入群)."""
    node = ctx.session.scalar(select(Node).where(Node.code == _scene_of(ctx.inbound), Node.kind == "village"))
    if node is None:
        return messaging.UNKNOWN_SCENE
    contact = ctx.speaker.contact
    if contact is None:
        contact = Contact(kind="resident", openid=ctx.inbound.sender, created_at=ctx.now)
        ctx.session.add(contact)
    contact.node_id = node.id
    contact.bound_via = f"qr:{node.code}"
    return joins_intake.welcome_and_invite(
        session=ctx.session, openid=ctx.inbound.sender, node=node, event=ctx.inbound.event, now=ctx.now
    )


def _is_silent_event(ctx: Context) -> bool:
    return ctx.inbound.msg_type == "event" and ctx.inbound.event in ("unsubscribe", "enter_agent", "VIEW", "LOCATION")


def _unknown(ctx: Context) -> str:
    return messaging.JOIN_GUIDE


def _text_ack(ctx: Context) -> str:
    result = understand_with_partial(
        session=ctx.session, channel=ctx.inbound.channel, sender=ctx.inbound.sender,
        text=ctx.inbound.content, speaker_kind=ctx.speaker.kind, now=ctx.now, staff=ctx.speaker.staff,
    )
    item = relay_note(
        session=ctx.session, result=result, sender=ctx.inbound.sender,
        staff=ctx.speaker.staff, contact=ctx.speaker.contact, now=ctx.now,
    )
    if result.kind == "query":  # 有没有保洁的活: ranked open jobs, 更多 pages on (relay/match/query.py)
        return match_query.answer(session=ctx.session, channel=ctx.inbound.channel, sender=ctx.inbound.sender,
                                  text=ctx.inbound.content, fields=result.fields, home_node_id=ctx.speaker.node_id, now=ctx.now)
    jobs = match_query.note_ack_jobs(session=ctx.session, fields=result.fields, text=result.masked,
                                     home_node_id=ctx.speaker.node_id, now=ctx.now) if result.kind == "seeker" and result.complete else ""
    return ack_for(result, item=item) + jobs


def _is_card_click(ctx: Context) -> bool:
    return ctx.inbound.msg_type == "event" and ctx.inbound.event == "template_card_event"


def _card_click(ctx: Context) -> str:
    extra = ctx.inbound.extra
    userid = ctx.speaker.actor.staff_userid
    if userid is None:
        return messaging.NOT_STAFF
    click = approvals.CardClick(
        userid=userid, event_key=ctx.inbound.event_key,
        task_id=extra.get("TaskId", ""), response_code=extra.get("ResponseCode", ""),
    )
    return approvals.apply_card_click(session=ctx.session, click=click, now=ctx.now, base=ctx.policy)


def _decision_command(ctx: Context) -> dict | None:
    if not ctx.inbound.is_text:
        return None
    command = parse_command(ctx.inbound.content)
    if command is None or command["command"] not in approvals.DECISION_COMMANDS or not command["target"]:
        return None
    return command


def _decide(ctx: Context) -> str:
    command = _decision_command(ctx)
    assert command is not None
    userid = ctx.speaker.actor.staff_userid
    if userid is None:
        return messaging.NOT_STAFF
    return approvals.apply_command(
        session=ctx.session, actor=userid, command=command["command"],
        target=command["target"], text=command["text"] or "", now=ctx.now, base=ctx.policy,
    )


# -- vetting (三审): registration dialogue, officers' decisions, reports, employers' posts -----


def _is_vetting_click(ctx: Context) -> bool:
    return _is_card_click(ctx) and vetting_flows.is_vetting_task(ctx.inbound.extra.get("TaskId", ""))


def _is_relay_click(ctx: Context) -> bool:
    return _is_card_click(ctx) and manual_relay.is_relay_card(ctx.inbound.extra.get("TaskId", ""))


def _relay_click(ctx: Context) -> str:
    """已转发 on a manual group's card: the relayer's click is the delivery record (issue 9)."""
    return manual_relay.record_click(session=ctx.session, userid=ctx.inbound.sender,
                                     task_id=ctx.inbound.extra.get("TaskId", ""),
                                     event_key=ctx.inbound.event_key, now=ctx.now)


def _vetting_click(ctx: Context) -> str:
    extra = ctx.inbound.extra
    return vetting_flows.card_click(
        session=ctx.session, actor=ctx.speaker.actor, event_key=ctx.inbound.event_key,
        task_id=extra.get("TaskId", ""), response_code=extra.get("ResponseCode", ""), now=ctx.now,
    )


def _command_of(ctx: Context) -> dict | None:
    return parse_command(ctx.inbound.content) if ctx.inbound.is_text else None


def _is_registration(ctx: Context) -> bool:
    """企业认证 from anyone (the unknown included), or any answer while a conversation waits."""
    inbound = ctx.inbound
    if inbound.channel == CHANNEL_AIBOT or inbound.msg_type not in ("text", "image"):
        return False
    command = _command_of(ctx)
    if command is not None and command["command"] == "employer_register":
        return True
    if command is not None and command["command"] == "delete_my_data":
        return False  # the right to erasure is never taken as an answer to a registration question
    if ctx.speaker.kind in ("staff", "resident"):
        return False  # they are refused at 企业认证, so they never have a conversation open
    return vetting_dialogue.active(session=ctx.session, channel=inbound.channel, sender=inbound.sender) is not None


def _registration(ctx: Context) -> str:
    inbound, session = ctx.inbound, ctx.session
    command = _command_of(ctx)
    if command is not None and command["command"] == "employer_register":
        return vetting_dialogue.start_or_resume(session=session, channel=inbound.channel, sender=inbound.sender,
                                                speaker_kind=ctx.speaker.kind, contact=ctx.speaker.contact, now=ctx.now)
    dialogue = vetting_dialogue.active(session=session, channel=inbound.channel, sender=inbound.sender)
    assert dialogue is not None
    if inbound.msg_type == "image":
        contact = ctx.speaker.contact or session.get(Contact, dialogue.contact_id)
        return vetting_dialogue.answer_image(session=session, dialogue=dialogue, contact=contact, now=ctx.now,
                                             media_id=inbound.extra.get("MediaId", ""))
    return vetting_dialogue.answer_text(session=session, dialogue=dialogue, text=inbound.content, now=ctx.now)


def _vetting_command(ctx: Context) -> dict | None:
    """A decision that vetting owns: E-codes, held posts, 暂停/恢复 E12 (from anyone: vetting
    answers a resident or a steward who tries with a clear refusal)."""
    if not ctx.speaker.known or not ctx.inbound.is_text:
        return None
    command = parse_lifecycle(ctx.inbound.content) or _command_of(ctx)
    if command is None or not vetting_flows.owns_decision(
            session=ctx.session, command=command["command"], target=command["target"] or ""):
        return None
    return command


def _vetting_decide(ctx: Context) -> str:
    command = _vetting_command(ctx)
    assert command is not None
    return vetting_flows.decide(session=ctx.session, actor=ctx.speaker.actor, command=command["command"],
                                target=command["target"], text=command["text"] or "", now=ctx.now)


def _is_report(ctx: Context) -> bool:
    command = _command_of(ctx)
    return command is not None and command["command"] == "report" and bool(command["target"])


def _report(ctx: Context) -> str:
    command = _command_of(ctx)
    assert command is not None
    return vetting_flows.report(session=ctx.session, reporter=ctx.inbound.sender, target=command["target"],
                                text=command["text"] or "", now=ctx.now)


def _employer_text(ctx: Context) -> str:
    """An employer's message: a job post only from a certified, not suspended enterprise."""
    inbound, session = ctx.inbound, ctx.session
    result = understand_with_partial(session=session, channel=inbound.channel, sender=inbound.sender,
                                     text=inbound.content, speaker_kind="employer", now=ctx.now)
    if result.unsure:
        return ack_for(result)  # the kind question; the answer comes back here
    if result.kind == "job":
        refusal = vetting_service.posting_refusal(session=session, contact=ctx.speaker.contact)
        if refusal is not None:
            clear_partial(session=session, channel=inbound.channel, sender=inbound.sender)
            return refusal
    item = relay_note(session=session, result=result, sender=inbound.sender, staff=None,
                      contact=ctx.speaker.contact, now=ctx.now)
    if item is not None and item.kind == "job":
        return vetting_flows.post_reply(session=session, item=item, summary=compact_line(result))
    return ack_for(result, item=item)


def _is_self_service(ctx: Context) -> bool:
    command = _command_of(ctx)
    return command is not None and command["command"] in self_service.COMMANDS


def _self_service(ctx: Context) -> str:
    command = _command_of(ctx)
    assert command is not None
    return self_service.handle(session=ctx.session, speaker=ctx.speaker, sender=ctx.inbound.sender,
                               command=command, now=ctx.now) or ""


def _former_staff(ctx: Context) -> str:
    return "" if _is_silent_event(ctx) else messaging.FORMER_STAFF


HANDLERS: list[Handler] = [
    # First: someone who left the org file has no right at all, card clicks and 企业认证 included.
    Handler("former-staff", lambda ctx: ctx.speaker.kind == "former_staff", _former_staff),
    Handler("vetting-card-click", _is_vetting_click, _vetting_click),
    Handler("manual-relay-click", _is_relay_click, _relay_click),
    Handler("card-click", _is_card_click, _card_click),
    Handler("bind-by-qr-scene", _is_scene_event, _bind_by_scene),
    Handler("customer-group-change", lambda ctx: joins_intake.is_group_change(ctx.inbound),
            lambda ctx: joins_intake.note_group_change(session=ctx.session, inbound=ctx.inbound, now=ctx.now)),
    Handler("silent-events", _is_silent_event, lambda ctx: ""),
    Handler("employer-registration", _is_registration, _registration),
    Handler("unknown-sender", lambda ctx: not ctx.speaker.known and ctx.inbound.msg_type != "event", _unknown),
    *(Handler(*entry) for entry in outcome_handlers.HANDLERS),  # consent, hires, surveys, training
    Handler("vetting-decision", lambda ctx: _vetting_command(ctx) is not None, _vetting_decide),
    Handler("decision-command", lambda ctx: _decision_command(ctx) is not None, _decide),
    Handler("post-report", _is_report, _report),
    Handler("self-service", _is_self_service, _self_service),
    Handler("employer-post", lambda ctx: ctx.speaker.kind == "employer" and ctx.inbound.is_text, _employer_text),
    Handler("more-matches", lambda ctx: ctx.inbound.is_text and match_query.is_more(ctx.inbound.content),
            lambda ctx: match_query.more(session=ctx.session, channel=ctx.inbound.channel, sender=ctx.inbound.sender, now=ctx.now)),
    Handler("text-ack", lambda ctx: ctx.inbound.is_text, _text_ack),
    Handler("other-message", lambda ctx: ctx.inbound.msg_type != "event", lambda ctx: messaging.UNSUPPORTED_TYPE),
]


def dispatch(ctx: Context) -> str:
    for handler in HANDLERS:
        if handler.matches(ctx):
            return handler.handle(ctx)
    return ""
