"""Items moving between tiers: submit, approve, reject, edit (keyword-only, on a session).

Every function writes its state change and the deliveries it causes in the caller's
transaction and never commits: the caller (the inbound accept, a deadline job) commits once,
so an item, its hops and their outbox rows exist together or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from app.org.models import Staff
from app.org.service import get_staff_by_userid
from relay import messaging, outbox, people, routing
from relay.errors import NotAllowed, NotFound, NotPending
from relay.match import hooks as match_hooks
from relay.models import Hop, Item
from relay.org_view import OrgView, load_org
from relay.rules import DeadlinePolicy, local, township_due_at, village_send_time
from templates_msg.contactless import for_relay, without_phone_digits
from templates_msg.mask import mask
from templates_msg.model import Understanding
from templates_msg.render import card_fields, compact_line, render_text

# An item held for review (reports, red flags), filled ("done"), withdrawn or rejected goes no
# further, whoever clicks and whatever the clock says.
RELAYABLE = ("relaying",)


@dataclass(frozen=True)
class Decision:
    hop: Hop
    changed: bool  # False: the hop was already decided, nothing was written
    onward: int = 0  # groups the decision sends the item to


def relay_text(understanding: Understanding) -> str:
    """The text a hop carries: the compact line, then the masked original (never the raw text)."""
    if understanding.kind == "policy":
        return compact_line(understanding)
    return render_text(understanding)


# The spans masked on suspicion ride with the (encrypted) fields until the steward's card is built.
SUSPECTS_KEY = "_suspects"


def stored_fields(understanding: Understanding) -> str:
    fields = dict(understanding.fields)
    if understanding.suspects:
        fields[SUSPECTS_KEY] = [f.value for f in understanding.suspects]
    return json.dumps(fields, ensure_ascii=False, default=str)


def _title(kind: str, fields: dict) -> str | None:
    title = fields.get("title") if kind == "job" else None
    return str(title)[:50] if title else None


def submit_item(
    *, session: Session, kind: str, origin_node_id: int, author_ref: str, author_kind: str,
    understanding: Understanding, now: datetime, target_township_ids: list[int] | None = None,
    enterprise_id: int | None = None, base: DeadlinePolicy | None = None, defer: bool = False,
) -> Item:
    """The new item, with its first hops and their deliveries (or held for village staff).

    With `defer`, only the item is written, as "queued": the webhook answers at once with the
    item's code, and `start_queued_item` (run by the relay worker) writes hops and deliveries.
    """
    item = Item(
        kind=kind, status="queued" if defer else "held" if understanding.held else "relaying",
        origin_node_id=origin_node_id,
        author_ref=author_ref, author_kind=author_kind, enterprise_id=enterprise_id,
        masked_text=for_relay(understanding).masked, raw_text=understanding.original or None,
        title=_title(kind, understanding.fields),
        fields_json=stored_fields(understanding),
        target_township_ids=target_township_ids, hold_reason=understanding.hold_reason or "", created_at=now,
    )
    session.add(item)
    session.flush()
    if defer:
        return item
    return _route_new_item(session=session, item=item, understanding=understanding, now=now, base=base)


def start_queued_item(*, session: Session, item: Item, now: datetime, base: DeadlinePolicy | None = None) -> Item:
    """Route an item the webhook queued: hold it for village staff, or write its first hops."""
    from relay.intake import stored_understanding

    understanding = stored_understanding(item)
    item.status = "held" if item.hold_reason else "relaying"
    return _route_new_item(session=session, item=item, understanding=understanding, now=now, base=base)


def _route_new_item(
    *, session: Session, item: Item, understanding: Understanding, now: datetime, base: DeadlinePolicy | None
) -> Item:
    org = load_org(session=session)
    if item.status == "held":
        people.notify_village_staff_of_hold(session=session, item=item, org=org, text=relay_text(understanding), now=now)
        return item
    start_relay(session=session, item=item, understanding=understanding, org=org, now=now, base=base)
    return item


def start_relay(
    *, session: Session, item: Item, understanding: Understanding, org: OrgView, now: datetime,
    base: DeadlinePolicy | None = None,
) -> list[Hop]:
    """Write the item's first hops and their deliveries."""
    understanding = for_relay(understanding)  # a seeker's phone leaves the village only by consent
    plans = routing.first_hops(
        item.kind, origin_id=item.origin_node_id, org=org, targets=item.target_township_ids,
        location=str(understanding.fields.get("location") or ""), base=base,
    )
    text = relay_text(understanding)
    hops = open_hops(session=session, item=item, plans=plans, text=text, org=org, now=now, base=base)
    for hop in hops:
        if hop.status == "pending":
            send_card(session=session, item=item, hop=hop, rows=card_fields(understanding, item_id=item.code), org=org, now=now, base=base,
                      suspects=[f.value for f in understanding.suspects])
    return hops


def open_hops(
    *, session: Session, item: Item, plans: list[routing.HopPlan], text: str, org: OrgView, now: datetime,
    base: DeadlinePolicy | None = None,
) -> list[Hop]:
    """Hops for these plans (one flush for a whole fan-out) and, for those that need no
    steward, their deliveries and the hops they release."""
    hops = [new_hop(item=item, plan=plan, text=text, policy=org.policy(plan.to_node_id, base), now=now) for plan in plans]
    session.add_all(hops)
    session.flush()
    for hop in hops:
        if hop.status == "approved":
            deliver_hop(session=session, item=item, hop=hop, org=org, now=now, base=base)
    return hops


def new_hop(*, item: Item, plan: routing.HopPlan, text: str, policy: DeadlinePolicy, now: datetime) -> Hop:
    waits = plan.needs_approval
    return Hop(
        item_id=item.id, from_node_id=plan.from_node_id, to_node_id=plan.to_node_id, tier=plan.tier,
        needs_approval=waits, text=text, arrived_at=now, status="pending" if waits else "approved",
        due_at=township_due_at(now, policy) if waits else None,
        decided_at=None if waits else now, decided_by="" if waits else "rule",
    )


def deliver_hop(
    *, session: Session, item: Item, hop: Hop, org: OrgView, now: datetime, base: DeadlinePolicy | None = None,
) -> int:
    """Post an approved hop into its node's group and open the hops it releases; groups reached."""
    if hop.tier != "village":  # the first approved hop publishes a job / a seeker note: matching
        match_hooks.item_went_out(session=session, item=item, now=now)
    group = org.group(hop.to_node_id, routing.target_group_purpose(hop.tier))
    reached = 0
    if group is not None:
        # 信息不过夜 / quiet hours: a resident group only receives posts inside its send window.
        not_before = village_send_time(now, org.policy(hop.to_node_id, base)) if hop.tier == "village" else now
        outbox.to_group(session=session, item=item, hop=hop, group=group, now=now, not_before=not_before)
        reached = 1
    if hop.tier == "township":
        plans = routing.hops_after_township(item.kind, township_id=hop.to_node_id, org=org)
        onward = open_hops(session=session, item=item, plans=plans, text=hop.text, org=org, now=now, base=base)
        reached += sum(1 for h in onward if org.group(h.to_node_id, routing.target_group_purpose(h.tier)))
    return reached


def send_card(
    *, session: Session, item: Item, hop: Hop, rows: list[dict[str, str]], org: OrgView, now: datetime,
    base: DeadlinePolicy | None = None, suspects: list[str] | None = None,
) -> str | None:
    """The approval card to the township's steward; the userid it went to, or None if nobody serves."""
    approver = people.card_recipient(session=session, township_id=hop.to_node_id, org=org)
    if approver is None:
        return None
    hop.card_task_id = outbox.new_task_id(hop.id)
    assert hop.due_at is not None
    card = outbox.approval_card(item=item, hop=hop, rows=rows, due_local=local(hop.due_at, org.policy(hop.to_node_id, base)),
                                suspects=suspects)
    outbox.card_to_steward(session=session, item=item, hop=hop, userid=approver.userid, card=card, now=now)
    return approver.userid


def items_of(*, sender: str, contact_id: int | None) -> ColumnElement[bool]:
    """Where-clause for a person's items: what they sent, and the notes their village's staff
    forwarded for them from the group (those carry the resident's id, not their sender)."""
    mine = Item.author_ref == sender
    return mine if contact_id is None else or_(mine, Item.resident_id == contact_id)


def lock_hop(*, session: Session, hop_id: int) -> Hop | None:
    """The hop re-read under a row lock, with its item re-read too.

    Every decision (a click, a command, the timeout job, closing the item) takes this lock
    before it looks at the status, so two of them on one hop run one after the other and the
    second sees the first's outcome. populate_existing matters: a session that already holds
    the hop (a click loads it to check the task id) would otherwise keep the stale "pending".
    """
    hop = session.get(Hop, hop_id, with_for_update=True, populate_existing=True)
    if hop is not None:
        session.get(Item, hop.item_id, populate_existing=True)
    return hop


def get_hop_for_decision(*, session: Session, hop_id: int, actor_userid: str) -> tuple[Hop, Staff]:
    """The hop (locked) and the deciding staff member; raises NotFound / NotAllowed / NotPending."""
    hop = lock_hop(session=session, hop_id=hop_id)
    if hop is None or hop.tier != "township":
        raise NotFound(messaging.NOT_FOUND)
    actor = get_staff_by_userid(session=session, userid=actor_userid)
    if actor is None or not people.may_decide(session=session, staff=actor, township_id=hop.to_node_id):
        raise NotAllowed(messaging.NOT_ALLOWED)
    if not hop.needs_approval:
        raise NotPending(messaging.NOT_PENDING)
    if hop.status == "expired":  # the item was closed (relay/closing.py) before anyone decided
        raise NotPending(messaging.item_closed(hop.item.code, hop.item.status))
    return hop, actor


def approve_hop(
    *, session: Session, hop_id: int, actor_userid: str, now: datetime, edited_text: str | None = None,
    base: DeadlinePolicy | None = None, response_code: str = "",
) -> Decision:
    """Approve a township hop once; a repeat (second click, retry) returns changed=False."""
    hop, actor = get_hop_for_decision(session=session, hop_id=hop_id, actor_userid=actor_userid)
    if hop.status != "pending":
        return Decision(hop, changed=False)
    if hop.item.status not in RELAYABLE:
        raise NotPending(messaging.item_paused(hop.item.code))
    if edited_text:
        hop.text = clean_edit(hop.item, edited_text)
    return Decision(hop, True, decide(session=session, hop=hop, status="approved", by=actor.userid, name=actor.name,
                                      now=now, base=base, response_code=response_code))


def reject_hop(
    *, session: Session, hop_id: int, actor_userid: str, now: datetime, reason: str = "", response_code: str = "",
) -> Decision:
    """Reject a township hop once; the item goes no further from this township."""
    hop, actor = get_hop_for_decision(session=session, hop_id=hop_id, actor_userid=actor_userid)
    if hop.status != "pending":
        return Decision(hop, changed=False)
    hop.decision_note = reason[:500]
    decide(session=session, hop=hop, status="rejected", by=actor.userid, name=actor.name, now=now, response_code=response_code)
    item = hop.item
    if all(h.status == "rejected" for h in item.hops if h.tier == "township"):
        item.status = "rejected"
        people.notify_author(session=session, item=item, content=messaging.rejected_notice(item.code, reason), now=now)
    return Decision(hop, changed=True)


def edit_hop(*, session: Session, hop_id: int, actor_userid: str, text: str, now: datetime) -> Hop:
    """The hop with the steward's wording (still pending: approving it relays this text)."""
    hop, _ = get_hop_for_decision(session=session, hop_id=hop_id, actor_userid=actor_userid)
    if hop.status != "pending":
        raise NotPending(messaging.already_decided(hop.item.code, hop.status, hop.decided_by))
    hop.text = clean_edit(hop.item, text)
    return hop


def clean_edit(item: Item, text: str) -> str:
    """A steward's wording of a seeker note is masked again: the note never leaves unmasked."""
    text = text.strip()
    return without_phone_digits(mask(text).text) if item.kind == "seeker" else text


def decide(
    *, session: Session, hop: Hop, status: str, by: str, name: str, now: datetime,
    base: DeadlinePolicy | None = None, response_code: str = "", org: OrgView | None = None,
) -> int:
    """Record a decision, update the card, and relay onward when approved; groups reached."""
    hop.status, hop.decided_at, hop.decided_by = status, now, by
    recipient = people.card_holder(session=session, hop=hop)
    code = response_code or hop.card_response_code
    if recipient:
        outbox.card_update(session=session, hop=hop, userid=recipient, response_code=code,
                           replace_name=messaging.replace_name(status, name), now=now)
    if status != "approved":
        return 0
    session.flush()
    if hop.tier == "township" and hop.item.kind == "job" and hop.item.author_kind == "employer":
        # The employer was told "等待审核"; the first township's approval is the publication.
        people.notify_author(session=session, item=hop.item, content=messaging.job_published(hop.item.code), now=now,
                             key=f"published:{hop.item_id}")
    return deliver_hop(session=session, item=hop.item, hop=hop, org=org or load_org(session=session), now=now, base=base)


def get_item_by_code(*, session: Session, code: str) -> Item | None:
    """The item a person names as J12 / S7 / P3 / G2, or None."""
    prefix, digits = code[:1].upper(), code[1:]
    kind = {"J": "job", "S": "seeker", "P": "policy", "G": "graduates"}.get(prefix)
    if kind is None or not digits.isdigit():
        return None
    return session.scalar(select(Item).where(Item.id == int(digits), Item.kind == kind))


def refresh_card(*, session: Session, hop: Hop, response_code: str, now: datetime) -> None:
    """Show a decided hop's outcome on its card (no-op when the card was already updated)."""
    recipient = people.card_holder(session=session, hop=hop)
    if recipient and hop.status in ("approved", "rejected"):
        name = "timeout" if hop.decided_by == "timeout" else _staff_name(session, hop.decided_by)
        outbox.card_update(session=session, hop=hop, userid=recipient, response_code=response_code,
                           replace_name=messaging.replace_name(hop.status, name), now=now)


def _staff_name(session: Session, userid: str) -> str:
    staff = get_staff_by_userid(session=session, userid=userid)
    return staff.name if staff else userid


def item_code(*, session: Session, item_id: int) -> str:
    """J12 / S7 / ... for an item id."""
    item = session.get(Item, item_id)
    return item.code if item else f"#{item_id}"
