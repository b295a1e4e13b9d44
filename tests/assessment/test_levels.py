"""Star levels (星级): the scheme's rules, finalisation with history and reasons, and its query count."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import levels, payouts, rubrics
from assessment.models import AssessmentSettings, StarLevel
from core.tenancy.scoping import park_scope
from members.models import Member
from orgs.models import Organisation
from tests.assessment.helpers import (
    branch_with_enterprise,
    finalise_round,
    items,
    open_round,
    score,
)
from tests.members.factories import MemberFactory, PostTermFactory

pytestmark = pytest.mark.django_db


class TestStarLevels:
    @pytest.mark.parametrize(
        "score, vetoed, previous, max_change, expected",
        [
            (Decimal("95"), False, 4, 1, 5),
            (Decimal("95"), False, 2, 1, 3),  # largest change: one star up
            (Decimal("95"), False, 2, 0, 5),  # 0: no limit
            (Decimal("40"), False, 5, 1, 4),  # one star down
            (Decimal("95"), True, 2, 1, 2),  # veto cap 2
            (Decimal("95"), True, 5, 1, 2),  # the veto cap holds whatever the largest change says (was 4: issue #9)
            (Decimal("40"), True, 5, 1, 2),  # one down to 4 by the largest change, then the cap
            (Decimal("72"), False, 3, 1, 3),
        ],
    )
    def test_rules(self, score, vetoed, previous, max_change, expected):
        settings = AssessmentSettings(max_change=max_change, veto_cap=2)
        level, rule = levels.apply_rules(score=score, vetoed=vetoed, previous=previous, settings=settings)
        assert level == expected
        assert rule.startswith("得分")

    def test_finalise_sets_levels_with_history_and_reasons(self, world, in_park):
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
        strong, vetoed = branch_with_enterprise(world, "甲支部"), branch_with_enterprise(world, "乙支部")
        assessment = rubrics.round_assessment(inspection_round=open_round(world.park))
        score(assessment, strong, {"三会一课": 58, "班子健全": 38})
        score(assessment, vetoed, {"三会一课": 60, "班子健全": 40}, veto=True)
        finalised, batch = finalise_round(world, assessment.round)
        set_levels = {s.branch_id: s for s in StarLevel.objects.filter(assessment=assessment)}
        assert (set_levels[strong.pk].level, set_levels[strong.pk].previous_level, set_levels[strong.pk].score) == (4, 3, Decimal("96.0"))
        assert "每季度最多升降1星" in set_levels[strong.pk].rule
        assert (set_levels[vetoed.pk].level, "一票否决" in set_levels[vetoed.pk].rule) == (2, True)
        with pytest.raises(ValidationError):  # a finalised round is read-only
            score(assessment, strong, {"三会一课": 10})
        with pytest.raises(ValidationError):
            finalise_round(world, assessment.round)

    def test_finalisation_query_count_does_not_grow_with_branches(self, world, other):
        def run(w, n):
            with park_scope(w.park):
                rubrics.rubric_publish(park=w.park, actor=None, items=items(), published_on=date(2026, 1, 1))
                for k in range(n):
                    branch = branch_with_enterprise(w, f"{w.park.code}支部{k}")
                    MemberFactory(park=w.park, branch=branch, post=Member.Post.SECRETARY)
                    PostTermFactory(member=MemberFactory(park=w.park, branch=branch), post=Member.Post.SECRETARY)
                assessment = rubrics.round_assessment(inspection_round=open_round(w.park))
                for branch in Organisation.objects.filter(park=w.park, kind=Organisation.Kind.BRANCH)[:3]:
                    score(assessment, branch, {"三会一课": 50, "班子健全": 30})
                with CaptureQueriesContext(connection) as ctx:
                    finalised = levels.finalise_rounds(assessments=[assessment], actor=None)
                    payouts.draft_payouts(assessments=[assessment], actor=None)
            return len(ctx.captured_queries), len(finalised.levels)

        small, large = run(world, 3), run(other, 30)
        assert small[0] == large[0]
        assert (small[1], large[1]) == (4, 31)  # the fixture's own branch too
