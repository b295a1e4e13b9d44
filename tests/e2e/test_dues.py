"""In the browser: a branch secretary opens this month's 党费收缴表, records two members' payments,
and sees what is still owed and who has paid nothing for six months or more."""

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from demo.seed import DEMO_PASSWORD
from dues.models import DuesLine
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_secretary_records_a_months_dues_and_sees_the_arrears(demo, page):
    month = timezone.localdate().replace(day=1)
    with scopes_disabled():
        branch = RoleAssignment.objects.get(user__username="yutai_secretary").organisation
        lines = list(DuesLine.objects.filter(sheet__branch=branch, month=month, due__isnull=False).select_related("member").order_by("member_id"))
        behind, payer = lines[0], lines[1]  # the demo's member who has paid nothing this year, and another
        owed_before = DuesLine.objects.filter(member=behind.member, month__lt=month, due__isnull=False).count()
    assert owed_before >= 6, "the demo leaves one member of this branch unpaid all year"

    sign_in(page, "yutai_secretary", DEMO_PASSWORD)
    page.get_by_role("link", name="党费", exact=True).click()
    expect(page.get_by_role("heading", name=f"党费收缴 · {month.year}年{month.month}月")).to_be_visible()
    expect(page.get_by_text(f"{behind.member.name}：连续")).to_be_visible()  # flagged on the collection page
    page.get_by_role("table").first.get_by_role("link", name=branch.name, exact=True).click()  # this month's sheet

    owed = page.locator("hgroup p")
    expect(owed).to_contain_text("欠缴")
    page.get_by_label(f"{behind.member.name}已交").check()
    page.get_by_label(f"{payer.member.name}已交").check()
    page.locator("select[name=method]").select_option(label="现金")
    page.get_by_role("button", name="登记所勾选党员已交清").click()
    expect(page.get_by_text(f"已登记 2 人交纳党费，共 {behind.due + payer.due} 元。")).to_be_visible()
    row = page.locator("tr", has_text=payer.member.name)
    expect(row).to_contain_text("现金")
    expect(page.get_by_label(f"{payer.member.name}已交")).to_have_count(0)  # settled: nothing left to tick
    # Paying this month ends the run of unpaid months, but the months before are still owed.
    behind_row = page.locator("tr", has_text=behind.member.name)
    expect(behind_row).to_contain_text(f"{owed_before} 个月")
    expect(behind_row).not_to_contain_text("连续")
