"""In the browser: the county organisation department's dashboard and big screen draw their charts
with no console error, a county figure drills down to the park and then to the list behind it,
and a screenshot of each is saved (test-results/)."""

import pytest
from playwright.sync_api import expect

from demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def watch_console(page) -> list[str]:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_the_county_dashboard_and_the_big_screen(demo, page):
    errors = watch_console(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "county", DEMO_PASSWORD)
    expect(page.locator("h1")).to_contain_text("园区党建总览")
    expect(page.locator("#chart-rates canvas")).to_have_count(1)
    expect(page.locator("#chart-stars canvas")).to_have_count(1)
    page.screenshot(path="test-results/county-dashboard.png", full_page=True)
    # Printed on A4 landscape: no navigation, no selector, the charts kept
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator("form.period")).to_be_hidden()
    expect(page.locator("#chart-rates canvas")).to_be_visible()
    page.pdf(path="test-results/county-dashboard.pdf", format="A4", landscape=True, print_background=True)
    page.emulate_media(media="screen")

    # The period selector: a past quarter
    page.get_by_label("统计期间").select_option(label="2026年第3季度")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("p.muted").first).to_contain_text("2026年第3季度")

    # Drill down: the park, then its enterprises behind the figure
    table = page.locator("#t-enterprises")
    park_row = table.locator("tbody tr").first
    park_name = park_row.locator("th").inner_text()
    park_row.get_by_role("link", name=park_name, exact=True).click()
    expect(page.locator("h1")).to_have_text(f"{park_name} · 党建概览")
    page.locator("#t-enterprises tbody tr").first.locator("td a").first.click()
    expect(page.locator("h1")).to_contain_text("企业")

    # The big screen: full page, dark, its charts and the parks' cards
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto("/county/demo/screen/")
    expect(page.locator("#screen-rates canvas")).to_have_count(1)
    expect(page.locator("#screen-parks .park")).to_have_count(2)
    expect(page.locator("#screen-totals div")).to_have_count(6)
    page.screenshot(path="test-results/county-screen.png")
    assert errors == []
