"""Reading a roster file: .xlsx or .csv, title rows above the header, notes and blanks below.

Rows keep the number the spreadsheet shows, so every error can point at the cell.
"""

import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from imports.columns import Column, header_index, normalise_header

HEADER_SEARCH_ROWS = 15
NOTE_PREFIXES = ("注", "说明", "备注", "填表", "制表", "审核", "填报", "合计", "总计", "以上", "附")


class UnusableFile(Exception):
    """The file cannot be read as a roster at all (wrong type, damaged, no header)."""


@dataclass
class Table:
    header_row: int
    columns: dict[int, Column]  # cell position → the column it holds
    headers: dict[str, str]  # field → the header text as the file writes it
    missing: list[Column]  # required columns the header lacks
    rows: Iterator[tuple[int, tuple]]  # (spreadsheet row number, cells), read as they are consumed


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 (Excel on a Chinese Windows), without asking."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnusableFile(_("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx 文件。")) from None


def _csv_rows(data: bytes):
    content = _decode(data)
    sample = content[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    for number, cells in enumerate(csv.reader(io.StringIO(content, newline=""), dialect), start=1):
        yield number, tuple(cells)


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnusableFile(_("无法打开 Excel 文件（%(error)s）：请确认是 .xlsx 格式。") % {"error": type(exc).__name__}) from None
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, cells
    finally:
        workbook.close()


def iter_file_rows(data: bytes, filename: str):
    name = filename.lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data)
    if name.endswith((".csv", ".txt")):
        return _csv_rows(data)
    if name.endswith(".xls"):
        raise UnusableFile(_("不支持旧版 .xls 文件：请在 Excel 中另存为 .xlsx 或 CSV 后再导入。"))
    raise UnusableFile(_("只能导入 .xlsx 或 .csv 文件。"))


def _is_blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _is_note(cells) -> bool:
    filled = [c for c in cells if c is not None and not (isinstance(c, str) and not c.strip())]
    return bool(filled) and isinstance(filled[0], str) and filled[0].strip().startswith(NOTE_PREFIXES)


def read_table(data: bytes, filename: str, kind: str) -> Table:
    if not data:
        raise UnusableFile(_("文件是空的。"))
    known = header_index(kind)
    rows = iter_file_rows(data, filename)
    # The header is the row, among the first ones, that names the most known columns: a title or a
    # "填报单位：… 联系电话：…" line above it may name one or two of them too.
    head = []
    for number, cells in rows:
        head.append((number, cells))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    header_at, columns = None, {}
    for index, (number, cells) in enumerate(head):
        matched = {}
        for position, cell in enumerate(cells):
            column = known.get(normalise_header(cell)) if cell is not None else None
            if column is not None and column not in matched.values():
                matched[position] = column
        if len(matched) >= 2 and len(matched) > len(columns):
            header_at, columns = index, matched
    if header_at is None:
        expected = "、".join(c.header for c in known.values() if c.required)
        raise UnusableFile(_("找不到表头：前%(n)s行中没有包含“%(expected)s”等列名的行。") % {"n": HEADER_SEARCH_ROWS, "expected": expected})
    header_row, header_cells = head[header_at]
    present = set(columns.values())
    missing = [c for c in dict.fromkeys(known.values()) if c.required and c not in present]
    body = (
        (number, cells)
        for number, cells in itertools.chain(head[header_at + 1 :], rows)
        if not (_is_blank(cells) or _is_note(cells))
    )
    headers = {column.field: str(header_cells[position]).strip() for position, column in columns.items()}
    return Table(header_row=header_row, columns=columns, headers=headers, missing=missing, rows=body)
