"""The printable monthly report: one calendar month on A4, headline figures with their seed-system
reference values, the townships, the staff scoreboard. A steward's report covers their township.
"""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from app.dashboard.auth import Viewer
from app.dashboard.drilldown import _townships, visible
from app.dashboard.period import Period, PeriodError, make_period
from app.dashboard.report import get_metrics
from app.dashboard.scoreboard import scoreboard
from app.dashboard.service import Policies
from app.dashboard.settled import SettledFigures
from app.dashboard.table import Table
from app.dashboard.trends import UNCHARTED_REFERENCES
from relay.org_view import load_org
from relay.rules import DeadlinePolicy, local

STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #111; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 20px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; margin-bottom: 8px; }
th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; }
th { background: #eee; } .note { font-size: 12px; color: #444; }
@media print { .noprint { display: none; } body { margin: 0; } @page { size: A4; margin: 15mm; } }
"""


def _month(month: str | None, now: datetime, timezone: str) -> tuple[date, date]:
    """[first, last] of YYYY-MM (default: the last whole month); never past today."""
    today = local(now, DeadlinePolicy(timezone=timezone)).date()
    if month:
        try:
            first = date.fromisoformat(month + "-01")
        except ValueError as exc:
            raise PeriodError("月份格式应为 YYYY-MM") from exc
    else:
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if first > today:
        raise PeriodError("还没到这个月")
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, min(last, today)


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(row.get(key, '')))}</td>" for key, _ in table.columns)
                   + "</tr>" for row in table.rows) or f'<tr><td colspan="{len(table.columns)}">暂无数据</td></tr>'
    return f'<table data-table="{html.escape(table.name)}"><tr>{head}</tr>{body}</table>'


def _shown(head: dict) -> str:
    value = head["value"]
    if value is None:
        return head["note"]
    return {"rate": f"{value * 100:.1f}%", "days": f"{value:.1f} 天"}.get(head["unit"], str(value))


def monthly_report(*, session: Session, month: str | None, now: datetime, timezone: str, viewer: Viewer,
                   settled: SettledFigures | None = None) -> str:
    """The report's HTML; a month that is settled is kept (app.dashboard.settled) per viewer scope."""
    first, last = _month(month, now, timezone)
    period = make_period(first=first, last=last, timezone=timezone)
    settled = settled or SettledFigures(ttl=0)
    key = ("report", first, last, timezone, viewer.role, viewer.township_id)
    return settled.get(key, period_end=period.end, now=now,
                       compute=lambda: _render(session, period, now, timezone, viewer))


def _render(session: Session, period: Period, now: datetime, timezone: str, viewer: Viewer) -> str:
    first, last = period.first, period.last
    policies = Policies(load_org(session=session), DeadlinePolicy(timezone=timezone))
    parts = [f"<h1>就业服务矩阵月报 · {first.year}年{first.month}月</h1>",
             f'<p class="note">统计期间 {first} 至 {last}（{html.escape(timezone)}）；'
             f"查看人：{html.escape(viewer.role_label)}。</p>",
             '<p class="noprint"><button onclick="window.print()">打印</button></p>']
    if viewer.township_id is None:
        metrics = get_metrics(session=session, period=period, now=now, base=DeadlinePolicy(timezone=timezone))
        rows = [{"label": h["label"], "value": _shown(h), "baseline": h["baseline"]} for h in metrics["headline"]]
        parts += ["<h2>主要指标</h2>", _html_table(Table("headline", "主要指标",
                                                     [("label", "指标"), ("value", "本月"), ("baseline", "参照")], rows))]
    townships = _townships(session, policies.org, period, now, policies)
    townships.rows = [r for r in townships.rows if visible(policies.org, viewer, r["id"])]
    parts += ["<h2>各乡镇</h2>", _html_table(townships),
              "<h2>人员记分</h2>", _html_table(scoreboard(session=session, period=period, policies=policies,
                                                          viewer=viewer))]
    refs = "；".join(f"{label} {value}" for label, value in UNCHARTED_REFERENCES)
    parts.append(f'<p class="note">参照值为种子系统推行前后的数字：村级岗位信息覆盖率 42% → 84.6%，招聘周期 23.5 → 9.2 天，'
                 f"每月发布招聘的企业 40 → 120 家；{refs}（本系统尚未记录）。</p>")
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>月报 {first.year}年{first.month}月</title><style>{STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>")
