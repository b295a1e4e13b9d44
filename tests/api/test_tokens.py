"""Tokens: got with a password (throttled and locked out like the sign-in page), stored hashed,
listed and revoked by their owner only, and refused at once when revoked, expired, or the user is
deactivated or loses the role."""

import hashlib
import secrets
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import RoleAssignment
from api.models import ApiToken
from audit.models import AuditEntry
from tests.api.helpers import bearer, key_for

OBTAIN = "/api/v1/auth/token/"


def tasks_url(world):
    return reverse("api:task-list", args=[world.park.code])


@pytest.mark.django_db
def test_password_gives_a_token_that_is_stored_hashed(client, world):
    world.secretary.set_password("正确的密码-2026")
    world.secretary.save()
    response = client.post(OBTAIN, {"username": world.secretary.username, "password": "正确的密码-2026", "name": "手机"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    key = body["key"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in str(ApiToken.objects.values().get(pk=token.pk))
    assert (token.expires_at - timezone.now()).days in (89, 90)  # the default, a setting
    assert client.get(tasks_url(world), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_401_in_chinese_and_the_lockout_is_429(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    world.secretary.set_password("正确的密码-2026")
    world.secretary.save()
    wrong = {"username": world.secretary.username, "password": "错", "name": "手机"}
    first = client.post(OBTAIN, wrong, content_type="application/json")
    assert first.status_code == 401 and "密码" in first.json()["detail"]
    for _ in range(3):
        response = client.post(OBTAIN, wrong, content_type="application/json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0 and "分钟" in response.json()["detail"]
    right = {**wrong, "password": "正确的密码-2026"}
    assert client.post(OBTAIN, right, content_type="application/json").status_code == 429  # locked, even with the password


@pytest.mark.django_db
def test_token_sign_in_is_throttled_per_address(client, world, settings):
    settings.HONGFAN_API_RATES = {**settings.HONGFAN_API_RATES, "signin": "2/min"}
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"  # a history of its own
    statuses = [client.post(OBTAIN, {"username": f"nobody{i}", "password": "x", "name": "a"}, content_type="application/json",
                            REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code for i in range(3)]
    assert statuses[:2] == [401, 401] and statuses[2] == 429


@pytest.mark.django_db
def test_missing_or_malformed_token_is_401_json(client, world):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer hf_nonsense"}, {"HTTP_AUTHORIZATION": "Bearer " + "x" * 5000}):
        response = client.get(tasks_url(world), **headers)
        assert response.status_code == 401, headers
        assert response["Content-Type"].startswith("application/json") and response.json()["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_revoked_expired_and_deactivated_tokens_are_refused_at_once(client, world):
    url = tasks_url(world)
    revoked = key_for(world.secretary)
    token = ApiToken.objects.filter(user=world.secretary).latest("pk")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {revoked}").status_code == 200
    response = client.post(reverse("api:token-revoke", args=[token.pk]), HTTP_AUTHORIZATION=f"Bearer {revoked}")
    assert response.status_code == 200 and response.json()["revoked_at"]
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {revoked}").status_code == 401

    expired = key_for(world.secretary)
    ApiToken.objects.filter(user=world.secretary).exclude(revoked_at__isnull=False).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {expired}").status_code == 401

    live = key_for(world.secretary)
    world.secretary.is_active = False
    world.secretary.save()
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {live}").status_code == 401


@pytest.mark.django_db
def test_a_user_who_loses_the_role_loses_the_park(client, world):
    headers = bearer(world.secretary)
    assert client.get(tasks_url(world), **headers).status_code == 200
    RoleAssignment.objects.filter(user=world.secretary).delete()
    assert client.get(tasks_url(world), **headers).status_code == 404


@pytest.mark.django_db
def test_tokens_are_listed_and_revoked_by_their_owner_only(client, world):
    mine = bearer(world.secretary)
    theirs = key_for(world.admin)
    their_token = ApiToken.objects.get(user=world.admin)
    listed = client.get(reverse("api:token-list"), **mine).json()["results"]
    assert [t["name"] for t in listed] == ["测试"] and "key" not in listed[0]
    assert client.get(reverse("api:token-detail", args=[their_token.pk]), **mine).status_code == 404
    assert client.post(reverse("api:token-revoke", args=[their_token.pk]), **mine).status_code == 404
    assert client.get(tasks_url(world), HTTP_AUTHORIZATION=f"Bearer {theirs}").status_code == 200


@pytest.mark.django_db
def test_creating_and_revoking_a_token_is_written_in_each_park_the_user_works_in(client, world, other):
    RoleAssignment.objects.create(user=world.admin, role="inspector", county=other.park.county, park=other.park)
    key_for(world.admin)
    token = ApiToken.objects.get(user=world.admin)
    client.post(reverse("api:token-revoke", args=[token.pk]), HTTP_AUTHORIZATION=f"Bearer {key_for(world.secretary)}")  # not theirs: nothing
    client.force_login(world.admin)
    assert client.post(reverse("api:token-revoke", args=[token.pk])).status_code == 200
    with scopes_disabled():
        entries = sorted((e.park_id, e.action, e.actor_id) for e in AuditEntry.objects.filter(target_type="api.apitoken", target_id=token.pk))
    assert entries == sorted((park.pk, action, world.admin.pk) for park in (world.park, other.park)
                             for action in ("api.token_create", "api.token_revoke"))


def test_a_token_made_with_a_token_is_read_only_if_asked_and_names_are_checked(client, world):
    headers = bearer(world.secretary)
    bad = client.post(reverse("api:token-list"), {"name": "  ", "days": 9999}, content_type="application/json", **headers)
    assert bad.status_code == 400 and set(bad.json()) >= {"name", "days"}
    made = client.post(reverse("api:token-list"), {"name": "只读", "read_only": True, "days": 7}, content_type="application/json", **headers)
    assert made.status_code == 201 and made.json()["read_only"] is True
    read_only = {"HTTP_AUTHORIZATION": f"Bearer {made.json()['key']}"}
    assert client.get(tasks_url(world), **read_only).status_code == 200
    refused = client.post(reverse("api:token-list"), {"name": "再来"}, content_type="application/json", **read_only)
    assert refused.status_code == 403 and "只读" in refused.json()["detail"]


@pytest.mark.django_db
def test_the_signed_in_browser_uses_the_api_with_its_session_and_csrf(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.secretary)
    assert browser.get(tasks_url(world)).status_code == 200
    assert browser.post(reverse("api:token-list"), {"name": "x"}, content_type="application/json").status_code == 403  # no CSRF token
