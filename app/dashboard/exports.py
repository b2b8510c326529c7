"""Any dashboard table as a CSV (UTF-8 with BOM, for Excel) or an Excel workbook (openpyxl).

Cells go through app.csvsafe so a village name starting with "=" is text, never a formula.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.csvsafe import safe_cell
from app.dashboard.export import BOM
from app.dashboard.table import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value if isinstance(value, int | float) else safe_cell(value)


def table_csv(table: Table, *, heading: str) -> str:
    out = io.StringIO()
    out.write(BOM)
    sheet = csv.writer(out)
    sheet.writerow([table.title, heading])
    sheet.writerow([label for _, label in table.columns])
    for row in table.rows:
        sheet.writerow([_cell(row.get(key)) for key, _ in table.columns])
    return out.getvalue()


def table_xlsx(table: Table, *, heading: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]  # Excel's limit on a sheet name
    sheet.append([table.title, heading])
    sheet["A1"].font = Font(bold=True)
    sheet.append([label for _, label in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_cell(row.get(key)) for key, _ in table.columns])
    for index, (_, label) in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(label) * 2 + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
