"""Hostile spreadsheets: each bomb the security review built is refused with a Chinese message, in
seconds and bounded memory, and nothing is written (imports.reader's bounds)."""

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportJob
from imports.pipeline import MAX_ERRORS_KEPT, plan_import
from imports.reader import UnusableFile
from members.models import Member
from tests.imports.helpers import MEMBER_HEADER, csv_bytes, xlsx

pytestmark = pytest.mark.django_db

SECONDS = 10  # each bomb is refused well within this (the review saw 7.5 minutes and 2.5 GB)
PEAK_BYTES = 200 * 1024 * 1024


def repack(data: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    """The .xlsx `data` with some parts replaced and some added, as a hostile tool would write it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            target.writestr(part.filename, replace.get(part.filename, source.read(part.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def roster() -> bytes:
    return xlsx([MEMBER_HEADER, ["张三", "11010519491231002X", "第一党支部", "正式党员", "2000-07-01", "2001-07-01"]])


def sheet_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def refused(park, data, filename="花名册.xlsx") -> str:
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(UnusableFile) as caught:
            plan = plan_import(park=park, kind="members", data=data, filename=filename)
            list(plan.creates)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < SECONDS
    assert peak < PEAK_BYTES
    assert not Member.objects.filter(park=park).exists()
    return str(caught.value)


def test_a_sheet_declaring_the_whole_grid_is_refused_before_parsing(in_park):
    data = roster()
    xml = re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"', sheet_xml(data))
    message = refused(in_park, repack(data, {"xl/worksheets/sheet1.xml": xml.encode()}))
    assert message == "工作表声明的范围 A1:XFD1048576 超过导入上限（20000 行、100 列）：请只保留花名册所在区域，另存后再导入。"


def empty_rows(first: int, last: int) -> str:
    return "".join(f'<row r="{n}"/>' for n in range(first, last + 1))


def test_a_million_rows_of_nothing_under_a_lying_range_stop_at_the_row_limit(in_park):
    data = roster()
    xml = sheet_xml(data).replace("</sheetData>", empty_rows(3, 1_000_000) + "</sheetData>")  # still declares A1:F2
    bomb = repack(data, {"xl/worksheets/sheet1.xml": xml.encode()})
    assert len(bomb) > 1_000_000
    assert refused(in_park, bomb) == "文件超过本园区每次导入 20000 行的上限：请分成几个文件导入，或请平台管理员调整上限。"


def test_a_large_sheet_declaring_no_range_is_refused_before_opening(in_park):
    data = roster()
    xml = re.sub(r"<dimension [^>]+/>", "", sheet_xml(data)).replace("</sheetData>", empty_rows(3, 2_000_000) + "</sheetData>")
    message = refused(in_park, repack(data, {"xl/worksheets/sheet1.xml": xml.encode()}))
    assert message.startswith("工作表未声明数据范围，且解压后达 ")


def test_one_far_row_does_not_make_a_million_empty_ones(in_park):
    data = roster()
    xml = re.sub(r"<dimension [^>]+/>", "", sheet_xml(data))
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    bomb = repack(data, {"xl/worksheets/sheet1.xml": xml.replace("</sheetData>", far + "</sheetData>").encode()})
    assert "行的上限" in refused(in_park, bomb)


def test_a_shared_strings_bomb_is_refused_by_its_compression_ratio(in_park):
    huge = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>' + b"A" * (80 * 1024 * 1024) + b"</t></si></sst>"
    data = repack(roster(), {}, add={"xl/sharedStrings.xml": huge})  # the inspection goes by the part, referenced or not
    assert len(data) < 1_000_000
    assert refused(in_park, data) == "Excel 文件压缩比异常（xl/sharedStrings.xml）：请另存为新的 .xlsx 后再导入。"


def test_a_package_of_a_thousand_parts_is_refused(in_park):
    data = repack(roster(), {}, add={f"xl/media/x{n}.bin": b"" for n in range(1001)})
    assert refused(in_park, data).startswith("Excel 文件结构异常")


def test_a_csv_cell_beyond_the_field_limit_is_a_message(in_park):
    data = csv_bytes([MEMBER_HEADER, ["张三", "11010519491231002X", "x" * 200_000, "", "", ""]])
    assert refused(in_park, data, "花名册.csv").startswith("CSV 文件第2行无法读取")


def test_a_file_of_bad_rows_keeps_the_first_errors_and_counts_them_all(in_park):
    rows = [MEMBER_HEADER] + [[f"人{n}", "123", "没有这个支部", "", "", ""] for n in range(1200)]
    plan = plan_import(park=in_park, kind="members", data=csv_bytes(rows), filename="花名册.csv")
    assert len(plan.errors) == MAX_ERRORS_KEPT
    assert plan.error_count > 1200  # two errors a row: the ID number and the branch
    assert plan.summary.endswith(f"errors {plan.error_count}")


def test_the_row_limit_is_the_parks(in_park):
    in_park.import_row_limit = 100
    in_park.save()
    rows = [MEMBER_HEADER] + [[f"人{n}", "123", "没有这个支部", "", "", ""] for n in range(101)]
    assert refused(in_park, csv_bytes(rows), "花名册.csv") == "文件超过本园区每次导入 100 行的上限：请分成几个文件导入，或请平台管理员调整上限。"


def test_an_upload_over_the_limit_is_refused_without_being_kept_whole(client, world, in_park):
    client.force_login(world.admin)
    big = SimpleUploadedFile("花名册.csv", b"a" * (21 * 1024 * 1024), content_type="text/csv")
    response = client.post(reverse("imports:home", args=[world.park.code]), {"kind": "members", "file": big})
    assert response.status_code == 200
    assert "文件超过20MB，请拆分后再导入。" in response.content.decode()
    assert not ImportJob.objects.filter(park=world.park).exists()
