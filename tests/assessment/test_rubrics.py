"""Rubrics (评分细则): the checks on a version, its text form, and which version a round uses."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment import rubrics
from assessment.rubrics import parse_rubric_text, rubric_errors
from tests.assessment.helpers import items, open_round

pytestmark = pytest.mark.django_db


class TestRubric:
    def test_a_rubric_not_summing_to_100_is_refused(self, world, in_park):
        assert rubric_errors(items(total=95)) == ["各评分项目分值合计应为100分，当前为95分。"]
        with pytest.raises(ValidationError):
            rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(total=95))
        assert rubrics.rubric_publish(park=world.park, actor=world.admin, items=items()).version == 1

    def test_veto_items_carry_no_points_and_titles_are_unique(self, world):
        bad = items() + [{"dimension": "x", "title": "班子健全", "max_points": Decimal("1"), "is_veto": False, "measure": ""}]
        bad[2]["max_points"] = Decimal("5")
        errors = rubric_errors(bad)
        assert any("一票否决项，不计分值" in e for e in errors) and any("重名" in e for e in errors)

    def test_text_form(self):
        parsed, errors = parse_rubric_text("组织生活好｜三会一课｜60｜自动:三会一课\n领导班子好|班子健全|40分\n一票否决｜重大事故")
        assert errors == [] and rubric_errors(parsed) == []
        assert [p["measure"] for p in parsed] == ["meetings", "", ""]
        assert parse_rubric_text("没有分隔")[1]

    def test_a_new_version_applies_to_rounds_opened_after_it(self, world, in_park):
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
        q1 = rubrics.round_assessment(inspection_round=open_round(world.park, quarter=1))
        revised = items(veto=False) + [{"dimension": "一票否决", "title": "严重违纪", "max_points": Decimal("0"), "is_veto": True, "measure": ""}]
        rubrics.rubric_publish(park=world.park, actor=world.admin, items=revised, published_on=date(2026, 4, 1))
        q2 = rubrics.round_assessment(inspection_round=open_round(world.park, quarter=2))
        assert (q1.rubric.version, q2.rubric.version) == (1, 2)
        assert rubrics.round_assessment(inspection_round=q1.round).rubric.version == 1  # kept
