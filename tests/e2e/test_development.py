"""In the browser: the park office walks an applicant from 入党申请 to 发展对象 and the 公示, downloads
the 公示 notice, and sees the due list move on."""

import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from docx import Document
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from demo.seed import DEMO_PASSWORD
from orgs.models import Park
from tests.e2e.conftest import sign_in
from tests.members.factories import MemberFactory, valid_id_number

pytestmark = pytest.mark.django_db(transaction=True)

STEPS = [
    ("apply", "2024-03-01"), ("talk", "2024-03-20"), ("recommend", "2024-05-01"), ("activist_file", "2024-05-10"),
    ("mentors", "2024-05-10"), ("cultivate", "2024-11-01"), ("candidate", "2025-05-06"), ("candidate_file", "2025-05-10"),
    ("introducers", "2025-05-10"), ("vetting", "2025-06-01"), ("training", "2025-06-20"), ("committee_review", "2025-09-01"),
    ("publicity", "2025-09-26"),
]


def test_the_office_walks_an_applicant_to_the_publicity_and_downloads_the_notice(demo, page, holiday_calendar):
    with scopes_disabled():
        park = Park.objects.get(code="yutai")
        branch = RoleAssignment.objects.get(user__username="yutai_secretary").organisation
        person = MemberFactory(park=park, branch=branch, name="孔令华", stage="applicant", joined_on=None, full_on=None,
                               id_number=valid_id_number("19990817"))

    sign_in(page, "yutai_admin", DEMO_PASSWORD)
    page.goto(reverse("members:development", args=[park.code, person.pk]))
    for code, day in STEPS:
        page.locator("select[name=step]").select_option(code)
        page.locator("input[name=on]").fill(day)
        page.get_by_role("button", name="记录").click()
        expect(page.locator("ul.messages")).to_contain_text("已记录")
        if code == "talk":  # out of order or late would have been refused: a talk recorded in time moves on
            expect(page.get_by_text("下一步：推荐和确定入党积极分子")).to_be_visible()
    expect(page.get_by_role("heading", name="孔令华 · 发展党员纪实")).to_be_visible()
    expect(page.locator("hgroup p")).to_contain_text("发展对象")

    # Too early for the branch meeting: the 公示 runs 5 working days, to 9 October (National Day week off).
    page.locator("select[name=step]").select_option("pre_review")
    page.locator("input[name=on]").fill("2025-09-30")
    page.get_by_role("button", name="记录").click()
    page.locator("select[name=step]").select_option("application_form")
    page.locator("input[name=on]").fill("2025-10-09")
    page.get_by_role("button", name="记录").click()
    page.locator("select[name=step]").select_option("admit")
    page.locator("input[name=on]").fill("2025-10-09")
    page.get_by_role("button", name="记录").click()
    expect(page.get_by_text("至 2025-10-09 期满；支部大会须在公示期满后召开。")).to_be_visible()

    with page.expect_download() as download:
        page.locator("tr", has_text="发展对象公示").get_by_role("link", name="生成文书（Word）").click()
    text = "\n".join(p.text for p in Document(io.BytesIO(open(download.value.path(), "rb").read())).paragraphs)
    assert "关于拟接收孔令华同志为预备党员的公示" in text
    assert "公示时间：2025年09月26日至2025年10月09日（5个工作日）。" in text

    page.get_by_role("link", name="发展党员", exact=True).click()
    row = page.locator("tr", has_text="孔令华")
    expect(row).to_contain_text("支部大会讨论接收预备党员")
    expect(row).to_contain_text("公示期满后召开支部大会")
