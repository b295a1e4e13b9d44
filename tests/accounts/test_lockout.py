"""Sign-in lockout (django-axes) per account and per address, and a park admin's accounts page:
unlock, deactivate (the sessions stop at once), reactivate — each audited, another park's 404."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from core.roles import Role
from tests.accounts.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LIMIT = settings.AXES_FAILURE_LIMIT


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_thirty_wrong_passwords_lock_the_account_with_a_chinese_page(client, world):
    username = world.secretary.username
    for n in range(LIMIT - 1):
        assert sign_in(client, username, "wrong", address=f"10.0.1.{n}").status_code == 200  # the form again
    response = sign_in(client, username, "wrong", address="10.0.2.1")
    assert response.status_code == 429
    for n in range(30 - LIMIT):
        response = sign_in(client, username, "wrong", address=f"10.0.3.{n}")
    assert response.status_code == 429
    page = response.content.decode()
    assert "暂时无法登录" in page and f"密码错误次数过多（{LIMIT} 次）" in page and "15 分钟后再试" in page
    # Locked by account: the right password from a new address does not get in either.
    assert sign_in(client, username, "pw-for-tests", address="10.9.9.9").status_code == 429


def test_one_address_trying_many_accounts_is_locked_too(client, world):
    for n in range(LIMIT):
        sign_in(client, f"nobody{n}", "wrong", address="10.7.7.7")
    assert sign_in(client, world.admin.username, "pw-for-tests", address="10.7.7.7").status_code == 429
    assert sign_in(client, world.admin.username, "pw-for-tests", address="10.7.7.8").status_code == 302  # another address signs in


def test_a_park_admin_unlocks_an_account_and_it_signs_in_again(client, world, in_park):
    username = world.secretary.username
    for n in range(LIMIT):
        sign_in(client, username, "wrong", address=f"10.0.1.{n}")
    admin = client.__class__()
    admin.force_login(world.admin)
    page = admin.get(reverse("users:list", args=[world.park.code])).content.decode()
    assert username in page and "已暂停登录" in page and f"近期输错密码 {LIMIT} 次" in page
    admin.post(reverse("users:unlock", args=[world.park.code, world.secretary.pk]))
    assert sign_in(client, username, "pw-for-tests", address="10.0.5.5").status_code == 302
    assert AuditEntry.objects.get(park=world.park, action="account.unlock").target_id == world.secretary.pk


def test_a_deactivated_account_stops_at_once_and_is_reactivated_on_record(client, world, in_park):
    secretary = client.__class__()
    secretary.force_login(world.secretary)
    assert secretary.get(reverse("members:list", args=[world.park.code])).status_code == 200
    client.force_login(world.admin)
    response = client.post(reverse("users:deactivate", args=[world.park.code, world.secretary.pk]), follow=True)
    assert f"已停用 {world.secretary} 的账号。" in response.content.decode()
    answer = secretary.get(reverse("members:list", args=[world.park.code]))
    assert answer.status_code == 302 and answer.url.startswith(LOGIN)  # the open session no longer counts
    assert sign_in(secretary, world.secretary.username, "pw-for-tests").status_code == 200  # the form again
    client.post(reverse("users:activate", args=[world.park.code, world.secretary.pk]))
    assert sign_in(secretary, world.secretary.username, "pw-for-tests").status_code == 302
    assert list(AuditEntry.objects.filter(park=world.park, action__startswith="account.").order_by("pk").values_list("action", flat=True)) == [
        "account.deactivate", "account.activate"]


def test_an_admin_cannot_deactivate_themselves_or_an_account_of_other_parks(client, world, other):
    client.force_login(world.admin)
    response = client.post(reverse("users:deactivate", args=[world.park.code, world.admin.pk]), follow=True)
    assert "不能停用自己的账号。" in response.content.decode()
    shared = UserFactory(full_name="两园区兼职")
    RoleAssignmentFactory(user=shared, role=Role.INSPECTOR, county=world.park.county, park=world.park)
    RoleAssignmentFactory(user=shared, role=Role.INSPECTOR, county=other.park.county, park=other.park)
    response = client.post(reverse("users:deactivate", args=[world.park.code, shared.pk]), follow=True)
    assert "两园区兼职在其他园区或县里也有角色，请联系平台管理员停用。" in response.content.decode()
    shared.refresh_from_db()
    assert shared.is_active
    assert client.post(reverse("users:deactivate", args=[world.park.code, other.secretary.pk])).status_code == 404
    client.force_login(world.secretary)
    assert client.get(reverse("users:list", args=[world.park.code])).status_code == 403


def test_failures_older_than_the_cool_down_no_longer_count_on_the_accounts_page(client, world):
    for n in range(LIMIT):
        sign_in(client, world.secretary.username, "wrong", address=f"10.0.1.{n}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    client.force_login(world.admin)
    page = client.get(reverse("users:list", args=[world.park.code])).content.decode()
    assert "已暂停登录" not in page and "近期输错密码" not in page
