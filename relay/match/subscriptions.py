"""订阅 电焊 / 退订, and pushing new jobs to subscribers within the Official Account's rules
(wecom-platform.md §4.3): a customer-service message only inside the 48-hour window opened by the
resident's last message, never in the village's quiet hours, at most N a day (node override
`push_daily_limit`, default 3, below the 5 messages a window allows). A job that cannot be pushed
inside the window goes as a template message (§4.4) when MP_JOB_TEMPLATE_ID is set, under the same
quiet hours and daily limit (status `template`); without one it is recorded as `no_window`."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.inbound.models import InboundMessage
from app.org.models import Contact
from relay import outbox
from relay.match import job_template, messages, occupations
from relay.match.models import MatchPush, MatchSubscription
from relay.match.places import place_of_node
from relay.match.profile import Profile
from relay.match.score import score
from relay.models import Item
from relay.org_view import OrgView, load_org
from relay.rules import local, village_send_time

DEFAULT_DAILY_LIMIT = 3
WINDOW = timedelta(hours=48)
# A message queued to leave this close to the window's end may miss it (retries, a busy dispatcher).
WINDOW_MARGIN = timedelta(minutes=10)
SENT = ("queued", "template")  # the statuses that send a message and count toward the daily limit
NOT_FOR_YOU = "岗位订阅只对在公众号上登记的求职群众开放。"


def handle(*, session: Session, kind: str, contact: Contact | None, sender: str, command: dict, now: datetime) -> str:
    """The reply to 订阅 … / 退订 from `sender` (an OA openid of a resident)."""
    if kind != "resident" or contact is None or contact.openid != sender:
        return NOT_FOR_YOU
    rows = session.scalars(select(MatchSubscription).where(MatchSubscription.openid == sender)).all()
    if command["command"] == "unsubscribe":
        stopped = [row.code for row in rows if row.active]
        for row in rows:
            if row.active:
                row.active, row.stopped_at = False, now
        return messages.unsubscribed(stopped)
    word = (command.get("text") or "").strip()
    if not word:
        return messages.SUBSCRIBE_WHAT
    codes = occupations.codes_in(word)
    if not codes:
        return messages.subscribe_unknown(word[:20])
    existing = {row.code: row for row in rows}
    for code in codes:
        row = existing.get(code) or MatchSubscription(openid=sender, code=code, created_at=now)
        row.active, row.stopped_at, row.node_id = True, None, contact.node_id
        session.add(row)
    org = load_org(session=session)
    hours = org.policy(contact.node_id).service_hours if contact.node_id is not None else "07:30-21:00"
    return messages.subscribed("、".join(codes), hours, daily_limit(org, contact.node_id),
                               by_template=bool(job_template.template_id()))


def daily_limit(org: OrgView, node_id: int | None) -> int:
    """The nearest node's `push_daily_limit` override, else the default."""
    for node in org.ancestors(node_id) if node_id is not None else []:
        value = node.overrides.get("push_daily_limit")
        if value is not None:
            return int(value)
    return DEFAULT_DAILY_LIMIT


def window_ends(session: Session, openid: str) -> datetime | None:
    """When the customer-service window opened by the resident's last message closes (None: never opened)."""
    last = session.scalar(select(func.max(InboundMessage.received_at))
                          .where(InboundMessage.channel == "mp", InboundMessage.sender == openid,
                                 InboundMessage.msg_type != "event"))
    return last + WINDOW if last is not None else None


def push_new_job(*, session: Session, item: Item, source: Profile, now: datetime) -> int:
    """Queue the new job for every matching subscriber it may reach; how many were queued."""
    wanted = list(dict.fromkeys(c for code in source.codes for c in occupations.related(code)))
    if not wanted:
        return 0
    subscriptions = session.scalars(select(MatchSubscription).where(MatchSubscription.active.is_(True),
                                                                    MatchSubscription.code.in_(wanted))
                                    .order_by(MatchSubscription.id)).all()
    org = load_org(session=session)
    queued, seen = 0, set()
    for sub in subscriptions:
        if sub.openid in seen:
            continue
        seen.add(sub.openid)
        queued += _push_one(session, org, item, source, sub, now)
    return queued


def _push_one(session: Session, org: OrgView, item: Item, source: Profile, sub: MatchSubscription, now: datetime) -> int:
    policy = org.policy(sub.node_id) if sub.node_id is not None else org.policy(item.origin_node_id)
    send_at = village_send_time(now, policy)  # never in quiet hours: the next opening
    day = local(send_at, policy).date().isoformat()
    sent_today = session.scalar(select(func.count()).select_from(MatchPush).where(
        MatchPush.openid == sub.openid, MatchPush.local_day == day, MatchPush.status.in_(SENT))) or 0
    closes = window_ends(session, sub.openid)
    template = ""
    if sent_today >= daily_limit(org, sub.node_id):
        status = "daily_limit"
    elif closes is None or send_at > closes - WINDOW_MARGIN:
        template = job_template.template_id()
        status = "template" if template else "no_window"
    else:
        status = "queued"
    session.add(MatchPush(subscription_id=sub.id, item_id=item.id, openid=sub.openid, status=status,
                          send_at=send_at if status in SENT else None, local_day=day, created_at=now))
    if status not in SENT:
        return 0
    subscriber = Profile(kind="seeker", codes={sub.code: "intent"}, place=place_of_node(session, sub.node_id))
    fit = score(source, subscriber, now, need_occupation=False)
    reasons = fit.reason_line if fit is not None else sub.code
    if template:
        channel, payload = "mp_template", job_template.payload(template=template, code=item.code,
                                                               text=item.masked_text, reasons=reasons)
    else:
        channel, payload = "mp", outbox.text_payload(messages.pushed_job(item.code, item.masked_text, reasons))
    outbox.enqueue(session=session, purpose="subscription", channel=channel, target=sub.openid,
                   payload=payload, now=now, item_id=item.id, not_before=send_at)
    return 1
