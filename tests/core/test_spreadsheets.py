"""core.spreadsheets: the one writer; a title row above the header, several sheets, and no cell —
title, header or data — that a spreadsheet program would evaluate."""

import io
from datetime import date

from openpyxl import load_workbook

from core.spreadsheets import write_xlsx, write_xlsx_sheets

FORMULA = "=HYPERLINK(\"http://evil\",\"x\")"


def cells(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def no_formula(book):
    return all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def test_without_a_title_row_the_header_comes_first():
    sheet = load_workbook(io.BytesIO(write_xlsx(["名称", "日期"], [["甲", date(2026, 7, 1)]], title="表"))).active
    assert cells(sheet)[0] == ["名称", "日期"]
    assert sheet["B2"].value.date() == date(2026, 7, 1) and sheet["B2"].number_format == "yyyy-mm-dd"


def test_title_row_above_the_header():
    content = write_xlsx(["名称", "数量"], [["甲", 1]], title="表", title_row="示范县 2026年1月1日 与 2026年7月1日")
    sheet = load_workbook(io.BytesIO(content)).active
    assert cells(sheet) == [["示范县 2026年1月1日 与 2026年7月1日", None], ["名称", "数量"], ["甲", 1]]
    assert sheet["A1"].font.bold


def test_every_text_cell_is_neutralised_title_and_header_included():
    content = write_xlsx_sheets(
        [("一", ["-h", "+h"], [[FORMULA, "@SUM(A1)"]]), ("二", ["名称"], [["\tcmd"]])],
        title_row="=cmd|' /C calc'!A0",
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["一", "二"]
    assert no_formula(book)
    first = cells(book["一"])
    assert first[0][0] == "'=cmd|' /C calc'!A0"
    assert first[1] == ["'-h", "'+h"]
    assert first[2] == ["'" + FORMULA, "'@SUM(A1)"]
    assert cells(book["二"])[2] == ["'\tcmd"]
