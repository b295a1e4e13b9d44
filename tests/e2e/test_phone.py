"""On a 390×844 phone: the menu folds behind 菜单, and no page that a branch secretary, an
instructor or an inspector reaches from their menu scrolls sideways (a wide table scrolls inside
its own box). Their start pages are saved as screenshots (test-results/)."""

import pytest
from playwright.sync_api import expect

from demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def sideways(page) -> int:
    """How far the page scrolls sideways (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_no_page_of_the_phone_roles_scrolls_sideways(demo, page):
    page.set_viewport_size(PHONE)
    too_wide = {}
    for username in ("yutai_secretary", "yutai_instructor", "yutai_inspector"):
        page.context.clear_cookies()
        sign_in(page, username, DEMO_PASSWORD)
        page.screenshot(path=f"test-results/phone-{username}.png", full_page=True)
        menu = page.locator("#site-menu")
        expect(menu).to_be_hidden()
        page.get_by_role("button", name="菜单").click()
        expect(menu).to_be_visible()
        links = [href for href in menu.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") if href]
        assert len(links) >= 3, username
        for href in [page.url, *links]:
            page.goto(href)
            if (over := sideways(page)) > 0:
                too_wide[f"{username} {href}"] = over
    assert too_wide == {}


def test_every_roles_start_page_at_desk_and_phone_width(demo, page):
    """Each role's start page (我的待办, the park overview, the county dashboard), saved at 1366 px and
    at 390 px; on the phone it does not scroll sideways either."""
    for username in ("yutai_secretary", "yutai_instructor", "yutai_inspector", "yutai_handler", "yutai_admin", "county"):
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1366, "height": 900})
        sign_in(page, username, DEMO_PASSWORD)
        expect(page.locator("h1")).to_be_visible()
        page.screenshot(path=f"test-results/start-{username}-1366.png", full_page=True)
        page.set_viewport_size(PHONE)
        page.reload()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=f"test-results/start-{username}-390.png", full_page=True)
        assert sideways(page) <= 0, username
