"""The import preview: each new or changed row's values as they will be saved (ID numbers masked),
changed cells marked old → new, unchanged rows counted, ignored columns named."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from core.validators import mask_id_number, mask_ids_in_text
from imports import pipeline, services
from imports.models import ImportJob
from imports.pipeline import plan_import
from tests.imports.helpers import csv_bytes, id_ending_in_x, xlsx
from tests.members.factories import MemberFactory, valid_id_number
from tests.orgs.factories import valid_credit_code

pytestmark = pytest.mark.django_db

HEADER = ["序号", "姓名", "性别", "身份证号", "学历", "所在党支部", "党员类别", "入党日期", "转正日期", "联系电话", "备注"]


def url(world, name, *args):
    return reverse(f"imports:{name}", args=[world.park.code, *args])


def upload(client, world, data, kind="members", name="花名册.csv"):
    client.force_login(world.admin)
    return client.post(url(world, "home"), {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")})


def preview(client, world, data, **kw):
    response = upload(client, world, data, **kw)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    with scopes_disabled():
        job = ImportJob.objects.latest("pk")
    page = client.get(url(world, "job", job.pk))
    return job, page


def male_id(birth="19850312"):
    return next(n for n in (valid_id_number(birth, n=i) for i in range(1000)) if int(n[16]) % 2)


def preview_rows(html: str) -> list[str]:
    """The preview table's body rows, one string each."""
    table = html[html.index('class="import-preview"'):]
    return re.findall(r"<tr class=\"(?:new|changed)\">(.*?)</tr>", table[: table.index("</table>")], re.S)


# --- Values as they will be saved ----------------------------------------------------------------
def test_new_rows_show_their_values_formatted_and_the_id_number_masked(client, world):
    number = id_ending_in_x("19850312")
    data = csv_bytes([HEADER, [1, "王建国", "男", number.lower(), "本科", world.branch.name, "正式党员", "2015年7月1日", "2016/7/1", "13912345678", "老党员"]])
    job, response = preview(client, world, data)
    html = response.content.decode()
    assert response["Cache-Control"] == "no-store"  # names, phones: kept in no cache
    [row] = preview_rows(html)
    cells = re.findall(r"<td>(.*?)</td>", row)
    # 行, then the columns used in the file's order: dates as dates, choices by label, the branch by name.
    assert cells[0] == "2" and "新增" in cells[1]
    assert cells[2:] == ["王建国", "男", mask_id_number(number), "大学本科", world.branch.name, "正式党员", "2015-07-01", "2016-07-01", "13912345678"]
    for shown in (number, number.lower(), number[:14], number[6:14]):
        assert shown not in html  # never the whole number, nor its birth date and order
        assert shown not in str(job.summary)
    assert (job.summary["created"], job.summary["columns"]) == (1, ["姓名", "性别", "身份证号", "学历", "所在党支部", "党员类别", "入党日期", "转正日期", "联系电话"])


def test_changed_rows_mark_the_changed_cells_and_unchanged_rows_are_only_counted(client, world):
    changed = MemberFactory(park=world.park, branch=world.branch, name="李四", id_number=male_id("19800101"), phone="13800000001",
                            gender="M", stage="full", joined_on=date(2010, 7, 1), full_on=date(2011, 7, 1), education="bachelor")
    same = MemberFactory(park=world.park, branch=world.branch, name="赵六", id_number=male_id("19810101"), phone="13800000002",
                         gender="M", stage="full", joined_on=date(2010, 7, 1), full_on=date(2011, 7, 1), education="bachelor")
    rows = [HEADER]
    for n, (member, phone, education) in enumerate([(changed, "13900000009", "研究生"), (same, same.phone, "本科")], start=1):
        rows.append([n, member.name, "男", member.id_number, education, world.branch.name, "正式党员", "2010-07-01", "2011-07-01", phone, ""])
    job, response = preview(client, world, csv_bytes(rows))
    html = response.content.decode()
    assert (job.summary["created"], job.summary["updated"], job.summary["unchanged"]) == (0, 1, 1)
    [row] = preview_rows(html)
    assert "李四" in row and "更新" in row
    assert '<td class="changed" title="原值 → 新值"><del>13800000001</del> → <ins>13900000009</ins></td>' in row
    assert '<td class="changed" title="原值 → 新值"><del>大学本科</del> → <ins>研究生</ins></td>' in row
    assert row.count('class="changed"') == 2  # the cells that stay are shown plain
    assert f"<td>{mask_id_number(changed.id_number)}</td>" in row
    assert "赵六" not in html and "未变的 1 行不列出" in html


def test_the_plan_keeps_each_rows_cells_with_the_old_value_where_it_changes(in_park, world):
    member = MemberFactory(park=world.park, branch=world.branch, name="李四", id_number=male_id(), phone="13800000001")
    data = xlsx([["姓名", "身份证号", "所在党支部", "联系电话"], ["李四", member.id_number, world.branch.name, "13900000009"]])
    plan = plan_import(park=world.park, kind="members", data=data, filename="x.xlsx")
    [row] = plan.shown
    assert (row.row, row.status, row.label) == (2, "changed", "李四")
    assert row.cells == [("李四", None), (mask_id_number(member.id_number), None), (world.branch.name, None), ("13900000009", "13800000001")]


def test_an_id_number_in_any_column_is_masked_in_values_and_errors(in_park, world):
    number, stray = male_id(), valid_id_number("19900101")
    data = xlsx([["姓名", "身份证号", "所在党支部", "工作单位"], ["王五", number, world.branch.name, stray]])
    plan = plan_import(park=world.park, kind="members", data=data, filename="x.xlsx")
    error = next(e for e in plan.errors if e.column == "工作单位")
    assert stray not in str(plan.errors)
    assert stray not in error.value and stray not in error.message
    assert mask_id_number(stray) in error.value
    assert mask_ids_in_text(f"号码{stray}。") == f"号码{mask_id_number(stray)}。"
    assert mask_ids_in_text("13912345678") == "13912345678"


def test_the_development_ledger_preview_shows_step_dates(in_park, world):
    member = MemberFactory(park=world.park, branch=world.branch, name="周敏", stage="applicant", joined_on=None, full_on=None,
                           id_number=valid_id_number("19980506"))
    data = xlsx([["姓名", "身份证号", "递交入党申请书"], ["周敏", member.id_number, "2024年3月1日"]])
    plan = plan_import(park=world.park, kind="development", data=data, filename="x.xlsx", today=date(2026, 11, 20))
    assert plan.errors == []
    [row] = plan.shown
    assert row.cells == [("周敏", None), (mask_id_number(member.id_number), None), ("2024-03-01", "")]


def test_a_large_file_is_paged_and_bounded(client, world, monkeypatch):
    rows = [["企业名称", "统一社会信用代码", "职工人数"]] + [[f"企业{n:03d}", valid_credit_code(), n] for n in range(60)]
    job, response = preview(client, world, csv_bytes(rows), kind="enterprises", name="企业.csv")
    assert len(preview_rows(response.content.decode())) == 50
    assert "第 1 / 2 页" in response.content.decode()
    second = client.get(url(world, "job", job.pk), {"page": 2}).content.decode()
    assert len(preview_rows(second)) == 10 and "企业059" in second
    assert "Cache-Control" not in response or "no-store" not in response["Cache-Control"]  # no personal data in these columns

    monkeypatch.setattr(pipeline, "MAX_ROWS_SHOWN", 5)
    monkeypatch.setattr(services, "PREVIEW_LIMIT", 5)
    rows = [["企业名称", "统一社会信用代码"]] + [[f"公司{n:03d}", valid_credit_code()] for n in range(8)]
    job, response = preview(client, world, csv_bytes(rows), kind="enterprises", name="企业.csv")
    assert job.summary["created"] == 8 and len(job.summary["rows_shown"]) == 5
    assert "仅列出前 5 行" in response.content.decode()


def test_a_file_with_errors_lists_no_values(in_park, world):
    header = ["姓名", "身份证号", "所在党支部", "入党日期", "转正日期"]
    data = xlsx([header, ["张三", male_id(), world.branch.name, "2010-07-01", "2011-07-01"],
                 ["李四", male_id(), "不存在的支部", "2010-07-01", "2011-07-01"]])
    plan = plan_import(park=world.park, kind="members", data=data, filename="x.xlsx")
    assert [e.row for e in plan.errors] == [3] and plan.shown == []


# --- Ignored columns -----------------------------------------------------------------------------
def test_ignored_columns_are_listed(client, world):
    data = csv_bytes([HEADER + ["身份证号", "籍贯"], [1, "王建国", "男", male_id(), "本科", world.branch.name, "正式党员", "2015-07-01", "2016-07-01", "", "", "", "山东"]])
    job, response = preview(client, world, data)
    assert job.summary["ignored"] == ["序号", "备注", "身份证号", "籍贯"]  # a second 身份证号 column is not read either
    assert '<span class="ignored-columns">序号、备注、身份证号、籍贯</span>' in response.content.decode()


def test_no_ignored_columns_no_line(client, world):
    data = csv_bytes([["姓名", "身份证号", "所在党支部"], ["王建国", male_id(), world.branch.name]])
    job, response = preview(client, world, data)
    assert job.summary["ignored"] == [] and "未使用的列" not in response.content.decode()
