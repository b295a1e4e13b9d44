"""党费基数 from a payroll .xlsx through the import pipeline: the form's rules (dues.services.basis_check),
a new basis only where the file differs from the one in force, unpaid lines repriced, round trips."""

from datetime import date
from decimal import Decimal as D

import pytest

from audit.models import AuditEntry
from core.spreadsheets import write_xlsx
from dues import services
from dues.models import DuesBasis, DuesLine
from imports.export import export_headers, export_rows
from imports.pipeline import apply_import, plan_import
from tests.imports.helpers import csv_bytes, xlsx
from tests.members.factories import MemberFactory, valid_id_number

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
HEADER = ["姓名", "身份证号", "交纳类别", "税后月收入（元）", "起始月份"]


@pytest.fixture
def people(world, in_park):
    zhang = MemberFactory(park=world.park, branch=world.branch, name="张三", id_number=valid_id_number("19850101"))
    li = MemberFactory(park=world.park, branch=world.branch, name="李四", id_number=valid_id_number("19550202"))
    wang = MemberFactory(park=world.park, branch=world.branch, name="王五", stage="activist", joined_on=None, full_on=None,
                         id_number=valid_id_number("19990303"))
    return zhang, li, wang


def run(world, rows, data=None, filename="工资表.xlsx"):
    result = plan_import(park=world.park, kind="dues_bases", data=data or xlsx(rows), filename=filename, today=TODAY)
    if not result.errors:
        apply_import(park=world.park, plan=result, actor=world.admin, target=world.park)
    return result


def errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def test_a_payroll_sets_each_members_basis_by_the_2008_brackets_and_reprices_unpaid_months(world, people):
    zhang, li, _ = people
    services.sheets_draft(park=world.park, month=date(2026, 11, 1))
    result = run(world, [HEADER, ["张三", zhang.id_number, "在职", "5,200.50元", "2026-11"], ["李四", li.id_number, "退休", 4000, "2026年11月"]])
    assert result.summary == "created 2, updated 0, unchanged 0, errors 0"
    bases = {b.member.name: b for b in DuesBasis.objects.filter(park=world.park).select_related("member", "recorded_by")}
    assert (bases["张三"].category, bases["张三"].base, bases["张三"].standard) == ("employed", D("5200.50"), D("78.01"))  # 1.5%, to the fen
    assert (bases["李四"].category, bases["李四"].standard, bases["李四"].effective_from) == ("retired", D("20.00"), date(2026, 11, 1))
    assert bases["张三"].recorded_by == world.admin
    assert DuesLine.objects.get(member=zhang, month=date(2026, 11, 1)).due == D("78.01")
    assert AuditEntry.objects.filter(park=world.park, action="dues.basis").count() == 2
    # Next year's payroll: only a changed pay makes a new basis; the old one stays on record.
    result = run(world, [HEADER, ["张三", zhang.id_number, "在职", "5200.5", "2027-01"], ["李四", li.id_number, "退休", "5000.01", "2027-01"]])
    assert result.summary == "created 0, updated 1, unchanged 1, errors 0"
    assert [(c.label, c.column, c.old, c.new) for c in result.changes] == [("李四", "税后月收入（元）", "4000.00", "5000.01")]
    assert list(DuesBasis.objects.filter(member=li).order_by("effective_from").values_list("standard", flat=True)) == [D("20.00"), D("50.00")]
    # Exported and imported back: nothing to do (a paid month after a basis's start is no matter then).
    line = DuesLine.objects.get(member=li, month=date(2026, 11, 1))
    services.payments_record(park=world.park, actor=world.admin, sheet=line.sheet, line_ids=[line.pk], paid_on=date(2026, 11, 10),
                             method="cash", today=TODAY)
    rows = list(export_rows(park=world.park, kind="dues_bases", show_id=True))
    data = write_xlsx(export_headers("dues_bases"), rows, title="党费基数")
    assert plan_import(park=world.park, kind="dues_bases", data=data, filename="x.xlsx", today=TODAY).summary == (
        "created 0, updated 0, unchanged 2, errors 0")


def test_every_rule_of_the_form_is_a_row_message_and_nothing_is_written(world, people):
    zhang, li, wang = people
    services.sheets_draft(park=world.park, month=date(2026, 10, 1))
    line = DuesLine.objects.get(member=zhang, month=date(2026, 10, 1))
    services.basis_record(park=world.park, actor=world.admin, member=zhang, category="employed", effective_from=date(2026, 10, 1), base=D("3000"))
    services.payments_record(park=world.park, actor=world.admin, sheet=line.sheet, line_ids=[line.pk], paid_on=date(2026, 10, 9),
                             method="cash", today=TODAY)
    rows = [
        HEADER,
        ["张三", zhang.id_number, "在职", "3500", "2026-09"],  # before a paid month
        ["李四", li.id_number, "退休", "五千", "2026-11"],
        ["王五", wang.id_number, "在职", "3000", "2026-11"],  # an activist owes no dues
        ["赵六", valid_id_number("19700707"), "在职", "3000", "2026-11"],
        ["张三", zhang.id_number, "公务员", "3000", "2026-12"],
    ]
    result = run(world, rows)
    assert errors(result) == [
        (2, "起始月份", "起始月份不能早于 2026年11月：已交纳月份的应缴金额不再改动。"),
        (3, "税后月收入（元）", "无法识别的金额“五千”：请填写数字，如 5200 或 5200.50（元）。"),
        (4, "交纳类别", "王五目前不是正式党员或预备党员，不需要交纳党费。"),
        (5, "身份证号", "本园区花名册中没有这个身份证号：请先在党员花名册中登记此人。"),
        (6, "交纳类别", "“公务员”不是可选值，可选：在职、离退休、农民、学生、下岗失业、其他（抚恤、救济、低保）。"),
    ]
    assert DuesBasis.objects.filter(park=world.park).count() == 1


@pytest.mark.parametrize("cell", ["NaN", "-5", "1e9", "3000.123", "\x00", "=1+1", "9" * 400])
def test_hostile_amounts_get_a_message(world, people, cell):
    zhang, _, _ = people
    data = csv_bytes([HEADER, ["张三", zhang.id_number, "在职", cell, "2026-11"]])
    result = run(world, None, data=data, filename="工资表.csv")
    assert [e.column for e in result.errors] == ["税后月收入（元）"]
    assert not DuesBasis.objects.filter(park=world.park).exists()
