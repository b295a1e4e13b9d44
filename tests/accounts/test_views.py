"""Sign-in and the start page: each role lands on its own page."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.accounts.factories import RoleAssignmentFactory

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_in_chinese(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "红帆园区党建平台" in response.content.decode()


def test_wrong_password_message_is_chinese(client, world):
    response = client.post(reverse("accounts:login"), {"username": world.admin.username, "password": "wrong"})
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.parametrize(
    "role, expected",
    [
        ("admin", "dashboards:park_home"),
        ("inspector", "dashboards:start"),
        ("secretary", "dashboards:start"),
        ("instructor_user", "dashboards:start"),
    ],
)
def test_each_role_lands_on_its_page(client, world, role, expected):
    client.force_login(getattr(world, role))
    response = client.get(reverse("home"))
    args = [world.park.code]
    assert response.status_code == 302
    assert response.url == reverse(expected, args=args)


def test_county_viewer_lands_on_the_county_dashboard(client, county_viewer):
    client.force_login(county_viewer)
    assert client.get(reverse("home")).url == reverse("county_dashboard", args=["demo"])


def test_user_with_several_roles_chooses(client, world, other):
    RoleAssignmentFactory(user=world.admin, role=Role.PARK_ADMIN, county=other.park.county, park=other.park)
    client.force_login(world.admin)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(response.context["spaces"]) == 2


def test_user_without_role_is_told(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("lonely", password="x"))
    assert "尚未分配角色" in client.get(reverse("home")).content.decode()


def test_anonymous_home_goes_to_sign_in(client):
    assert client.get(reverse("home")).url.startswith(reverse("accounts:login"))
