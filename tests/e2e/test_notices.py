"""In the browser: the park admin publishes a notice with a reply form, a branch secretary reads
and replies, and the admin sees the receipt and downloads the replies as one sheet."""

import io

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_notice_with_a_reply_form_is_answered_and_the_replies_download(demo, page):
    with scopes_disabled():
        branch = RoleAssignment.objects.get(user__username="yutai_secretary").organisation

    sign_in(page, "yutai_admin", DEMO_PASSWORD)
    page.locator("#site-menu").get_by_role("link", name="通知公告", exact=True).click()
    page.get_by_role("button", name="发布通知").click()
    page.locator("select[name=kind]").select_option(label="信息征集")
    page.locator("input[name=title]").fill("关于报送七一活动参加人数的通知")
    page.locator("textarea[name=body]").fill("请各党支部于月底前报送参加人数和名单。")
    page.locator("textarea[name=fields_text]").fill("本支部参加人数|数字\n参加人员名单|文字")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("通知已发布")).to_be_visible()
    notice_url = page.url

    page.context.clear_cookies()
    sign_in(page, "yutai_secretary", DEMO_PASSWORD)
    page.locator("#site-menu").get_by_role("link", name="通知公告", exact=True).click()
    page.get_by_role("link", name="关于报送七一活动参加人数的通知", exact=True).click()
    page.get_by_role("link", name="填写回复").click()
    page.get_by_label("本支部参加人数").fill("15")
    page.get_by_label("参加人员名单").fill("郭霞磊、王芳等15人")
    page.get_by_role("button", name="提交回复").click()
    expect(page.get_by_text("回复已提交")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "yutai_admin", DEMO_PASSWORD)
    page.goto(notice_url)
    expect(page.locator("tr", has_text=branch.name)).not_to_contain_text("未回复")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载回执汇总（Excel）").click()
    rows = list(load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active.iter_rows(values_only=True))
    assert rows[0][3:] == ("本支部参加人数", "参加人员名单")
    replied = next(r for r in rows if r[0] == branch.name)
    assert replied[3:] == ("15", "郭霞磊、王芳等15人") and replied[1] != "未读"
