"""In the browser: a park admin uploads a roster, reads the errors, fixes them, previews, confirms."""

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from core.validators import mask_id_number
from demo.seed import DEMO_PASSWORD
from members.models import Member
from orgs.models import Organisation
from tests.e2e.conftest import sign_in
from tests.members.factories import valid_id_number

pytestmark = pytest.mark.django_db(transaction=True)


def roster(branch: str, number: str) -> bytes:
    lines = [
        "鱼台经济开发区党员花名册（新增）",
        "序号,姓名,性别,公民身份号码,所在党支部,党员类别,入党时间,转正日期",
        f"1,赵新华,男,{number},{branch},正式党员,2015年7月1日,2016/7/1",
    ]
    return ("\n".join(lines) + "\n").encode("gb18030")


def upload(page, content: bytes, name: str):
    page.get_by_label("台账类型").select_option(label="党员花名册")
    page.get_by_label("文件（.xlsx 或 .csv，不超过 20 MB）").set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    page.get_by_role("button", name="上传并预览").click()


def test_upload_preview_fix_and_confirm(demo, page):
    with scopes_disabled():
        branch = Organisation.objects.filter(park__code="yutai", kind="branch").order_by("pk").first().name
    number = valid_id_number(birth="19880808", n=15)
    sign_in(page, "yutai_admin", DEMO_PASSWORD)
    page.get_by_role("link", name="导入导出", exact=True).click()

    upload(page, roster("不存在的党支部", number), "新增党员.csv")
    expect(page.get_by_role("alert")).to_contain_text("未写入任何数据")
    error_row = page.locator("table tbody tr").first
    expect(error_row).to_contain_text("3")  # the row as the spreadsheet shows it
    expect(error_row).to_contain_text("所在党支部")
    expect(error_row).to_contain_text("本园区没有名为“不存在的党支部”的党组织")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)

    page.get_by_role("link", name="返回台账导入导出", exact=True).click()
    upload(page, roster(branch, number), "新增党员.csv")
    expect(page.locator(".figures article").first).to_contain_text("1")  # 1 new
    row = page.locator("table.import-preview tbody tr")  # the row's values as they will be saved
    expect(row).to_have_count(1)
    expect(row).to_contain_text("赵新华")
    expect(row).to_contain_text(mask_id_number(number))
    expect(row).not_to_contain_text(number)
    expect(row).to_contain_text("2015-07-01")
    expect(page.locator(".ignored-columns")).to_have_text("序号")
    with scopes_disabled():
        assert not Member.objects.filter(name="赵新华").exists()  # a preview writes nothing
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("导入完成：新增 1 条")).to_be_visible()

    page.get_by_role("link", name="党员", exact=True).click()
    page.get_by_placeholder("姓名、手机号或完整身份证号").fill(number.lower())
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text(number)  # the park admin sees the whole number
