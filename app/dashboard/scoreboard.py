"""The staff scoreboard (the incentive scheme's inputs) and the item browser (one item's path).

Scoreboard: relays each steward handled in the period, how many on time, and the group posts
they confirmed (customer-group sends and manual relays clicked 已转发). Item browser: every
hop of one item through district, township and village, with times and who decided, never the
resident's name or phone (only the item's code, kind and occupation are shown).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dashboard import service
from app.dashboard.auth import Viewer
from app.dashboard.drilldown import DrillError, _local_text, percent, visible
from app.dashboard.period import Period
from app.dashboard.service import Policies
from app.dashboard.table import (
    HOP_STATUS_LABELS,
    ITEM_STATUS_LABELS,
    KIND_LABELS,
    STAFF_ROLE_LABELS,
    TIER_LABELS,
    Table,
)
from app.org.models import Staff
from relay.models import Delivery, GroupTask, Hop, Item
from relay.rules import DeadlinePolicy, rate

SCORE_COLUMNS = [("township", "乡镇"), ("name", "姓名"), ("role", "岗位"), ("handled", "处理转译"),
                 ("on_time", "按时处理"), ("on_time_rate", "及时率"), ("confirmations", "确认发群"),
                 ("timeouts", "本乡镇超时自动通过")]


def scoreboard(*, session: Session, period: Period, policies: Policies, viewer: Viewer) -> Table:
    confirmed = dict(session.execute(
        select(GroupTask.sender, func.count()).where(
            GroupTask.status == "confirmed", GroupTask.confirmed_at >= period.start,
            GroupTask.confirmed_at < period.end).group_by(GroupTask.sender)
    ).tuples().all())
    node_of = dict(session.execute(select(Staff.userid, Staff.node_id)).tuples().all())
    rows = []
    for work in service.staff_work(session=session, period=period, policies=policies):
        if not visible(policies.org, viewer, node_of[work["userid"]]):
            continue
        rows.append({"township": work["township"], "name": work["name"],
                     "role": STAFF_ROLE_LABELS.get(work["role"], work["role"]),
                     "handled": work["decisions"], "on_time": work["on_time"],
                     "on_time_rate": percent(rate(work["on_time"], work["decisions"])),
                     "confirmations": confirmed.get(work["userid"], 0),
                     "timeouts": work["timeouts_in_township"]})
    return Table("scoreboard", "人员记分（激励考核依据）", SCORE_COLUMNS, rows)


PATH_COLUMNS = [("tier", "层级"), ("place", "地区"), ("arrived", "到达时间"), ("decided", "处理时间"),
                ("by", "处理人"), ("status", "结果"), ("posts", "发进群/应发")]
CODE_KINDS = {"J": "job", "S": "seeker", "P": "policy", "G": "graduates"}


def parse_code(code: str) -> tuple[str, int]:
    code = code.strip().upper()
    if len(code) < 2 or code[0] not in CODE_KINDS or not code[1:].isdigit():
        raise DrillError("编号格式应为字母加数字，例如 J12、S7")
    return CODE_KINDS[code[0]], int(code[1:])


def _who(decided_by: str, names: dict[str, tuple[str, str]]) -> str:
    if decided_by == "timeout":
        return "超时自动通过"
    if decided_by in ("", "rule"):
        return "无需审批" if decided_by == "rule" else ""
    name, role = names.get(decided_by, ("", ""))
    return f"{name}（{STAFF_ROLE_LABELS.get(role, role)}）" if name else "其他人员"


def item_path(*, session: Session, code: str, now: datetime, policies: Policies, viewer: Viewer,
              timezone: str) -> dict:
    kind, item_id = parse_code(code)
    item = session.get(Item, item_id)
    org = policies.org
    if item is None or item.kind != kind:
        raise DrillError(f"没有编号为 {code.strip().upper()} 的信息")
    hops = session.scalars(select(Hop).where(Hop.item_id == item_id).order_by(Hop.arrived_at, Hop.id)).all()
    if viewer.township_id is not None and not any(
            h.tier != "district" and visible(org, viewer, h.to_node_id) for h in hops):
        raise DrillError(f"编号 {code.strip().upper()} 的信息没有经过您的乡镇")
    names = {u: (n, r) for u, n, r in session.execute(select(Staff.userid, Staff.name, Staff.role)).tuples()}
    posts = dict(session.execute(
        select(Delivery.hop_id, func.count()).where(Delivery.item_id == item_id, Delivery.purpose == "relay",
                                                    Delivery.status == "sent").group_by(Delivery.hop_id)
    ).tuples().all())
    planned = dict(session.execute(
        select(Delivery.hop_id, func.count()).where(Delivery.item_id == item_id, Delivery.purpose == "relay",
                                                    Delivery.status != "cancelled").group_by(Delivery.hop_id)
    ).tuples().all())
    policy = DeadlinePolicy(timezone=timezone)
    rows = []
    for h in hops:
        if h.tier != "district" and not visible(org, viewer, h.to_node_id):
            continue
        node = org.nodes.get(h.to_node_id)
        rows.append({"tier": TIER_LABELS.get(h.tier, h.tier), "place": node.name if node else "",
                     "arrived": _local_text(h.arrived_at, policy), "decided": _local_text(h.decided_at, policy),
                     "by": _who(h.decided_by, names), "status": HOP_STATUS_LABELS.get(h.status, h.status),
                     "posts": f"{posts.get(h.id, 0)} / {planned.get(h.id, 0)}" if planned.get(h.id) else ""})
    origin = org.nodes.get(item.origin_node_id)
    summary = {"code": code.strip().upper(), "kind": KIND_LABELS.get(item.kind, item.kind),
               "status": ITEM_STATUS_LABELS.get(item.status, item.status), "title": item.title or "",
               "origin": origin.name if origin else "", "created": _local_text(item.created_at, policy),
               "closed": _local_text(item.closed_at, policy)}
    table = Table(f"item-{summary['code']}", f"{summary['code']} 的流转路径", PATH_COLUMNS, rows)
    return {"item": summary, "table": table.as_json()}
