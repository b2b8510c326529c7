"""The dispatcher's database side: claim due rows, save outcomes in batches, alert on failures.

Every function takes a session and leaves committing to the caller, except where noted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from app.org.models import HAND_CHANNELS, ChatGroup, Node, Staff
from app.outbound.models import ApiCall
from relay.channels import PARTS_SENT, Call, SendJob, SendResult
from relay.dispatch_journal import Entry
from relay.models import Delivery, DeliveryAttempt, Hop, Item
from relay.quiet import QuietHours
from vetting.models import VettingCard

OPEN = ("queued", "sending")
UNKNOWN_NOTE = "unknown: WeCom took the request and did not confirm it; not resent (no duplicate check), staff asked"
RESEND_SAFE = ("app",)  # message/send with enable_duplicate_check (§2.2)
VETTING_CARD_KEY = "vetcard:"  # dedupe key prefix of vetting's officer cards (vetting/notify.py)
ROBOT_PER_MINUTE = 20  # §2.5: the cross-process guard; Pacer keeps each process a little below


@dataclass
class Outcome:
    """What happened to one claimed row. kind: sent | retry | failed | deferred | unknown."""

    job: SendJob
    kind: str
    calls: list[Call] = field(default_factory=list)
    result: SendResult | None = None
    errcode: int = 0
    error: str = ""
    next_attempt_at: datetime | None = None
    parts_sent: int = 0  # parts of a split text delivered before a transient failure


def claim(session: Session, *, worker: str, now: datetime, lease: timedelta, limit: int,
          robot_window: timedelta = timedelta(seconds=60), quiet: QuietHours | None = None) -> list[SendJob]:
    """Mark up to `limit` due rows 'sending' for `worker` and return them, oldest first.

    A row is due when queued and past not_before and next_attempt_at, or when it is 'sending'
    under a lease that ran out (its dispatcher died). A row waits while an earlier row for the
    same channel and target is still open, so a retry never lets a later message overtake it
    (DESIGN.md #5) and at most one message per target is in flight across all dispatchers.
    """
    earlier = aliased(Delivery)
    recent = aliased(Delivery)
    earlier_open = exists().where(earlier.channel == Delivery.channel, earlier.target == Delivery.target,
                                  earlier.id < Delivery.id, earlier.status.in_(OPEN))
    robot_sends = (select(func.count()).where(recent.channel == "robot", recent.target == Delivery.target,
                                              recent.status == "sent",
                                              recent.sent_at > now - robot_window)
                   .scalar_subquery())
    due = or_(
        and_(Delivery.status == "queued", Delivery.not_before <= now, Delivery.next_attempt_at <= now),
        and_(Delivery.status == "sending", Delivery.claimed_until < now),
    )
    ids = (select(Delivery.id)
           .where(due, ~earlier_open, or_(Delivery.channel != "robot", robot_sends < ROBOT_PER_MINUTE),
                  Delivery.channel.not_in(HAND_CHANNELS))  # a person delivers these (relay/group_tasks.py)
           .order_by(Delivery.id).limit(limit)
           .with_for_update(skip_locked=True))  # PostgreSQL; SQLite serialises writers anyway
    rows = session.execute(
        update(Delivery).where(Delivery.id.in_(ids.scalar_subquery()))
        .values(status="sending", claimed_by=worker, claimed_until=now + lease)
        .returning(Delivery.id, Delivery.channel, Delivery.target, Delivery.purpose, Delivery.payload,
                   Delivery.hop_id, Delivery.group_id, Delivery.attempts)
    ).all()
    rows = sorted(rows, key=lambda row: row.id)
    if quiet is not None:
        rows = _hold_quiet(session, rows, quiet, now)
    return [SendJob(delivery_id=r.id, channel=r.channel, target=r.target, purpose=r.purpose,
                    payload=dict(r.payload or {}), hop_id=r.hop_id, attempts=r.attempts)
            for r in rows]


def _hold_quiet(session: Session, rows: list, quiet: QuietHours, now: datetime) -> list:
    """Rows for a resident group in its quiet hours go back to the queue until it opens (relay/quiet.py)."""
    held = quiet.held_until(session, [r.group_id for r in rows], now)
    for row in rows:
        if row.group_id in held:
            session.execute(update(Delivery).where(Delivery.id == row.id).values(
                status="queued", claimed_by="", claimed_until=None, next_attempt_at=held[row.group_id]))
    return [r for r in rows if r.group_id not in held]


def renew_leases(session: Session, *, worker: str, until: datetime) -> None:
    session.execute(update(Delivery).where(Delivery.claimed_by == worker, Delivery.status == "sending")
                    .values(claimed_until=until))


def requeue_dead(session: Session, workers: Iterable[str]) -> int:
    """Rows a dead dispatcher claimed and never reported: queued again without waiting for the lease."""
    dead = list(workers)
    if not dead:
        return 0
    result = session.execute(update(Delivery)
                             .where(Delivery.claimed_by.in_(dead), Delivery.status == "sending")
                             .values(status="queued", claimed_by="", claimed_until=None))
    return int(getattr(result, "rowcount", 0) or 0)


def apply_journal(session: Session, entries: Sequence[Entry], now: datetime) -> None:
    """What a dead dispatcher journaled: accepted sends become sent; a request that was complete
    when it died is taken as delivered (at most once), except on channels whose API drops a
    duplicate by itself (§2.2 enable_duplicate_check), where resending is safe and tells us."""
    last = {e.delivery_id: e for e in entries}  # in file order: the latest line of a row wins
    for entry in last.values():
        if entry.kind == "sent":
            session.execute(update(Delivery).where(Delivery.id == entry.delivery_id, Delivery.status.in_(OPEN))
                            .values(status="sent", sent_at=now, msgid=entry.msgid, last_errcode=0,
                                    last_error=entry.note, claimed_by="", claimed_until=None))
            if entry.response_code:
                _store_response_code(session, entry.delivery_id, entry.response_code)
        elif entry.kind == "pending":
            _mark_part_sent(session, entry.delivery_id, entry.parts + 1)


def _mark_part_sent(session: Session, delivery_id: int, parts: int) -> None:
    row = session.get(Delivery, delivery_id)
    if row is None or row.status not in OPEN or row.channel in RESEND_SAFE:
        return
    if row.payload.get("msgtype") == "update_card":
        return  # replacing a button's text twice shows the same card
    if int(row.payload.get(PARTS_SENT, 0)) < parts:
        row.payload = {**row.payload, PARTS_SENT: parts}


def _store_response_code(session: Session, delivery_id: int, response_code: str) -> None:
    """docs/relay.md: a card's response_code goes on its hop (or its vetting card), to update the
    card after someone decides."""
    row = session.execute(select(Delivery.hop_id, Delivery.dedupe_key).where(Delivery.id == delivery_id,
                                                                             Delivery.purpose == "card")).first()
    if row is None:
        return
    if row.hop_id is not None:
        session.execute(update(Hop).where(Hop.id == row.hop_id).values(card_response_code=response_code))
    elif row.dedupe_key.startswith(VETTING_CARD_KEY):
        task_id = row.dedupe_key.removeprefix(VETTING_CARD_KEY)
        session.execute(update(VettingCard).where(VettingCard.task_id == task_id)
                        .values(response_code=response_code))


def save_outcomes(session: Session, outcomes: Sequence[Outcome], now: datetime) -> None:
    """One batch: row updates by primary key, every attempt, api_calls, hops, alerts."""
    rows = [_row_update(o, now) for o in outcomes]
    for keys in {tuple(sorted(r)) for r in rows}:  # executemany needs one key set per statement
        session.execute(update(Delivery), [r for r in rows if tuple(sorted(r)) == keys])
    attempts = [dict(delivery_id=o.job.delivery_id, at=now, errcode=c.errcode, duration_ms=c.duration_ms,
                     error=_attempt_error(o, c)) for o in outcomes for c in o.calls if c.is_send]
    if attempts:
        session.execute(insert(DeliveryAttempt), attempts)
    if any(o.calls for o in outcomes):
        session.execute(insert(ApiCall), [dict(app_key=c.app_key, api=c.api, errcode=c.errcode,
                                               duration_ms=c.duration_ms, at=now)
                                          for o in outcomes for c in o.calls])
    for o in outcomes:
        if o.kind == "sent" and o.result and o.result.response_code and o.job.purpose == "card":
            _store_response_code(session, o.job.delivery_id, o.result.response_code)
    failed = [o for o in outcomes if o.kind == "failed" and o.job.purpose != "alert"]
    if failed:
        write_alerts(session, failed, now)
    unknown = [o for o in outcomes if o.kind == "unknown"]
    if unknown:
        write_check_requests(session, unknown, now)


def _attempt_error(outcome: Outcome, call: Call) -> str:
    return (call.api if call.errcode == 0 else f"{call.api}: {outcome.error or 'retried'}")[:300]


def _row_update(o: Outcome, now: datetime) -> dict:
    base = {"id": o.job.delivery_id, "attempts": o.job.attempts + sum(c.is_send for c in o.calls),
            "claimed_by": "", "claimed_until": None}
    if o.kind == "sent":
        result = o.result or SendResult()
        return {**base, "status": "sent", "sent_at": now, "msgid": result.msgid, "last_errcode": 0,
                "last_error": result.note[:300]}
    if o.kind == "failed":
        return {**base, "status": "failed", "last_errcode": o.errcode, "last_error": o.error[:300]}
    if o.kind == "unknown":  # never resent: see write_check_requests
        row = {**base, "status": "unknown", "last_errcode": o.errcode,
               "last_error": f"{UNKNOWN_NOTE}: {o.error}"[:300]}
        if o.parts_sent:
            row["payload"] = {**o.job.payload, PARTS_SENT: o.parts_sent}
        return row
    row = {**base, "status": "queued", "next_attempt_at": o.next_attempt_at or now}
    if o.kind == "retry":
        row.update(last_errcode=o.errcode, last_error=o.error[:300])
        if o.parts_sent:
            row["payload"] = {**o.job.payload, PARTS_SENT: o.parts_sent}
    return row


def write_alerts(session: Session, failed: Sequence[Outcome], now: datetime) -> None:
    """One alert per failed delivery to the district officer(s) above it; the dedupe key makes a
    second write of the same alert a no-op."""
    for outcome in failed:
        row = session.get(Delivery, outcome.job.delivery_id)
        if row is None:
            continue
        where = _describe_target(session, row)
        text = (f"【投递失败】{where}（{row.purpose}）未能送达：错误码 {outcome.errcode}，"
                f"{outcome.error[:120]}。请检查该群或人员的配置。")
        for userid in district_officers(session, _node_of(session, row)):
            _alert(session, row, userid, text, f"alert:{row.id}:app:{userid}", now)


def write_check_requests(session: Session, unknown: Sequence[Outcome], now: datetime) -> None:
    """Ask the staff of the group to look: WeCom took the request and did not confirm it, and
    appchat/robot have no duplicate check, so we neither resend (it could post twice) nor
    assume it arrived. The text to forward by hand comes with the question."""
    for outcome in unknown:
        row = session.get(Delivery, outcome.job.delivery_id)
        if row is None:
            continue
        content = str(outcome.job.payload.get("content", ""))
        text = (f"【请核对】{_describe_target(session, row)} 的一条消息可能已发出，也可能没有：企业微信收到了请求，"
                f"但没有确认（错误码 {outcome.errcode}）。为免重复，系统不会自动重发。请到群里看一眼，"
                f"如果没有下面这条，请手动转发：\n{content}")
        for userid in group_staff(session, _node_of(session, row)):
            _alert(session, row, userid, text, f"check:{row.id}:app:{userid}", now)


def _alert(session: Session, row: Delivery, userid: str, text: str, key: str, now: datetime) -> None:
    """A text to one staff member about a delivery; the key makes a second write a no-op."""
    insert_ignore(session, dict(
        item_id=row.item_id, hop_id=row.hop_id, purpose="alert", channel="app", target=userid,
        payload={"msgtype": "text", "content": text}, dedupe_key=key, status="queued", not_before=now,
        next_attempt_at=now, created_at=now))


# Who can look into a node's group: its own staff; the district officers when it has none.
GROUP_STAFF = {"village": ("village_head", "hr_specialist"), "township": ("township_steward", "backup_steward"),
               "district": ("district_officer",)}


def group_staff(session: Session, node_id: int | None) -> list[str]:
    node = session.get(Node, node_id) if node_id is not None else None
    roles = GROUP_STAFF.get(node.kind, ()) if node is not None else ()
    here = list(session.scalars(select(Staff.userid).where(Staff.node_id == node.id, Staff.role.in_(roles))
                                .order_by(Staff.id))) if node is not None and roles else []
    return here or district_officers(session, node_id)


def _describe_target(session: Session, row: Delivery) -> str:
    if row.group_id is not None:
        name = session.scalar(select(ChatGroup.name).where(ChatGroup.id == row.group_id))
        if name:
            return str(name)
    # A robot key is a credential (§2.5): never put it in a message.
    return f"{row.channel} 机器人" if row.channel == "robot" else f"{row.channel}:{row.target}"


def _node_of(session: Session, row: Delivery) -> int | None:
    if row.group_id is not None:
        return session.scalar(select(ChatGroup.node_id).where(ChatGroup.id == row.group_id))
    if row.item_id is not None:
        return session.scalar(select(Item.origin_node_id).where(Item.id == row.item_id))
    return None


def district_officers(session: Session, node_id: int | None) -> list[str]:
    """Officers of the district above `node_id`; every district officer when the node is unknown."""
    query = select(Staff.userid).where(Staff.role == "district_officer", Staff.active).order_by(Staff.id)
    seen: set[int] = set()
    while node_id is not None and node_id not in seen:
        seen.add(node_id)
        node = session.get(Node, node_id)
        if node is None:
            break
        if node.kind == "district":
            here = list(session.scalars(query.where(Staff.node_id == node.id)))
            if here:
                return here
            break
        node_id = node.parent_id
    return list(session.scalars(query))


def insert_ignore(session: Session, values: dict) -> None:
    """INSERT ... ON CONFLICT (dedupe_key) DO NOTHING (docs/relay.md: writing a key twice is a no-op)."""
    dialect = session.get_bind().dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(maker(Delivery).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"]))


def open_due_count(session: Session, now: datetime, horizon: timedelta | None = None) -> int:
    """Rows that still need this or another dispatcher now (queued retries included; with a
    horizon, not rows waiting longer than it, e.g. for a village's next opening)."""
    query = select(func.count()).where(Delivery.status.in_(OPEN), Delivery.not_before <= now,
                                       Delivery.channel.not_in(HAND_CHANNELS))
    if horizon is not None:
        query = query.where(or_(Delivery.status == "sending", Delivery.next_attempt_at <= now + horizon))
    return int(session.scalar(query) or 0)
