"""The one writer every spreadsheet the platform produces goes through (.xlsx and .csv): text a
spreadsheet program would evaluate as a formula is neutralised, dates are dates, and CSV carries a
BOM so Excel reads UTF-8. A sheet laid out by hand (the pay sheet, an import template) starts from
workbook() and is written by save_workbook(), which neutralises every text cell; no other module
imports openpyxl's Workbook or the csv writer (tests/core/test_spreadsheets.py checks)."""

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Cells beginning with these are formulas (or become one) in Excel, WPS and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet would evaluate (=, +, -, @ …) gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def write_xlsx(header: list[str], rows, *, title: str, title_row: str | None = None) -> bytes:
    """One sheet named `title`: an optional title row (e.g. the county and the days), the header in
    bold, then the rows."""
    return write_xlsx_sheets([(title, header, rows)], title_row=title_row)


def write_xlsx_sheets(sheets, *, title_row: str | None = None) -> bytes:
    """Several sheets in one workbook, each given as (name, header, rows); with `title_row`, each
    sheet opens with that line above its header. Every text cell, title and header included, goes
    through neutralise()."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        if title_row is not None:
            sheet.append([styled(sheet, neutralise(title_row), Font(bold=True, size=14))])
        sheet.append([styled(sheet, neutralise(h), bold) for h in header])
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "yyyy-mm-dd"
                    cells.append(cell)
                else:
                    cells.append(neutralise(value) if isinstance(value, str) else value)
            sheet.append(cells)
    return save_workbook(workbook)


def workbook() -> Workbook:
    """A workbook to lay out by hand (merged title, borders, drop-downs); write it with save_workbook."""
    return Workbook()


def save_workbook(book: Workbook) -> bytes:
    """The .xlsx bytes of a workbook, every text cell of every sheet neutralised first: whatever a
    cell was given (a member renamed =HYPERLINK(…), a branch name in a drop-down list) is text."""
    if not book.write_only:  # a write-only workbook's rows went through neutralise() as they were added
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                        cell.value = "'" + cell.value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def styled(sheet, value, font):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell
