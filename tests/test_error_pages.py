"""Error pages in Chinese that show nothing of the request (issue: Django's bare English pages)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import bad_request, server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_and_a_refused_one_answer_in_chinese_without_echoing_the_request(client, world):
    client.force_login(world.secretary)
    response = client.get("/p/alpha/no-such-page/370827199001011234/")
    page = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in page
    assert "370827199001011234" not in page and "no-such-page" not in page
    response = client.get(reverse("imports:home", args=[world.park.code]))
    assert response.status_code == 403 and "没有权限" in response.content.decode()


def test_the_server_error_and_bad_request_pages_render_without_a_context():
    request = RequestFactory().get("/p/alpha/members/?q=370827199001011234")
    for view, words in ((server_error, "系统出错了"), (lambda r: bad_request(r, ValueError("x")), "请求无效")):
        page = view(request).content.decode()
        assert words in page and "370827199001011234" not in page
