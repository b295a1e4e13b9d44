"""In the browser, on a 390 px phone: a branch secretary types a name in the member picker, tells
namesakes apart by branch and ID tail, chooses with a tap or the keyboard, and the points are saved
for the member chosen."""

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from demo.seed import DEMO_PASSWORD
from members.models import Member
from points.models import PointEntry
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def test_a_secretary_picks_a_member_by_typing_and_records_points(demo, page):
    with scopes_disabled():
        branch = RoleAssignment.objects.get(user__username="yutai_secretary").organisation
        member = Member.objects.filter(branch=branch, status__in=Member.ON_ROLL).order_by("pk").first()
        tail = member.id_number[-4:]
    page.set_viewport_size(PHONE)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    sign_in(page, "yutai_secretary", DEMO_PASSWORD)
    page.goto("/p/yutai/points/")
    form = page.locator("form[action$='/points/entries/new/']")
    box = form.get_by_role("combobox", name="党员")
    matches = form.locator(".picker-results").get_by_role("option")

    # Typed through an input method: the pinyin is never asked, the composed name is.
    box.evaluate("""el => { el.focus(); el.dispatchEvent(new CompositionEvent("compositionstart", {bubbles: true}));
                            el.value = "zhou"; el.dispatchEvent(new Event("input", {bubbles: true})); }""")
    page.wait_for_timeout(600)
    box.evaluate("""(el, name) => { el.value = name;
                                    el.dispatchEvent(new CompositionEvent("compositionend", {bubbles: true})); }""", member.name)
    expect(matches.first).to_be_visible()
    assert not [url for url in asked if "zhou" in url]
    form.screenshot(path="test-results/picker-phone-matches.png")
    option = matches.filter(has_text=f"身份证尾号{tail}")
    expect(option).to_contain_text(branch.name)
    option.click()
    expect(form.locator("input[type=hidden][name=member]")).to_have_value(str(member.pk))
    expect(box).to_have_value("")

    box.fill(tail)  # the last four find the same member; the keyboard chooses
    expect(matches).to_have_count(1)
    box.press("ArrowDown")
    box.press("Enter")
    expect(form.locator("input[type=hidden][name=member]")).to_have_count(1)

    box.fill("37082719850312")  # an ID number is refused in the page, before any request
    expect(form.get_by_text("请只输入身份证号后四位")).to_be_visible()
    assert not [url for url in asked if "19850312" in url]  # never sent
    form.screenshot(path="test-results/picker-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    form.locator("select[name=category]").select_option(label="帮扶关爱星")
    form.locator("input[name=points]").fill("5")
    form.locator("input[name=reason]").fill("志愿服务")
    form.get_by_role("button", name="记录").click()
    expect(page.get_by_text("已记录积分。")).to_be_visible()
    with scopes_disabled():
        assert list(PointEntry.objects.filter(reason="志愿服务").values_list("member_id", flat=True)) == [member.pk]
