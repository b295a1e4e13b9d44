"""Reading a roster file: .xlsx or .csv, title rows above the header, notes and blanks below.

Rows keep the number the spreadsheet shows, so every error can point at the cell.
"""

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from imports.columns import (
    COLUMNS,
    FILE_LABELS,
    KIND_LABELS,
    Column,
    header_index,
    normalise_header,
)

HEADER_SEARCH_ROWS = 15
MB = 1024 * 1024
# Bounds on what a file may make the importer do, checked before parsing where the package says it,
# and while reading where only reading can tell. A roster of the largest park is far inside them.
ROW_LIMIT = 20_000  # the default; a park's own is orgs.Park.import_row_limit
ROW_MARGIN = 1_000  # title rows, notes and blank rows around the roster
MAX_COLUMNS = 100
MAX_ZIP_ENTRIES = 1_000
MAX_UNCOMPRESSED = 400 * MB  # the whole package, unpacked
MAX_SHARED_STRINGS = 64 * MB  # openpyxl holds them all in memory
MAX_RATIO = 150  # a part larger than RATIO_FLOOR unpacked may be at most this much smaller packed
RATIO_FLOOR = 4 * MB
MAX_UNDECLARED = 32 * MB  # sheets without a <dimension> (Excel and WPS always write one)
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
    ignored: list[str] = field(default_factory=list)  # the header's other cells: columns the import does not use


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
    reader = csv.reader(io.StringIO(content, newline=""), dialect)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a cell past the field limit, a stray quote at the end …
            raise UnusableFile(_("CSV 文件第%(row)s行无法读取（%(error)s）：单元格最多 %(limit)s 个字符，请检查引号是否成对。")
                               % {"row": number + 1, "error": exc, "limit": csv.field_size_limit()}) from None
        number += 1
        yield number, tuple(cells[:MAX_COLUMNS])


def inspect_xlsx(data: bytes, *, row_limit: int) -> None:
    """Refuse a package that would make parsing slow or large, by what it says of itself: its parts'
    sizes packed and unpacked, its shared strings, and the range its sheets declare."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnusableFile(_("无法打开 Excel 文件：请确认是 .xlsx 格式。")) from None
    parts = package.infolist()
    if len(parts) > MAX_ZIP_ENTRIES:
        raise UnusableFile(_("Excel 文件结构异常（包含 %(n)s 个部件）：请另存为新的 .xlsx 后再导入。") % {"n": len(parts)})
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNCOMPRESSED:
        raise UnusableFile(_("Excel 文件解压后达 %(mb)s MB，超过 %(limit)s MB 的上限：请只保留需要导入的工作表。")
                           % {"mb": unpacked // MB, "limit": MAX_UNCOMPRESSED // MB})
    for part in parts:
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise UnusableFile(_("Excel 文件压缩比异常（%(part)s）：请另存为新的 .xlsx 后再导入。") % {"part": part.filename})
        if part.filename.lower().endswith("sharedstrings.xml") and part.file_size > MAX_SHARED_STRINGS:
            raise UnusableFile(_("Excel 文件的文字部分达 %(mb)s MB，超过 %(limit)s MB 的上限。")
                               % {"mb": part.file_size // MB, "limit": MAX_SHARED_STRINGS // MB})
    undeclared = 0
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            with package.open(part) as stream:
                head = stream.read(4096).decode("utf-8", "replace")
            if m := _DIMENSION.search(head):
                _check_range(m["ref"], int(m["last_row"] or m["first_row"]),
                             column_index_from_string(m["last_col"] or m["first_col"]), row_limit)
            else:  # openpyxl reads such a sheet to its end looking for the range, on opening
                undeclared += part.file_size
    if undeclared > MAX_UNDECLARED:
        raise UnusableFile(_("工作表未声明数据范围，且解压后达 %(mb)s MB：请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。")
                           % {"mb": undeclared // MB})


_DIMENSION = re.compile(
    r'<(?:\w+:)?dimension\s+ref="(?P<ref>\$?(?P<first_col>[A-Z]{1,3})\$?(?P<first_row>\d{1,7})'
    r'(?::\$?(?P<last_col>[A-Z]{1,3})\$?(?P<last_row>\d{1,7}))?)"'
)


def _check_range(ref: str, rows: int, columns: int, row_limit: int) -> None:
    if rows > row_limit + ROW_MARGIN or columns > MAX_COLUMNS:
        raise UnusableFile(_("工作表声明的范围 %(ref)s 超过导入上限（%(rows)s 行、%(columns)s 列）：请只保留花名册所在区域，另存后再导入。")
                           % {"ref": ref, "rows": row_limit, "columns": MAX_COLUMNS})


def _xlsx_rows(data: bytes, row_limit: int):
    inspect_xlsx(data, row_limit=row_limit)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, SyntaxError) as exc:
        raise UnusableFile(_("无法打开 Excel 文件（%(error)s）：请确认是 .xlsx 格式。") % {"error": type(exc).__name__}) from None
    try:
        sheet = workbook.worksheets[0]
        # A declared range is a claim, not a fact: read what the sheet holds, at most MAX_COLUMNS wide.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            yield number, cells
    finally:
        workbook.close()


def iter_file_rows(data: bytes, filename: str, *, row_limit: int = ROW_LIMIT):
    name = filename.lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data, row_limit)
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


MSG_TOO_MANY_ROWS = "文件超过本园区每次导入 %(limit)s 行的上限：请分成几个文件导入，或请平台管理员调整上限。"


def _bounded(rows, row_limit: int):
    """The roster's rows, blank and note rows left out; stops the file at the row limit."""
    kept = 0
    for number, cells in rows:
        if number > row_limit + ROW_MARGIN:  # rows of nothing count too: they cost reading
            raise UnusableFile(_(MSG_TOO_MANY_ROWS) % {"limit": row_limit})
        if _is_blank(cells) or _is_note(cells):
            continue
        kept += 1
        if kept > row_limit:
            raise UnusableFile(_(MSG_TOO_MANY_ROWS) % {"limit": row_limit})
        yield number, cells


def _match(cells, known: dict[str, Column]) -> dict[int, Column]:
    """cell position → the column it names, for the columns of one kind (the first cell of each)."""
    matched: dict[int, Column] = {}
    for position, cell in enumerate(cells):
        column = known.get(normalise_header(cell)) if cell is not None else None
        if column is not None and column not in matched.values():
            matched[position] = column
    return matched


def _best_row(head, kind: str) -> tuple[int | None, dict[int, Column]]:
    """The row among the first ones that names the most of a kind's columns: a title or a
    "填报单位：… 联系电话：…" line above the header may name one or two of them too."""
    known = header_index(kind)
    best_at, best = None, {}
    for index, (_number, cells) in enumerate(head):
        matched = _match(cells, known)
        if len(matched) > len(best):
            best_at, best = index, matched
    return best_at, best


def _required(kind: str) -> list[Column]:
    return [c for c in COLUMNS[kind] if c.required]


def _complete(kind: str, matched: dict[int, Column]) -> bool:
    return len(matched) >= 2 and all(c in matched.values() for c in _required(kind))


def looks_like(head, kind: str) -> str | None:
    """The other roster kind a file plainly is, judged by its header, or None.

    Another kind wins when the file has all of its required columns, names more of its columns than
    of the chosen kind's, and either the chosen kind lacks a required column or reads nothing that
    the other does not (a 党员花名册 chosen as 发展党员台账 would read only 姓名 and 身份证号)."""
    mine_at, mine = _best_row(head, kind)
    mine_cells = {(mine_at, p) for p in mine}
    mine_complete = _complete(kind, mine)
    found, found_size = None, 0
    for other in COLUMNS:
        if other == kind:
            continue
        at, matched = _best_row(head, other)
        if not _complete(other, matched):
            continue
        cells = {(at, p) for p in matched}
        if len(cells) <= len(mine_cells) or (mine_complete and not mine_cells <= cells):
            continue
        if len(cells) > found_size:
            found, found_size = other, len(cells)
    return found


def quoted(names) -> str:
    """“甲”、“乙”和“丙”: names once each, in order, as a sentence lists them."""
    names = [f"“{n}”" for n in dict.fromkeys(names)]
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


MSG_WRONG_KIND = "这个文件像是%(found)s，不是%(chosen)s：请把“台账类型”改选为“%(option)s”后重新上传。"
MSG_NO_HEADER = "找不到%(chosen)s的表头：文件前%(n)s行中没有%(columns)s列。请检查所选的台账类型，或对照导入模板修改表头。"
MSG_TOO_FEW_COLUMNS = "找不到%(chosen)s的表头：文件前%(n)s行中没有一行列出两个以上可识别的列名（如%(columns)s）。请对照导入模板修改表头。"


def read_table(data: bytes, filename: str, kind: str, *, row_limit: int = ROW_LIMIT) -> Table:
    """The file's header and a stream of its rows; raises UnusableFile — here, or while the rows are
    read — when it is not a roster of this kind or passes a bound."""
    if not data:
        raise UnusableFile(_("文件是空的。"))
    rows = iter_file_rows(data, filename, row_limit=row_limit)
    head = []
    for number, cells in rows:
        head.append((number, cells))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if (other := looks_like(head, kind)) is not None:
        raise UnusableFile(_(MSG_WRONG_KIND) % {"found": FILE_LABELS[other], "chosen": FILE_LABELS[kind], "option": KIND_LABELS[other]})
    header_at, columns = _best_row(head, kind)
    if len(columns) < 2:
        if missing := [c.header for c in _required(kind) if c not in columns.values()]:
            raise UnusableFile(_(MSG_NO_HEADER) % {"chosen": FILE_LABELS[kind], "n": HEADER_SEARCH_ROWS, "columns": quoted(missing)})
        examples = quoted(c.header for c in COLUMNS[kind][:3])
        raise UnusableFile(_(MSG_TOO_FEW_COLUMNS) % {"chosen": FILE_LABELS[kind], "n": HEADER_SEARCH_ROWS, "columns": examples})
    header_row, header_cells = head[header_at]
    present = set(columns.values())
    missing = [c for c in _required(kind) if c not in present]
    body = _bounded(itertools.chain(head[header_at + 1 :], rows), row_limit)
    headers = {column.field: str(header_cells[position]).strip() for position, column in columns.items()}
    ignored = [text for position, cell in enumerate(header_cells)
               if position not in columns and (text := str(cell).strip() if cell is not None else "")]
    return Table(header_row=header_row, columns=columns, headers=headers, missing=missing, rows=body,
                 ignored=list(dict.fromkeys(ignored)))
