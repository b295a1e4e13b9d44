"""The Django admin's member pages: the operators' view, which never bypasses the park's records."""

import pytest
from django.urls import reverse

from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_adding_a_member_in_the_admin_is_not_offered_and_answers_no_500(client, django_user_model, world):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    assert client.get(reverse("admin:members_member_add")).status_code == 403  # was 500
    member = MemberFactory(park=world.park, branch=world.branch)
    page = client.get(reverse("admin:members_member_change", args=[member.pk]))
    assert page.status_code == 200
    assert member.id_masked in page.content.decode() and member.id_number not in page.content.decode()
    assert "branch" not in page.context["adminform"].form.fields  # moved by transfer only
