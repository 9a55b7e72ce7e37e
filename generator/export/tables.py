"""CSV as Excel and Python both read it: UTF-8 with BOM, one header row, CRLF-free."""

from __future__ import annotations

import csv
import io

from ..stats import Table

BOM = "\ufeff"
# A cell a spreadsheet would take as a formula: an entry titled =HYPERLINK("https://…"&A2,
# "Bấm vào") would run in the journalist's Excel, sending the row away. Such text cells
# get a leading apostrophe (OWASP's advice): shown as typed, never evaluated.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """`cell` for a CSV file: text a spreadsheet would evaluate gets a leading "'"."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def write_csv(columns: list[str], rows: list[list]) -> bytes:
    """UTF-8 with BOM (Excel then shows Vietnamese correctly), quoted where needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def csv_line(cells: list) -> str:
    """One row as write_csv writes it, line break included: a row kept between builds
    (export/memo.py) is joined into the file instead of formatted again."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([spreadsheet_safe(cell) for cell in cells])
    return buffer.getvalue()


def join_csv_lines(columns: list[str], lines: list[bytes]) -> bytes:
    """write_csv(columns, rows) from the rows' csv_line text in UTF-8: the same bytes."""
    return (BOM + csv_line(columns)).encode("utf-8") + b"".join(lines)


def table_csv(table: Table) -> bytes:
    """The CSV of one statistic: the same columns and rows as the table on the page."""
    return write_csv(list(table.columns), [list(row) for row in table.rows])
