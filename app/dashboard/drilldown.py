"""Drill-down district → township → village, and the villages that got no job this week.

Figures use the headline rules (app.dashboard.service) grouped finer, so a township's row adds
up to the district's card. A township steward may open only their own township and its villages.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dashboard import service
from app.dashboard.auth import Viewer
from app.dashboard.period import Period, make_period
from app.dashboard.service import Policies, Tally
from app.dashboard.table import KIND_LABELS, POST_STATE_LABELS, Table
from app.org.models import ChatGroup
from relay.figures import delivery_state
from relay.models import Delivery, Item
from relay.org_view import OrgView
from relay.rules import DeadlinePolicy, local, sent_same_day

NO_DATA = "暂无数据"
RECENT_POSTS = 50


class DrillError(LookupError):
    """A node the viewer may not open or that does not exist (shown as it is)."""


def percent(value: float | None) -> str:
    return NO_DATA if value is None else f"{value * 100:.1f}%"


def _local_text(moment: datetime | None, policy: DeadlinePolicy) -> str:
    return local(moment, policy).strftime("%Y-%m-%d %H:%M") if moment else ""


def visible(org: OrgView, viewer: Viewer, node_id: int) -> bool:
    """Admins and officers see every node; a steward their township and the villages under it."""
    if viewer.township_id is None:
        return True
    township = org.up_to(node_id, "township")
    return township is not None and township.id == viewer.township_id


def _figure_row(node, hops: Tally, posts: Tally, cover: Tally) -> dict:
    return {"id": node.id, "kind": node.kind, "name": node.name,
            "on_time": percent(hops.rate), "hops": f"{hops.hits} / {hops.total}",
            "same_day": percent(posts.rate), "posts": f"{posts.hits} / {posts.total}",
            "confirmed": posts.confirmed, "awaiting": posts.awaiting, "missed": posts.missed,
            "coverage": percent(cover.rate), "villages": f"{cover.hits} / {cover.total}"}


TOWNSHIP_COLUMNS = [("name", "乡镇"), ("on_time", "30分钟及时率"), ("hops", "按时/需审批"), ("same_day", "当日送达率"),
                    ("posts", "当日/应发"), ("confirmed", "已发进群"), ("awaiting", "等待群主确认"), ("missed", "未送达"),
                    ("coverage", "岗位覆盖率"), ("villages", "收到招聘的村/村数")]
VILLAGE_COLUMNS = [("name", "村（社区）"), ("same_day", "当日送达率"), ("posts", "当日/应发"), ("confirmed", "已发进群"),
                   ("awaiting", "等待群主确认"), ("missed", "未送达"), ("reached", "期内收到招聘"), ("group", "群众求职群")]
POST_COLUMNS = [("code", "编号"), ("kind", "类别"), ("title", "岗位"), ("planned", "计划发送"), ("sent", "发进群时间"),
                ("state", "状态"), ("same_day", "当日送达")]


def drill(*, session: Session, org: OrgView, node_id: int | None, period: Period, now: datetime,
          policies: Policies, viewer: Viewer) -> dict:
    """{node, path, table} for the district (townships), a township (villages) or a village (its posts)."""
    if node_id is None:
        node_id = viewer.township_id or next(n.id for n in org.nodes.values() if n.kind == "district")
    node = org.nodes.get(node_id)
    if node is None or not visible(org, viewer, node_id):
        raise DrillError("没有这个地区，或您无权查看")
    path = [{"id": n.id, "name": n.name, "kind": n.kind} for n in reversed(org.ancestors(node_id))
            if visible(org, viewer, n.id)]
    if node.kind == "district":
        table = _townships(session, org, period, now, policies)
    elif node.kind == "township":
        table = _villages(session, org, node_id, period, now, policies)
    else:
        table = _posts(session, node_id, period, now, policies)
    return {"node": {"id": node.id, "name": node.name, "kind": node.kind}, "path": path, "table": table.as_json()}


def _townships(session: Session, org: OrgView, period: Period, now: datetime, policies: Policies) -> Table:
    hops = service.township_on_time(session=session, period=period, now=now, policies=policies)
    posts = service.village_same_day(session=session, period=period, now=now, policies=policies)
    cover = service.village_coverage(session=session, period=period, org=org)
    rows = [_figure_row(n, hops.get(n.id, Tally()), posts.get(n.id, Tally()), cover.get(n.id, Tally()))
            for n in org.nodes.values() if n.kind == "township"]
    return Table("townships", "各乡镇", TOWNSHIP_COLUMNS, rows)


def _villages(session: Session, org: OrgView, township_id: int, period: Period, now: datetime,
              policies: Policies) -> Table:
    posts = service.village_same_day(session=session, period=period, now=now, policies=policies, by_village=True)
    cover = service.village_coverage(session=session, period=period, org=org, by_village=True)
    rows = []
    for village in org.children_of(township_id):
        row = _figure_row(village, Tally(), posts.get(village.id, Tally()), cover.get(village.id, Tally()))
        row["reached"] = "是" if cover.get(village.id, Tally()).hits else "否"
        row["group"] = "有" if org.group(village.id, "residents") else "无"
        rows.append(row)
    return Table(f"villages-{township_id}", f"{org.nodes[township_id].name}各村", VILLAGE_COLUMNS, rows)


def _posts(session: Session, village_id: int, period: Period, now: datetime, policies: Policies) -> Table:
    """The village's recent posts in the period: what was planned, when it really went into the group."""
    policy = policies.of(village_id)
    rows = session.execute(
        select(Item.id, Item.kind, Item.title, Delivery.not_before, Delivery.sent_at, Delivery.status)
        .join(ChatGroup, Delivery.group_id == ChatGroup.id).join(Item, Delivery.item_id == Item.id)
        .where(ChatGroup.node_id == village_id, ChatGroup.purpose == "residents", Delivery.purpose == "relay",
               Delivery.status != "cancelled", Delivery.not_before >= period.start, Delivery.not_before < period.end)
        .order_by(Delivery.not_before.desc()).limit(RECENT_POSTS)
    ).all()
    out = [{"code": {"job": "J", "seeker": "S", "policy": "P", "graduates": "G"}.get(r.kind, "I") + str(r.id),
            "kind": KIND_LABELS.get(r.kind, r.kind), "title": r.title or "",
            "planned": _local_text(r.not_before, policy), "sent": _local_text(r.sent_at, policy),
            "state": POST_STATE_LABELS[delivery_state(r.not_before, r.sent_at, r.status, policy, now)],
            "same_day": "是" if r.sent_at and sent_same_day(r.not_before, r.sent_at, policy) else "否"}
           for r in rows]
    return Table(f"posts-{village_id}", "本村收到的信息", POST_COLUMNS, out)


IDLE_COLUMNS = [("township", "乡镇"), ("village", "村（社区）"), ("group", "群众求职群"), ("last_job", "最近一次收到招聘")]


def this_week(now: datetime, timezone: str) -> Period:
    today = local(now, DeadlinePolicy(timezone=timezone)).date()
    return make_period(first=today - timedelta(days=today.weekday()), last=today, timezone=timezone)


def idle_villages(*, session: Session, org: OrgView, now: datetime, timezone: str, viewer: Viewer) -> Table:
    """Villages whose residents' group got no job (sent into the group) since Monday, local time."""
    week = this_week(now, timezone)
    last_job = dict(session.execute(
        select(ChatGroup.node_id, func.max(Delivery.sent_at))
        .select_from(Delivery).join(ChatGroup, Delivery.group_id == ChatGroup.id).join(Item, Delivery.item_id == Item.id)
        .where(ChatGroup.purpose == "residents", Delivery.purpose == "relay", Delivery.status == "sent",
               Item.kind == "job", Delivery.sent_at < week.end)
        .group_by(ChatGroup.node_id)
    ).tuples().all())
    policy = DeadlinePolicy(timezone=timezone)
    rows = []
    for node in org.nodes.values():
        if node.kind != "village" or not visible(org, viewer, node.id):
            continue
        last = last_job.get(node.id)
        if last is not None and last >= week.start:
            continue
        township = org.up_to(node.id, "township")
        rows.append({"id": node.id, "township": township.name if township else "", "village": node.name,
                     "group": "有" if org.group(node.id, "residents") else "无",
                     "last_job": _local_text(last, policy) or "从未"})
    title = f"本周（{week.first.month}月{week.first.day}日起）没有收到招聘的村"
    return Table("idle-villages", title, IDLE_COLUMNS, rows)
