"""党费 records: the monthly sheet, bases, payments and their reversal, arrears, figures, pages."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from audit.models import AuditEntry
from core.periods import add_months
from cycle.jobs import run_jobs
from cycle.models import Notification
from dues import selectors, services
from dues.models import DuesLine, DuesPayment, DuesSheet
from members.models import Member
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)


def basis(world, member, base="4000", since=date(2020, 1, 1), **kw):
    kw.setdefault("category", "employed")
    return services.basis_record(park=world.park, actor=world.secretary, member=member, effective_from=since,
                                 base=D(base) if base is not None else None, **kw)


def line(member, month=MARCH):
    return DuesLine.objects.get(member=member, month=month)


def pay(world, members, month=MARCH, paid_on=None, method="wechat"):
    lines = [line(m, month) for m in members]
    return services.payments_record(park=world.park, actor=world.secretary, sheet=lines[0].sheet, line_ids=[x.pk for x in lines],
                                    paid_on=paid_on or month.replace(day=10), method=method, today=date(2026, 11, 21))


@pytest.fixture
def branch_members(world, in_park):
    full = MemberFactory(park=world.park, branch=world.branch, name="张三")
    probationary = MemberFactory(park=world.park, branch=world.branch, name="李四", stage="probationary",
                                 joined_on=date(2026, 3, 20), full_on=None)
    MemberFactory(park=world.park, branch=world.branch, name="王五", stage="activist", joined_on=None, full_on=None)
    MemberFactory(park=world.park, branch=world.branch, name="赵六", status="transferred_out")
    return full, probationary


def test_the_monthly_job_drafts_one_sheet_per_branch_once_with_a_line_per_member_who_owes(world, branch_members):
    full, probationary = branch_members
    basis(world, full, "4000")
    assert run_jobs(world.park, date(2026, 2, 1), ["dues_sheets"]) == {"dues_sheets": 1}  # 李四 is admitted in March
    assert run_jobs(world.park, MARCH, ["dues_sheets"]) == {"dues_sheets": 2}
    assert run_jobs(world.park, date(2026, 3, 2), ["dues_sheets"]) == {"dues_sheets": 0}  # run again: nothing new
    sheet = DuesSheet.objects.get(month=MARCH)
    lines = {x.member.name: x for x in sheet.lines.select_related("member")}
    assert set(lines) == {"张三", "李四"}  # not the activist, not the member transferred out
    assert (lines["张三"].due, lines["张三"].category) == (D("40.00"), "employed")
    assert lines["李四"].due is None  # no basis yet: 基数待核定


def test_a_basis_prices_the_unpaid_months_from_its_start_and_leaves_paid_ones_alone(world, branch_members):
    full, probationary = branch_members
    for month in (MARCH, date(2026, 4, 1), date(2026, 5, 1)):
        services.sheets_draft(park=world.park, month=month)
    basis(world, probationary, "3000", since=MARCH)
    assert [line(probationary, m).due for m in (MARCH, date(2026, 4, 1))] == [D("15.00"), D("15.00")]
    basis(world, full, "4000", since=MARCH)
    pay(world, [full])
    # A raise from April, with a voluntary amount: April and May change, March (paid) does not.
    basis(world, full, "12000", since=date(2026, 4, 1), voluntary=D("300"))
    assert line(full).due == D("40.00")
    april = line(full, date(2026, 4, 1))
    assert (april.due, april.voluntary) == (D("300.00"), True)
    with pytest.raises(ValidationError) as refused:
        basis(world, full, "5000", since=MARCH)
    assert refused.value.message_dict == {"effective_from": ["起始月份不能早于 2026年4月：已交纳月份的应缴金额不再改动。"]}
    with pytest.raises(ValidationError) as refused:
        basis(world, full, "12000", since=date(2026, 6, 1), voluntary=D("100"))
    assert refused.value.message_dict == {"voluntary": ["自愿多交的金额不能少于按标准应交的 240.00 元。"]}
    with pytest.raises(ValidationError) as refused:
        basis(world, full, None, since=date(2026, 6, 1))
    assert refused.value.message_dict == {"base": ["“在职”党员按税后月收入计算党费，请填写月收入。"]}
    with pytest.raises(ValidationError) as refused:
        basis(world, full, "5000", since=date(9999, 12, 1))
    assert refused.value.message_dict == {"effective_from": ["起始月份应在 2000 年到明年之间。"]}
    assert AuditEntry.objects.filter(park=world.park, action="dues.basis").count() == 3


def test_payments_settle_lines_are_refused_when_they_cannot_be_and_a_reversal_is_a_new_record(world, branch_members):
    full, probationary = branch_members
    services.sheets_draft(park=world.park, month=MARCH)
    basis(world, full, "4000")
    with pytest.raises(ValidationError) as refused:
        pay(world, [full, probationary])
    assert refused.value.messages == ["李四尚未核定党费基数，请先核定再登记交纳。"]
    assert not DuesPayment.objects.exists()  # all or nothing
    [payment] = pay(world, [full], method="cash")
    assert (payment.amount, line(full).paid, line(full).outstanding) == (D("40.00"), D("40.00"), D("0.00"))
    with pytest.raises(ValidationError) as refused:
        pay(world, [full])
    assert refused.value.messages == ["张三 2026年3月 的党费已交清。"]

    reversal = services.payment_reverse(park=world.park, actor=world.admin, payment=payment, reason="重复登记", today=date(2026, 3, 12))
    assert (reversal.amount, reversal.reverses, line(full).paid) == (D("-40.00"), payment, D("0.00"))
    assert DuesPayment.objects.filter(line=line(full)).count() == 2  # the wrong payment stays, reversed
    for again in (payment, reversal):
        with pytest.raises(ValidationError):
            services.payment_reverse(park=world.park, actor=world.admin, payment=again, reason="再撤", today=date(2026, 3, 12))
    assert sorted(AuditEntry.objects.filter(park=world.park, action__in=["dues.pay", "dues.reverse"]).values_list("action", flat=True)) \
        == ["dues.pay", "dues.reverse"]


def test_back_payment_reaches_six_months_and_no_further(world, branch_members):
    full, _ = branch_members
    basis(world, full, "4000")
    services.sheets_draft(park=world.park, month=MARCH)
    with pytest.raises(ValidationError) as refused:
        pay(world, [full], paid_on=date(2026, 10, 1))
    assert refused.value.messages == ["张三 2026年3月 的党费已超过补交期限（补交一般不超过6个月），不能再登记。"]
    pay(world, [full], paid_on=date(2026, 9, 30))
    assert line(full).paid == D("40.00")


def test_six_months_in_a_row_unpaid_are_flagged_and_the_secretary_is_told_once(world, branch_members):
    full, probationary = branch_members
    basis(world, full, "4000")
    basis(world, probationary, "2000", since=MARCH)
    months = [add_months(MARCH, n) for n in range(6)]  # March … August
    for month in months:
        services.sheets_draft(park=world.park, month=month)
    pay(world, [probationary], month=months[0])
    found = selectors.arrears(park=world.park, member_ids=[full.pk, probationary.pk], until=months[-1])
    assert found == {full.pk: selectors.Arrears(6, 6), probationary.pk: selectors.Arrears(5, 5)}
    assert selectors.flagged(found) == {full.pk}
    assert selectors.arrears(park=world.park, member_ids=[full.pk], until=months[4]) == {full.pk: selectors.Arrears(5, 5)}
    assert run_jobs(world.park, months[-1], ["dues_arrears"]) == {"dues_arrears": 1}
    assert run_jobs(world.park, months[-1].replace(day=20), ["dues_arrears"]) == {"dues_arrears": 0}
    note = Notification.objects.get(user=world.secretary, key__startswith="dues-arrears:")
    assert "张三1人已连续6个月" in note.message and "李四" not in note.message
    # Paying the latest month ends the run; the months before are still owed.
    pay(world, [full], month=months[-1])
    assert selectors.arrears(park=world.park, member_ids=[full.pk], until=months[-1]) == {full.pk: selectors.Arrears(5, 0)}


def test_collection_figures_by_branch_and_by_month(world, branch_members):
    full, probationary = branch_members
    other_branch = OrganisationFactory(park=world.park, name="第二党支部", parent=world.work_committee)
    third = MemberFactory(park=world.park, branch=other_branch, name="孙七")
    basis(world, full, "4000")  # 40.00
    basis(world, probationary, "3000", since=MARCH)  # 15.00
    basis(world, third, "12000")  # 240.00
    services.sheets_draft(park=world.park, month=MARCH)
    services.sheets_draft(park=world.park, month=date(2026, 4, 1))
    pay(world, [full, probationary])
    pay(world, [third])
    pay(world, [third], month=date(2026, 4, 1))
    rows = selectors.collection_by_branch(park=world.park, month=MARCH)
    figures = {name: (c.members, c.due, c.paid, c.outstanding, c.rate) for _, name, _, c in rows}
    assert figures == {"alpha第一党支部": (2, D("55.00"), D("55.00"), D("0.00"), 100.0),
                       "第二党支部": (1, D("240.00"), D("240.00"), D("0.00"), 100.0)}
    months = selectors.collection_by_month(park=world.park, year=2026)
    assert [(c.label, c.due, c.paid, round(c.rate, 1)) for c in months] == [
        ("3月", D("295.00"), D("295.00"), 100.0), ("4月", D("295.00"), D("240.00"), 81.4)]
    year = selectors.total(months)
    assert (year.due, year.paid, year.outstanding) == (D("590.00"), D("535.00"), D("55.00"))
    mine = selectors.collection_by_month(park=world.park, year=2026, branch_ids={world.branch.pk})
    assert [(c.due, c.paid) for c in mine] == [(D("55.00"), D("55.00")), (D("55.00"), D("0.00"))]


# --- Pages ---------------------------------------------------------------------------------------
def url(world, name, *args):
    return reverse(f"dues:{name}", args=[world.park.code, *args])


def test_a_secretary_records_payments_on_the_sheet_and_sees_what_is_owed(client, world, branch_members):
    full, probationary = branch_members
    basis(world, full, "4000")
    basis(world, probationary, "3000", since=MARCH)
    services.sheets_draft(park=world.park, month=MARCH)
    sheet = DuesSheet.objects.get(month=MARCH)
    client.force_login(world.secretary)
    page = client.get(url(world, "sheet", sheet.pk)).content.decode()
    assert "应缴 55.00 元，实缴 0.00 元，欠缴 <strong>55.00</strong> 元" in page
    response = client.post(url(world, "pay", sheet.pk), {"paid_on": "2026-03-10", "method": "wechat", "lines": [line(full).pk]}, follow=True)
    page = response.content.decode()
    assert "已登记 1 人交纳党费，共 40.00 元。" in page
    assert "欠缴 <strong>15.00</strong> 元" in page
    # Nothing chosen, a line of another sheet, a date in the future: a Chinese message, nothing written.
    for data, message in [
        ({"paid_on": "2026-03-10", "method": "wechat"}, "请勾选要登记交纳的党员。"),
        ({"paid_on": "2026-03-10", "method": "wechat", "lines": ["999999"]}, "所选党员不在本月收缴表上。"),
        ({"paid_on": "2099-03-10", "method": "wechat", "lines": [line(probationary).pk]}, "交纳日期不能晚于今天。"),
        ({"paid_on": "2026-03-10", "method": "gold", "lines": [line(probationary).pk]}, "选择一个有效的选项"),
    ]:
        page = client.post(url(world, "pay", sheet.pk), data, follow=True).content.decode()
        assert message in page, message
    assert DuesPayment.objects.count() == 1

    workbook = load_workbook(io.BytesIO(client.get(url(world, "sheet_xlsx", sheet.pk)).content))
    rows = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert rows[0][:8] == ["序号", "姓名", "党员类别", "交纳类别", "税后月收入（元）", "应缴（元）", "实缴（元）", "欠缴（元）"]
    assert rows[1][1:8] == ["张三", "正式党员", "在职", 4000, 40, 40, 0]
    assert rows[2][1:8] == ["李四", "预备党员", "在职", 3000, 15, 0, 15]
    client.force_login(world.inspector)  # a reader sees what is owed, not what members earn
    workbook = load_workbook(io.BytesIO(client.get(url(world, "sheet_xlsx", sheet.pk)).content))
    assert [row[4].value for row in workbook.active.iter_rows(min_row=2)] == [None, None]


def test_the_basis_page_records_a_basis_with_a_chinese_message_for_bad_input(client, world, branch_members):
    full, _ = branch_members
    services.sheets_draft(park=world.park, month=MARCH)
    client.force_login(world.secretary)
    page = client.post(url(world, "basis", full.pk), {"category": "employed", "base": "-5", "effective_from": "2026-03"}).content.decode()
    assert "确保该值大于或等于0。" in page or "大于或等于 0" in page
    page = client.post(url(world, "basis", full.pk), {"category": "farmer", "agreed": "3", "effective_from": "2026-03"}).content.decode()
    assert "农民党员每月交纳党费 0.2 元至 1 元" in page
    response = client.post(url(world, "basis", full.pk), {"category": "employed", "base": "6000", "effective_from": "2026-03"}, follow=True)
    assert "已核定张三的党费：每月 90.00 元，自 2026年03月 起。" in response.content.decode()
    assert line(full).due == D("90.00")


def test_the_wall_a_secretary_sees_their_branch_only_and_the_county_reads(client, world, other, branch_members, county_viewer):
    full, _ = branch_members
    elsewhere = OrganisationFactory(park=world.park, name="第二党支部", parent=world.work_committee)
    stranger = MemberFactory(park=world.park, branch=elsewhere, name="孙七")
    services.sheets_draft(park=world.park, month=MARCH)
    theirs = DuesSheet.objects.get(branch=elsewhere)
    mine = DuesSheet.objects.get(branch=world.branch)
    client.force_login(world.secretary)
    assert client.get(url(world, "sheet", theirs.pk)).status_code == 404
    assert client.get(url(world, "basis", stranger.pk)).status_code == 404
    assert client.post(url(world, "pay", theirs.pk), {"paid_on": "2026-03-10", "method": "cash", "lines": [line(stranger).pk]}).status_code == 404
    home = client.get(url(world, "home") + "?month=2026-03").content.decode()
    assert "alpha第一党支部" in home and "第二党支部" not in home
    client.force_login(county_viewer)
    assert client.get(url(world, "sheet", mine.pk)).status_code == 200
    assert client.post(url(world, "pay", mine.pk), {"paid_on": "2026-03-10", "method": "cash", "lines": [line(full).pk]}).status_code == 403
    client.force_login(other.admin)
    assert client.get(reverse("dues:sheet", args=[other.park.code, mine.pk])).status_code == 404
    for bad in ("2026-13", "x", "1999-01", "2026-03-01-2"):
        client.force_login(world.admin)
        assert client.get(url(world, "home") + f"?month={bad}").status_code == 404


def test_the_collection_page_reads_in_the_same_number_of_queries_for_2_and_40_branches(client, world, in_park):
    def grow(n):
        for i in range(n):
            branch = OrganisationFactory(park=world.park, parent=world.work_committee)
            for _ in range(3):
                MemberFactory(park=world.park, branch=branch)
        services.sheets_draft(park=world.park, month=MARCH)

    client.force_login(world.admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(world, "home") + "?month=2026-03").status_code == 200
        return len(queries)

    grow(2)
    small = count()
    grow(38)
    with scopes_disabled():
        assert DuesLine.objects.filter(park=world.park, month=MARCH).count() == 120
        assert Member.objects.filter(park=world.park).count() == 120
    assert count() == small


def test_the_county_sees_each_parks_collection_from_the_parks_own_sheets(client, world, other, branch_members, county_viewer,
                                                                         django_assert_max_num_queries):
    full, probationary = branch_members
    basis(world, full, "4000")
    basis(world, probationary, "3000", since=MARCH)
    services.sheets_draft(park=world.park, month=MARCH)
    pay(world, [full])
    client.force_login(county_viewer)
    url = reverse("county_dues", args=[world.park.county.code])
    with django_assert_max_num_queries(12):
        response = client.get(url, {"year": "2026"})
    rows = {park.code: (year_total, latest) for park, year_total, latest in response.context["rows"]}
    year_total, latest = rows[world.park.code]
    assert (year_total.due, year_total.paid, year_total.outstanding, latest.label) == (D("55.00"), D("40.00"), D("15.00"), "3月")
    assert rows[other.park.code] == (selectors.total([], "全年"), None)
    assert response.context["county_total"].due == D("55.00")
    page = response.content.decode()
    assert "72.7%" in page and "2026年党费收缴" in page
    for bad in ("1999", "abc", "99999", "\x00"):
        assert client.get(url, {"year": bad}).status_code == 404
