"""Scoring a branch in a round: each item's points within its range."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from assessment import rubrics
from tests.assessment.helpers import items, open_round, score

pytestmark = pytest.mark.django_db


class TestScoring:
    def test_scores_out_of_range_are_refused(self, world, in_park):
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
        assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
        with pytest.raises(ValidationError) as exc:
            score(assessment, world.branch, {"三会一课": 61})
        assert exc.value.messages == ["“三会一课”的得分应在0到60之间。"]
