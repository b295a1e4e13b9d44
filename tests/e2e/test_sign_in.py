"""In the browser: each demo user signs in and lands on the page of their role."""

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from demo.seed import DEMO_PASSWORD
from orgs.models import Enterprise
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_demo_user_lands_on_their_role_page(demo, page):
    expected = {
        "county": ("/county/demo/", "红帆示范县 · 园区党建总览"),
        "yutai_admin": ("/p/yutai/", "鱼台经济开发区 · 党建概览"),
        "zongyang_admin": ("/p/zongyang/", "枞阳经济开发区 · 党建概览"),
        "yutai_inspector": ("/p/yutai/start/", "我的待办"),
        "yutai_secretary": ("/p/yutai/start/", "我的待办"),
        "yutai_instructor": ("/p/yutai/start/", "我的待办"),
    }
    for username, (path, heading) in expected.items():
        page.context.clear_cookies()
        sign_in(page, username, DEMO_PASSWORD)
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.locator("h1")).to_have_text(heading)
        if username == "county":
            expect(page.locator("#chart-rates canvas")).to_have_count(1)  # ECharts, served from static/
            expect(page.get_by_role("link", name="枞阳经济开发区", exact=True).first).to_be_visible()
        if username == "yutai_instructor":  # their to-do: the enterprises still to visit this quarter
            expect(page.get_by_role("link", name="本季度待走访的企业")).to_be_visible()
        if username == "yutai_secretary":
            expect(page.get_by_role("link", name="月工作清单", exact=True).first).to_be_visible()
        page.goto(f"/p/{'zongyang' if username == 'zongyang_admin' else 'yutai'}/enterprises/")
        # Only a park admin is offered the write actions; the county viewer reads the same list.
        expect(page.get_by_role("button", name="新增企业")).to_have_count(1 if username.endswith("_admin") else 0)


def test_wrong_password_is_told_in_chinese(demo, page):
    sign_in(page, "yutai_admin", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的")


def test_park_admin_adds_an_enterprise_after_a_wrong_credit_code(demo, page):
    sign_in(page, "yutai_admin", DEMO_PASSWORD)
    page.get_by_role("link", name="企业台账", exact=True).click()
    page.get_by_role("button", name="新增企业").click()
    page.get_by_label("企业名称").fill("鱼台红帆示范科技有限公司")
    page.get_by_label("统一社会信用代码").fill("91350100M000100Y44")
    page.get_by_label("职工人数").fill("66")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".errorlist")).to_contain_text("校验位错误：按 GB 32100-2015 应为“3”")
    page.get_by_label("统一社会信用代码").fill("91350100m000100y43")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("鱼台红帆示范科技有限公司")
    with scopes_disabled():
        assert Enterprise.objects.get(credit_code="91350100M000100Y43").park.code == "yutai"
    page.get_by_role("link", name="企业台账", exact=True).click()
    page.get_by_placeholder("企业名称或信用代码").fill("红帆示范")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("tbody tr")).to_have_count(1)
