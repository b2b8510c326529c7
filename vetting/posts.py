"""Review 3 of job posts: screening at submission, the officer's decision, residents' reports,
and withdrawal (the post is recorded as withdrawn and a notice follows it into every group)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.org.actors import Actor
from relay import closing
from relay.models import Delivery, Item
from vetting import audit, messaging, notify
from vetting.errors import Invalid, NotAllowed, NotFound
from vetting.models import Enterprise, PostReport, PostReview
from vetting.redflags import Flag, describe

REPORTS_TO_SUSPEND = 3  # the bureau's rule: three residents' reports take a post down pending review
OPEN_ITEM_STATUSES = ("queued", "relaying", "held", "done")


def review_of(*, session: Session, item_id: int) -> PostReview | None:
    return session.scalar(select(PostReview).where(PostReview.item_id == item_id))


def screen(*, session: Session, item: Item, enterprise: Enterprise, flags: list[Flag], actor: str,
           now: datetime) -> PostReview:
    """Record review 3 of a new post; a flagged one is held (not routed) and goes to the officers."""
    review = PostReview(item_id=item.id, enterprise_id=enterprise.id, flags=[vars(f) for f in flags],
                        status="held" if flags else "published", created_at=now)
    session.add(review)
    item.enterprise_id = enterprise.id
    audit.record(session=session, actor=actor, action="post_screened", now=now, enterprise_id=enterprise.id,
                 item_id=item.id, detail=describe(flags) if flags else "无红旗，即时发布")
    if flags:
        # "held" keeps the relay worker (which routes "queued" items) away until an officer decides.
        item.status, item.hold_reason = "held", ("待区级复核：" + "、".join(f.label for f in flags))[:200]
        _post_card(session=session, item=item, enterprise=enterprise, flags=flags, stage="post", now=now)
    return review


def _post_card(*, session: Session, item: Item, enterprise: Enterprise, flags: list[Flag], stage: str,
               now: datetime) -> None:
    rows = [{"keyname": "企业", "value": f"{enterprise.code} {enterprise.name}"[:30]}]
    rows += [{"keyname": f.label[:10], "value": f.reason[:30]} for f in flags[:5]]
    title = "岗位复核" if stage == "post" else "岗位被举报"
    notify.review_card(session=session, subject="post", subject_id=item.id, stage=stage,
                       title=f"{title} {item.code}", desc=item.masked_text, rows=rows, code=item.code,
                       district_id=enterprise.district_id, now=now)


REVIEW_OF_STAGE = {"post": "held", "report": "reported"}  # a card's stage -> the status it decides


def decide(*, session: Session, item: Item, action: str, actor: Actor, reason: str, now: datetime,
           stage: str | None = None) -> PostReview:
    """The officer releases a held or reported post (it is routed) or rejects it (it is withdrawn).

    The review is re-read under a row lock (two officers at once decide one after the other);
    `stage` is the clicked card's, so a stale card changes nothing."""
    review = session.scalar(select(PostReview).where(PostReview.item_id == item.id).with_for_update()
                            .execution_options(populate_existing=True))
    if review is None:
        raise NotFound(messaging.NOT_FOUND)
    if review.status not in ("held", "reported"):
        raise Invalid(messaging.cannot(item.code, messaging.post_status(review.status)))
    if stage is not None and REVIEW_OF_STAGE.get(stage) != review.status:
        raise Invalid(messaging.already_handled(item.code, messaging.post_status(review.status)))
    if action == "reject" and not reason.strip():
        raise Invalid(messaging.REJECT_NEEDS_REASON.replace("E12", item.code))
    was = review.status
    review.status = "published" if action == "approve" else "rejected"
    review.decided_by, review.decided_at, review.reason = str(actor)[:64], now, reason.strip()[:500]
    audit.record(session=session, actor=actor, action=f"post_{action}", now=now, enterprise_id=review.enterprise_id,
                 item_id=item.id, detail=f"{was} -> {review.status}" + (f"; {reason}" if reason else ""))
    notify.close_cards(session=session, subject="post", subject_id=item.id, stage="post" if was == "held" else "report",
                       action=action, actor=actor, now=now)
    if action == "approve":
        _release(session=session, item=item, was=was)
    else:
        withdraw(session=session, item=item, reason=reason.strip() or "复核未通过", now=now)
    return review


def _release(*, session: Session, item: Item, was: str) -> None:
    item.hold_reason = ""
    if was == "held":
        item.status = "queued"  # the relay worker routes it now, as it would a clean post
        return
    item.status = "relaying"
    for delivery in _deliveries(session, item.id, ("cancelled",)):
        delivery.status = "queued"  # what the reports paused goes out after all


def _deliveries(session: Session, item_id: int, statuses: tuple[str, ...]) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(Delivery.item_id == item_id, Delivery.status.in_(statuses))))


def withdraw(*, session: Session, item: Item, reason: str, now: datetime) -> int:
    """Take a post down: queued messages are cancelled; groups that already got it get a notice
    (appchat and robot messages cannot be recalled, §2.4-2.5); how many notices."""
    if item.status == "withdrawn":
        return 0
    for delivery in _deliveries(session, item.id, ("queued",)):
        delivery.status = "cancelled"
    closing.close_item(session=session, item=item, status="withdrawn", now=now)  # waiting cards, hops
    sent = [d for d in _deliveries(session, item.id, ("sent", "sending")) if d.purpose == "relay"]
    for delivery in sent:
        notify.to_group(session=session, channel=delivery.channel, address=delivery.target, group_id=delivery.group_id,
                        content=messaging.withdrawn_notice(item.code, reason), now=now,
                        key=f"withdraw:{item.id}:{delivery.channel}:{delivery.target}")
    return len(sent)


def withdraw_enterprise_posts(*, session: Session, enterprise_id: int, actor: Actor | str, reason: str, now: datetime) -> int:
    """Withdraw every open post of a suspended enterprise; how many posts."""
    items = list(session.scalars(select(Item).where(Item.enterprise_id == enterprise_id, Item.kind == "job",
                                                   Item.status.in_(OPEN_ITEM_STATUSES))))
    for item in items:
        notices = withdraw(session=session, item=item, reason=reason, now=now)
        review = review_of(session=session, item_id=item.id)
        if review is not None:
            review.status = "withdrawn"
        audit.record(session=session, actor=actor, action="post_withdrawn", now=now, enterprise_id=enterprise_id,
                     item_id=item.id, detail=f"{reason}; 撤回通知{notices}条")
    return len(items)


def _insert_report(session: Session, item_id: int, reporter: str, reason: str, now: datetime) -> int | None:
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    statement = dialect.insert(PostReport).values(item_id=item_id, reporter=reporter, reason=reason[:500], at=now)
    statement = statement.on_conflict_do_nothing(index_elements=["item_id", "reporter"]).returning(PostReport.id)
    return session.execute(statement).scalar()


def report(*, session: Session, item: Item | None, reporter: str, reason: str, now: datetime) -> str:
    """A resident's 举报; the third distinct reporter suspends the post pending review."""
    if item is None or item.kind != "job":
        raise NotFound(messaging.NOT_FOUND)
    if not reason.strip():
        raise Invalid(messaging.REPORT_NEEDS_REASON)
    report_id = _insert_report(session, item.id, reporter, reason.strip(), now)
    if report_id is None:
        return messaging.REPORT_ALREADY.format(code=item.code)
    review = review_of(session=session, item_id=item.id)
    # The reason stays in post_reports, where 删除我的信息 can erase it; the append-only audit
    # log must not quote a resident's words it could never let go of.
    audit.record(session=session, actor=reporter, action="post_reported", now=now, item_id=item.id,
                 enterprise_id=item.enterprise_id, detail=f"举报记录 #{report_id}")
    reports = len(list(session.scalars(select(PostReport.id).where(PostReport.item_id == item.id))))
    if review is not None:
        review.reports = reports
    if reports >= REPORTS_TO_SUSPEND and review is not None and review.status == "published":
        _suspend_reported(session=session, item=item, review=review, now=now)
    return messaging.RESIDENT_REPORT_THANKS.format(code=item.code)


def _suspend_reported(*, session: Session, item: Item, review: PostReview, now: datetime) -> None:
    review.status = "reported"
    item.status, item.hold_reason = "held", "举报待复核"
    for delivery in _deliveries(session, item.id, ("queued",)):
        delivery.status = "cancelled"
    audit.record(session=session, actor="system", action="post_suspended", now=now, item_id=item.id,
                 enterprise_id=review.enterprise_id, detail=f"{review.reports}次举报，暂停待复核")
    enterprise = session.get(Enterprise, review.enterprise_id) if review.enterprise_id else None
    if enterprise is not None:
        _post_card(session=session, item=item, enterprise=enterprise, now=now, stage="report",
                   flags=[Flag("reported", f"{review.reports}位群众举报")])


def check_post_officer(*, session: Session, actor: Actor, item: Item) -> None:
    """Only a district officer of the post's district (or the admin token) decides review 3."""
    from vetting.service import acting_officer

    if actor.is_admin_token:
        return
    staff = acting_officer(session=session, actor=actor)
    if staff is None or staff.node_id != item.origin_node_id:
        raise NotAllowed(messaging.NOT_ALLOWED)
