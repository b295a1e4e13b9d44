"""Small roster files built in the tests themselves, and counts of what a park holds."""

import csv
import io
import zipfile

from django_scopes import scopes_disabled
from openpyxl import Workbook

from audit.models import AuditEntry
from imports.models import ImportJob
from members.models import Member
from orgs.models import Coverage, Enterprise, Organisation
from tests.members.factories import valid_id_number

MEMBER_HEADER = ["姓名", "身份证号", "所在党支部", "党员类别", "入党日期", "转正日期"]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with_integer_cell(rows, integer: int) -> bytes:
    """An .xlsx whose cell holds `integer` exactly, as 18 digits (openpyxl alone would write a double).

    Put the integer in `rows` as a plain number; the sheet XML is then rewritten to the exact digits.
    """
    data = xlsx(rows)
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(f"<v>{float(integer)!r}</v>".encode(), f"<v>{integer}</v>".encode())
                assert f"<v>{integer}</v>".encode() in content
            zout.writestr(item, content)
    return target.getvalue()


def csv_bytes(rows, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def member_row(name, id_number, branch, stage="正式党员", joined="2010-07-01", full="2011-07-01"):
    return [name, id_number, branch, stage, joined, full]


def id_ending_in_x(birth: str = "19850312") -> str:
    return next(n for n in (valid_id_number(birth, n=i) for i in range(1000)) if n.endswith("X"))


def id_ending_in_digit(birth: str = "19850312") -> str:
    return next(n for n in (valid_id_number(birth, n=i) for i in range(1000)) if n[-1].isdigit())


def counts(park) -> dict:
    """Everything an import may write for one park."""
    with scopes_disabled():
        return {
            model.__name__: model.objects.filter(park=park).count()
            for model in (Enterprise, Organisation, Coverage, Member, AuditEntry, ImportJob)
        }
