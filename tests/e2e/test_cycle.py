"""In the browser: a branch secretary records a 支委会 with attendees and a photo, completes a monthly
task and files a monthly report; the park admin then sees all three."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from core.tenancy.scoping import park_scope
from cycle import services as cycle_services
from cycle.models import MonthlyMeeting
from demo.seed import DEMO_PASSWORD
from orgs.models import Park
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"


def test_secretary_records_completes_and_reports_and_the_admin_sees_it(demo, page):
    today = timezone.localdate()
    call_command("run_cycle", "--date", today.replace(day=1).isoformat())  # this month's meeting
    with scopes_disabled():
        park = Park.objects.get(code="yutai")
        branch = RoleAssignment.objects.get(user__username="yutai_secretary").organisation
        admin = RoleAssignment.objects.get(user__username="yutai_admin").user
    with park_scope(park):
        meeting = MonthlyMeeting.objects.get(park=park, month=today.replace(day=1))
        task = cycle_services.task_add(meeting=meeting, actor=admin, title="组织党员学习十一月学习材料", deadline=today)
        cycle_services.task_publish(task=task, actor=admin)

    sign_in(page, "yutai_secretary", DEMO_PASSWORD)
    expect(page.locator("h1")).to_have_text(branch.name)

    # 1. A 支委会 with attendees, one absentee with a reason, and a photo
    page.get_by_role("link", name="组织生活", exact=True).click()
    page.get_by_role("button", name="登记组织生活").click()
    page.get_by_label("类型").select_option(label="支委会")
    page.get_by_label("日期").fill(today.isoformat())
    page.get_by_label("主题").fill("研究部署本月组织生活")
    page.get_by_label("地点").fill("党员活动室")
    page.locator("input[type=radio][value=absent]").first.check()
    page.locator("input[name^=reason_]").first.fill("外出培训")
    page.locator("input[name=photos]").set_input_files(files=[{"name": "支委会.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("研究部署本月组织生活")
    expect(page.get_by_text("外出培训")).to_be_visible()
    expect(page.locator("img[alt='支委会.png']")).to_be_visible()
    present = page.locator("tbody tr", has_text="出席").count()
    assert present >= 2

    # 2. Complete the monthly task
    page.get_by_role("link", name="月工作清单", exact=True).click()
    # the demo's own work list is out too: complete the task the office has just sent
    page.locator("tbody tr", has_text="组织党员学习十一月学习材料").get_by_role("link", name="标记完成", exact=True).click()
    page.get_by_label("完成情况").fill("已组织全体党员集中学习")
    page.get_by_role("button", name="提交完成情况").click()
    expect(page.get_by_text("已完成“组织党员学习十一月学习材料”。")).to_be_visible()

    # 3. File this month's report (the demo has filed the months before)
    page.get_by_role("link", name="月报告", exact=True).click()
    page.get_by_label("月份").fill(f"{today:%Y-%m}")
    page.get_by_label("组织生活开展情况").fill("召开支委会2次、主题党日1次")
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_text("月报告已报送。")).to_be_visible()

    # The park admin sees all three
    page.context.clear_cookies()
    sign_in(page, "yutai_admin", DEMO_PASSWORD)
    page.get_by_role("link", name="组织生活", exact=True).click()
    row = page.locator("tbody tr", has_text="研究部署本月组织生活")
    expect(row).to_contain_text(branch.name)
    expect(row).to_contain_text("支委会")
    row.get_by_role("link").click()
    expect(page.locator("img[alt='支委会.png']")).to_be_visible()
    page.goto("/p/yutai/tasks/")
    expect(page.locator("tbody tr", has_text="组织党员学习十一月学习材料")).to_contain_text("1/26")
    page.goto("/p/yutai/reports/")
    expect(page.locator("tbody tr", has_text="召开支委会2次")).to_contain_text(branch.name)
