"""In the browser: an inspector scores two branches; the park admin opens 定档, sees the unscored
branches and the allowance change, marks the rest 未检查 and confirms; the admin checks the drafted
红星津贴 batch, a second person approves it, and the pay sheet downloads."""

import io
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import RoleAssignment, User
from assessment.models import PayoutBatch, RoundAssessment
from core.roles import Role
from core.tenancy.scoping import park_scope
from cycle.models import InspectionRound
from demo.seed import DEMO_PASSWORD
from orgs.models import Organisation, Park
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def open_round(park) -> InspectionRound:
    """An open round whatever the date: the demo's newest, or a round of last year's fourth quarter."""
    with park_scope(park):
        found = RoundAssessment.objects.filter(park=park, status=RoundAssessment.Status.OPEN).select_related("round").order_by("-round__year", "-round__quarter").first()
        if found:
            return found.round
        from assessment.rubrics import round_assessment

        year = InspectionRound.objects.order_by("year").values_list("year", flat=True).first() or 2026
        created = InspectionRound.objects.create(park=park, year=year - 1, quarter=4, opens_on=f"{year - 1}-12-01",
                                                 self_assessment_due=f"{year - 1}-12-15", inspection_due=f"{year - 1}-12-31")
        round_assessment(inspection_round=created)
        return created


def score_full_marks(page, inspection_round, branch):
    page.goto(f"/p/yutai/assessment/rounds/{inspection_round.pk}/")
    page.get_by_role("link", name=branch.name, exact=True).click()
    inputs = page.locator("input[name^=points_]")
    count = inputs.count()
    assert count >= 5
    for k in range(count):
        inputs.nth(k).fill(inputs.nth(k).get_attribute("max"))  # full marks on every item scored by hand
    page.locator("input[name^=note_]").first.fill("台账规范，班子健全")
    page.get_by_role("button", name="保存检查评分").click()
    expect(page.get_by_text(f"已保存{branch.name}的检查评分。")).to_be_visible()


def test_inspector_scores_admin_finalises_a_second_person_approves_and_downloads(demo, page):
    with scopes_disabled():
        park = Park.objects.get(code="yutai")
        branch = RoleAssignment.objects.get(user__username="yutai_secretary").organisation
        other = Organisation.objects.filter(park=park, kind=Organisation.Kind.BRANCH, dissolved_on__isnull=True).exclude(pk=branch.pk).order_by("name").first()
        approver = User.objects.create_user("yutai_approver", password=DEMO_PASSWORD, full_name="鱼台党建办 赵敏")
        RoleAssignment.objects.create(user=approver, role=Role.PARK_ADMIN, county=park.county, park=park)
    inspection_round = open_round(park)

    sign_in(page, "yutai_inspector", DEMO_PASSWORD)
    page.get_by_role("link", name="考核", exact=True).click()
    for scored in (branch, other):
        score_full_marks(page, inspection_round, scored)

    page.context.clear_cookies()
    sign_in(page, "yutai_admin", DEMO_PASSWORD)
    page.goto(f"/p/yutai/assessment/rounds/{inspection_round.pk}/")
    page.get_by_role("button", name="定档预览：核对得分、星级变化和红星津贴").click()
    expect(page.locator("h1")).to_contain_text("定档预览")
    expect(page.locator("tbody tr", has_text=branch.name).first).not_to_contain_text("未检查")
    expect(page.locator("td .tag", has_text="未检查").first).to_be_visible()  # the branches nobody scored
    expect(page.locator("tr", has_text="园区合计")).to_be_visible()  # the allowance before → after
    expect(page.get_by_role("button", name="确认定档：按以上结果调整星级并生成红星津贴发放表")).to_have_count(0)
    page.get_by_label("未检查原因", exact=False).last.fill("本季度未安排检查")
    page.get_by_role("button", name="全部标记为未检查（保持原星级）").click()
    expect(page.get_by_text("个未评分的党支部标记为未检查")).to_be_visible()
    page.get_by_role("button", name="确认定档：按以上结果调整星级并生成红星津贴发放表").click()
    expect(page.get_by_text("已定档，星级已调整")).to_be_visible()
    row = page.locator("tbody tr", has_text=branch.name)
    expect(row).to_contain_text("星")
    expect(row).to_contain_text("得分")
    page.get_by_role("link", name=f"{inspection_round.year}年第{inspection_round.quarter}季度红星津贴").click()
    expect(page.locator("hgroup p")).to_contain_text("草稿")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("hgroup p")).to_contain_text("已审核")
    page.get_by_role("button", name="批准").click()  # the checker may not approve
    expect(page.get_by_text("审核和批准须由两位不同人员办理")).to_be_visible()
    batch_url = page.url

    page.context.clear_cookies()
    sign_in(page, "yutai_approver", DEMO_PASSWORD)
    page.goto(batch_url)
    page.get_by_role("button", name="批准").click()
    expect(page.locator("hgroup p")).to_contain_text("已批准")
    expect(page.locator("li", has_text="已审核 → 已批准")).to_contain_text("赵敏")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载发放表（Excel）").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    with scopes_disabled():
        batch = PayoutBatch.objects.get(park=park, year=inspection_round.year, quarter=inspection_round.quarter)
    total = next(r for r in rows if r[0] == "合计")
    assert batch.status == PayoutBatch.Status.APPROVED
    assert Decimal(str(total[9])) == batch.total > 0
    assert any(r[2] == branch.name for r in rows)
    assert any(r[0] and "已审核 → 已批准" in str(r[0]) for r in rows)
    assert sheet.page_setup.orientation == "landscape"
