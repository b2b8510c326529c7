"""The bureau's wage-arrears blacklist: CSV import (codes and names) and lookup."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from vetting import audit
from vetting.codes import check_credit_code
from vetting.models import BlacklistEntry

_CODE_HEADERS = ("credit_code", "统一社会信用代码", "信用代码", "code")
_NAME_HEADERS = ("name", "企业名称", "单位名称", "名称")
_REASON_HEADERS = ("reason", "原因", "列入原因", "失信行为")


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)  # "line N: why"


def _pick(row: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        if row.get(name):
            return row[name].strip()
    return ""


def read_rows(lines: Iterable[str]) -> Iterator[tuple[int, str, str, str]]:
    """(line number, code, name, reason) per CSV row; a header row names the columns."""
    reader = csv.DictReader(lines)
    for row in reader:
        row = {(k or "").strip().lstrip("\ufeff"): (v or "") for k, v in row.items()}
        yield reader.line_num, _pick(row, _CODE_HEADERS), _pick(row, _NAME_HEADERS), _pick(row, _REASON_HEADERS)


def import_file(
    *, session: Session, path: Path, now: datetime, actor: str = "cli",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Add or update every row of the CSV; bad codes are listed, not imported. Caller commits."""
    report = ImportReport()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, raw_code, name, reason in read_rows(handle):
            _import_row(session, report, line, raw_code, name, reason, now)
            if progress is not None:
                progress(1)
    audit.record(session=session, actor=actor, action="blacklist_imported", now=now,
                 detail=f"{path.name}: +{report.added} ~{report.updated} skipped {len(report.skipped)}")
    return report


def _import_row(session: Session, report: ImportReport, line: int, raw_code: str, name: str, reason: str,
                now: datetime) -> None:
    check = check_credit_code(raw_code)
    if not check.ok:
        report.skipped.append(f"line {line}: {raw_code or '(empty)'}: {check.problems[0]}")
        return
    entry = session.scalar(select(BlacklistEntry).where(BlacklistEntry.credit_code == check.code))
    if entry is None:
        session.add(BlacklistEntry(credit_code=check.code, name=name[:200], reason=reason[:300], imported_at=now))
        session.flush()
        report.added += 1
    else:
        entry.name, entry.reason, entry.imported_at = name[:200] or entry.name, reason[:300] or entry.reason, now
        report.updated += 1


def count_rows(path: Path) -> int:
    """Data rows in the file (for the progress bar's total)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))
