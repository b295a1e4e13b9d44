"""api.tasks: the kept answers to Idempotency-Key requests are forgotten after the retry window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import IdempotentRequest
from api.tasks import purge_idempotent_requests

pytestmark = pytest.mark.django_db


def test_old_idempotent_answers_are_purged_and_recent_ones_kept(world, settings):
    settings.HONGFAN_IDEMPOTENCY_HOURS = 48

    def kept(key, hours_ago):
        row = IdempotentRequest.objects.create(user=world.secretary, key=key, method="POST", path="/api/x/", status=201, body={})
        IdempotentRequest.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))

    kept("old", 49)
    kept("recent", 47)
    assert purge_idempotent_requests() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["recent"]
