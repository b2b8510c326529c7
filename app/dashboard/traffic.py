"""Counts over a period: items posted, employers posting, recruitment cycle, and the operator's
figures (deliveries per channel, errcodes, inbound messages, rejected callbacks, API calls)."""

from __future__ import annotations

from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dashboard.period import Period
from app.inbound.models import InboundMessage, RejectedCallbackCount
from app.outbound.models import ApiCall
from relay.models import ITEM_KINDS, Delivery, DeliveryAttempt, Item
from vetting.models import Enterprise

DAY_SECONDS = 86400.0


def items_by_kind(*, session: Session, period: Period) -> dict[str, int]:
    """Items submitted in the period, per kind (every kind present, zero included)."""
    rows = session.execute(
        select(Item.kind, func.count()).where(Item.created_at >= period.start, Item.created_at < period.end)
        .group_by(Item.kind)
    ).all()
    counts = dict.fromkeys(ITEM_KINDS, 0)
    counts.update({kind: n for kind, n in rows})
    return counts


def employers_posting(*, session: Session, start, end) -> int:
    """Distinct employers with a job submitted in [start, end): an enterprise when the post is linked
    to one, else its author; a district officer posting for someone is no employer."""
    in_range = (Item.kind == "job", Item.created_at >= start, Item.created_at < end)
    enterprises = session.scalar(select(func.count(func.distinct(Item.enterprise_id))).where(*in_range)) or 0
    authors = session.scalar(
        select(func.count(func.distinct(Item.author_ref)))
        .where(*in_range, Item.enterprise_id.is_(None), Item.author_kind == "employer")
    ) or 0
    return enterprises + authors


def employers_by_month(*, session: Session, period: Period) -> list[dict]:
    """Employers posting in each calendar month of the period (clipped months are marked partial)."""
    return [
        {"month": month, "employers": employers_posting(session=session, start=start, end=end), "partial": partial}
        for month, start, end, partial in period.months()
    ]


def certified_enterprises(*, session: Session, period: Period) -> int:
    return session.scalar(
        select(func.count()).select_from(Enterprise)
        .where(Enterprise.status == "certified", Enterprise.certified_at < period.end)
    ) or 0


def recruitment_cycle(*, session: Session, period: Period) -> tuple[float | None, int]:
    """(median days from posting to filled, jobs counted) for jobs closed in the period; withdrawals excluded."""
    rows = session.execute(
        select(Item.created_at, Item.closed_at).where(
            Item.kind == "job", Item.status != "withdrawn", Item.closed_at.is_not(None),
            Item.closed_at >= period.start, Item.closed_at < period.end)
    ).all()
    days = [(closed - created).total_seconds() / DAY_SECONDS for created, closed in rows if closed is not None]
    return (median(days) if days else None), len(days)


def deliveries_by_channel(*, session: Session, period: Period) -> list[dict]:
    """Deliveries created in the period, per channel, by their state now."""
    rows = session.execute(
        select(Delivery.channel, Delivery.status, func.count())
        .where(Delivery.created_at >= period.start, Delivery.created_at < period.end)
        .group_by(Delivery.channel, Delivery.status)
    ).all()
    out: dict[str, dict] = {}
    for channel, status, n in rows:
        row = out.setdefault(channel, {"channel": channel, "sent": 0, "awaiting": 0, "failed": 0, "pending": 0,
                                       "cancelled": 0})
        row["pending" if status in ("queued", "sending") else status] += n
    return sorted(out.values(), key=lambda r: r["channel"])


def delivery_errors(*, session: Session, period: Period) -> list[dict]:
    """Failed send attempts in the period, per channel and errcode (a retried row counts each try)."""
    rows = session.execute(
        select(Delivery.channel, DeliveryAttempt.errcode, func.count())
        .join(Delivery, DeliveryAttempt.delivery_id == Delivery.id)
        .where(DeliveryAttempt.errcode != 0, DeliveryAttempt.at >= period.start, DeliveryAttempt.at < period.end)
        .group_by(Delivery.channel, DeliveryAttempt.errcode)
        .order_by(func.count().desc(), Delivery.channel, DeliveryAttempt.errcode)
    ).all()
    return [{"channel": channel, "errcode": code, "count": n} for channel, code, n in rows]


def inbound_by_channel(*, session: Session, period: Period) -> list[dict]:
    rows = session.execute(
        select(InboundMessage.channel, func.count())
        .where(InboundMessage.received_at >= period.start, InboundMessage.received_at < period.end)
        .group_by(InboundMessage.channel).order_by(InboundMessage.channel)
    ).all()
    return [{"channel": channel, "count": n} for channel, n in rows]


def rejected_callbacks(*, session: Session, period: Period) -> list[dict]:
    """Refused callbacks per channel and code, with a recent reason: what an operator checks when
    WeCom says "请求不通过". From the hourly counters, which count every refusal (the detail rows
    are only a sample); an hour belongs to the period it starts in."""
    in_period = (RejectedCallbackCount.hour >= period.start, RejectedCallbackCount.hour < period.end)
    total = func.sum(RejectedCallbackCount.count)
    rows = session.execute(
        select(RejectedCallbackCount.channel, RejectedCallbackCount.code, total)
        .where(*in_period)
        .group_by(RejectedCallbackCount.channel, RejectedCallbackCount.code)
        .order_by(total.desc(), RejectedCallbackCount.channel, RejectedCallbackCount.code)
    ).all()
    return [{"channel": channel, "code": code, "reason": _latest_reason(session, channel, code, in_period),
             "count": int(n)} for channel, code, n in rows]


def _latest_reason(session: Session, channel: str, code: int, in_period: tuple) -> str:
    return session.scalar(
        select(RejectedCallbackCount.reason)
        .where(RejectedCallbackCount.channel == channel, RejectedCallbackCount.code == code, *in_period)
        .order_by(RejectedCallbackCount.hour.desc()).limit(1)
    ) or ""


def api_calls(*, session: Session, period: Period) -> list[dict]:
    """Calls to WeCom / Official Account APIs in the period, per API and errcode."""
    rows = session.execute(
        select(ApiCall.api, ApiCall.errcode, func.count())
        .where(ApiCall.at >= period.start, ApiCall.at < period.end)
        .group_by(ApiCall.api, ApiCall.errcode).order_by(ApiCall.api, ApiCall.errcode)
    ).all()
    return [{"api": api, "errcode": code, "count": n} for api, code, n in rows]
