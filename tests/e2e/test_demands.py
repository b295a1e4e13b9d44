"""In the browser: a secretary raises a demand, the park admin dispatches it, the department resolves
it, the secretary rejects once, the department resolves again, the secretary confirms — and the
timeline shows every step."""

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from demo.seed import DEMO_PASSWORD
from orgs.models import Coverage
from services.models import Department
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(page, username):
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)


def take_step(page, button, note=""):
    panel = page.locator("details").filter(has=page.locator("summary").filter(has_text=re.compile(f"^{button}$")))
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()  # each step is a panel; the first one is open
    form = panel.locator("form")
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.get_by_role("button", name=button, exact=True).click()


def test_a_demand_goes_round_the_loop_and_its_timeline_shows_every_step(demo, page):
    with scopes_disabled():
        branch = RoleAssignment.objects.get(user__username="yutai_secretary").organisation
        enterprise = Coverage.objects.filter(organisation=branch).select_related("enterprise").first().enterprise
        department = Department.objects.get(park__code="yutai", user__username="yutai_handler")  # the demo's department account

    as_user(page, "yutai_secretary")
    page.get_by_role("link", name="红色代办", exact=True).click()
    page.get_by_role("button", name="提出诉求").click()
    page.get_by_role("combobox", name="企业").fill(enterprise.name)
    page.get_by_role("option").filter(has_text=enterprise.name).first.click()
    page.locator("select[name=category]").select_option(label="用工招聘")
    page.locator("textarea[name=description]").fill("急需招聘电焊工20名")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("诉求已提交")).to_be_visible()
    demand_url = page.url

    as_user(page, "yutai_admin")
    page.goto(demand_url)
    page.locator("select[name=department]").select_option(label=department.name)
    take_step(page, "派单")
    expect(page.locator("hgroup p")).to_contain_text("已派单")

    as_user(page, "yutai_handler")
    page.get_by_role("link", name=enterprise.name).click()  # the department's own list
    take_step(page, "办结", "已推荐应聘者12名")
    expect(page.locator("hgroup p")).to_contain_text("已办结待确认")

    as_user(page, "yutai_secretary")
    page.goto(demand_url)
    take_step(page, "退回重办", "到岗仅3人，仍缺焊工")
    expect(page.locator("hgroup p")).to_contain_text("退回重办")

    as_user(page, "yutai_handler")
    page.goto(demand_url)
    take_step(page, "办结", "再推荐10名，已全部到岗")

    as_user(page, "yutai_secretary")
    page.goto(demand_url)
    take_step(page, "确认销号")
    expect(page.locator("hgroup p")).to_contain_text("已销号")
    timeline = page.locator("ol.timeline li")
    expect(timeline).to_have_count(6)
    for text in ("待派单", "已派单", "已办结待确认", "到岗仅3人", "退回重办", "已销号"):
        expect(page.locator("ol.timeline")).to_contain_text(text)
    page.screenshot(path="test-results/demand-timeline.png", full_page=True)
