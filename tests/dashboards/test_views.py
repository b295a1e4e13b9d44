"""The park overview: every figure from the records already held."""

import pytest
from django.urls import reverse

from tests.orgs.factories import CoverageFactory

pytestmark = pytest.mark.django_db


def test_park_home_shows_coverage(client, world):
    CoverageFactory(organisation=world.branch)
    client.force_login(world.inspector)
    response = client.get(reverse("dashboards:park_home", args=[world.park.code]))
    assert response.context["coverage"].org_rate == 100.0
    assert "党组织覆盖率" in response.content.decode()
