"""In the browser, on a 390×844 phone: a branch secretary signs in and sees their to-do, records a
支委会 with the committee's attendance (the members holding a post are 应到), completes the month's task with a photo, files the monthly
report, and reads and replies to a notice; each item leaves the to-do, and the park admin sees the work."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from core.periods import month_start
from core.tenancy.scoping import park_scope
from cycle import services as cycle_services
from cycle.models import MonthlyMeeting, MonthlyReport
from demo.seed import DEMO_PASSWORD
from orgs.models import Park
from services.models import Notice
from services.notices import notice_publish
from tests.activities.helpers import PNG
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
TASK = "组织党员学习十一月学习材料"
NOTICE = "关于报送七一活动参加人数的通知"


def menu(page, name):
    """On a phone the menu folds behind 菜单."""
    page.get_by_role("button", name="菜单").click()
    page.locator("#site-menu").get_by_role("link", name=name, exact=True).click()


def test_a_secretarys_day_on_a_phone(demo, page):
    today = timezone.localdate()
    call_command("run_cycle", "--date", today.replace(day=1).isoformat())  # this month's meeting
    with scopes_disabled():
        park = Park.objects.get(code="yutai")
        branch = RoleAssignment.objects.get(user__username="yutai_secretary").organisation
        admin = RoleAssignment.objects.get(user__username="yutai_admin").user
    with park_scope(park):
        meeting = MonthlyMeeting.objects.get(park=park, month=today.replace(day=1))
        task = cycle_services.task_add(meeting=meeting, actor=admin, title=TASK, deadline=today)
        cycle_services.task_publish(task=task, actor=admin)
        notice_publish(park=park, actor=admin, title=NOTICE, body="请各党支部报送参加人数。", kind=Notice.Kind.REQUEST,
                       audience=Notice.Audience.ALL_BRANCHES, reply_due=today, fields_text="本支部参加人数|数字")
        last_month = month_start(month_start(today) - timedelta(days=1))
        filed_last = MonthlyReport.objects.filter(park=park, branch=branch, month=last_month).exists()

    page.set_viewport_size(PHONE)
    sign_in(page, "yutai_secretary", DEMO_PASSWORD)
    expect(page.locator("h1")).to_have_text("我的待办")
    todo = page.locator(".todo-cards")
    expect(todo.get_by_role("link", name=TASK, exact=True)).to_be_visible()
    expect(todo.get_by_role("link", name=f"未读：{NOTICE}")).to_be_visible()
    page.screenshot(path="test-results/phone-secretary-day-start.png", full_page=True)

    # 1. A 支委会: the committee is 应到; one absent with a reason, the rest present
    menu(page, "组织生活")
    page.get_by_role("button", name="登记组织生活").click()
    page.locator("select[name=kind]").select_option(label="支委会")
    page.get_by_role("button", name="切换类型").click()
    committee = page.locator("fieldset tbody tr").count()
    assert committee >= 1, "the committee (members with a post) is 应到"
    absent = 1 if committee >= 2 else 0
    page.locator("input[name=held_on]").fill(today.isoformat())
    page.locator("input[name=topic]").fill("研究部署本月组织生活")
    page.locator("input[name=place]").fill("党员活动室")
    for radio in page.locator("input[type=radio][value=present]").all():
        radio.check()
    if absent:
        page.locator("input[type=radio][value=absent]").first.check()
        page.locator("input[name^=reason_]").first.fill("外出培训")
    page.locator("input[name=photos]").set_input_files(files=[{"name": "支委会.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("研究部署本月组织生活")
    expect(page.get_by_text(f"应到 {committee} 人，实到 {committee - absent} 人，缺席 {absent} 人。")).to_be_visible()
    if absent:
        expect(page.get_by_text("外出培训")).to_be_visible()

    # 2. The month's task, completed with a photo, from the to-do
    page.goto("/p/yutai/start/")
    todo.get_by_role("link", name=TASK, exact=True).click()
    page.locator("tbody tr", has_text=TASK).get_by_role("link", name="标记完成", exact=True).click()
    page.get_by_label("完成情况").fill("已组织全体党员集中学习")
    page.locator("input[name=evidence]").set_input_files(files=[{"name": "学习现场.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="提交完成情况").click()
    expect(page.get_by_text(f"已完成“{TASK}”。")).to_be_visible()

    # 3. Last month's report, if the demo has not filed it, else this month's
    menu(page, "月报告")
    page.get_by_label("月份").fill(f"{(today if filed_last else last_month):%Y-%m}")
    page.get_by_label("组织生活开展情况").fill("召开支委会2次、主题党日1次")
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_text("月报告已报送。")).to_be_visible()

    # 4. The notice, read and answered
    menu(page, "通知公告")
    page.get_by_role("link", name=NOTICE, exact=True).click()
    page.get_by_role("link", name="填写回复").click()
    page.get_by_label("本支部参加人数").fill("15")
    page.get_by_role("button", name="提交回复").click()
    expect(page.get_by_text("回复已提交")).to_be_visible()

    # What was done has left the to-do, and nothing scrolled sideways on the way
    page.goto("/p/yutai/start/")
    expect(todo.get_by_role("link", name=TASK, exact=True)).to_have_count(0)
    expect(todo.get_by_text(NOTICE)).to_have_count(0)
    if not filed_last:
        expect(todo.get_by_text(f"{last_month:%Y年%m月}月报告未报送")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path="test-results/phone-secretary-day-end.png", full_page=True)

    # The park admin sees the record, the completed task and the report
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "yutai_admin", DEMO_PASSWORD)
    page.get_by_role("link", name="组织生活", exact=True).click()
    row = page.locator("tbody tr", has_text="研究部署本月组织生活")
    expect(row).to_contain_text(branch.name)
    page.goto("/p/yutai/tasks/")
    expect(page.locator("tbody tr", has_text=TASK)).to_contain_text("1/")
    page.goto("/p/yutai/reports/")
    expect(page.locator("tbody tr", has_text="召开支委会2次")).to_contain_text(branch.name)
