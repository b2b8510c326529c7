"""CSV cells that a spreadsheet cannot run (issue 11, item 14).

Excel, WPS and LibreOffice treat a cell starting with = + - @ (and, after a tab or carriage
return, the same) as a formula: a township name or a report reason like =HYPERLINK(...) would
run when the bureau opens an export. OWASP's advice is followed: such text cells get a leading
apostrophe, which spreadsheets show as plain text. Numbers stay numbers (a negative errcode is
a number, not a formula).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
