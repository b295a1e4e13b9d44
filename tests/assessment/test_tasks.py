"""The assessment's Celery tasks: the county's recalculation finalises every park's open round."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from assessment import rubrics
from assessment.models import PayoutBatch
from assessment.tasks import finalise_county
from core.tenancy.scoping import park_scope
from tests.assessment.helpers import items, open_round

pytestmark = pytest.mark.django_db


def test_county_recalculation_task_finalises_every_parks_round(world, other):
    for w in (world, other):
        with park_scope(w.park):
            rubrics.rubric_publish(park=w.park, actor=None, items=items(), published_on=date(2026, 1, 1))
            rubrics.round_assessment(inspection_round=open_round(w.park))
    assert finalise_county.apply(args=[world.park.county_id, 2026, 3]).get() == 2
    assert finalise_county.apply(args=[world.park.county_id, 2026, 3]).get() == 0  # nothing left open
    with scopes_disabled():
        assert PayoutBatch.objects.count() == 2
