"""The assessment's steps on the cycle's daily run (assessment.jobs)."""

from datetime import date

import pytest

from assessment.jobs import job_round_assessment
from assessment.models import RoundAssessment
from cycle.jobs import job_inspection_round
from cycle.models import Notification

pytestmark = pytest.mark.django_db


def test_a_round_opened_by_the_cycle_is_pinned_and_every_branch_is_told_once(world, in_park):
    day = date(2026, 12, 1)
    assert job_inspection_round(world.park, day) == 1
    assert job_round_assessment(world.park, day) == 1
    assert job_round_assessment(world.park, day) == 0
    assert RoundAssessment.objects.filter(park=world.park).count() == 1
    told = Notification.objects.get(key__startswith="round-open:")
    assert told.user == world.secretary and "请于12月15日前完成自查初评" in told.message
