"""The round's two deadlines (cycle.deadlines): the branch's self-assessment by self_assessment_due,
the inspectors' scores by inspection_due — before, on the day and after, under both policies,
through the service, the scoring page and the API."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from assessment import rubrics, scoring
from assessment.models import ItemScore, RubricItem
from assessment.selectors import round_totals
from audit.models import AuditEntry
from cycle.models import DeadlinePolicy
from tests.api.helpers import bearer
from tests.assessment.helpers import items, open_round
from tests.cycle.test_deadlines import set_policy
from tests.support import on_day as on

pytestmark = pytest.mark.django_db
Kind, Policy = DeadlinePolicy.Kind, DeadlinePolicy.Policy
# open_round: 2026 Q3, opened 1 September, self-assessment by the 15th, inspection by the 28th
SELF_DUE, INSPECTION_DUE = date(2026, 9, 15), date(2026, 9, 28)


def started(world):
    rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=date(2026, 1, 1))
    return rubrics.round_assessment(inspection_round=open_round(world.park))


def save(world, assessment, *, as_inspector, day):
    item = RubricItem.objects.get(rubric=assessment.rubric, title="三会一课")
    return scoring.scores_save(assessment=assessment, branch=world.branch, actor=world.inspector if as_inspector else world.secretary,
                               entries={item: (Decimal("50"), "", False, None)}, as_inspector=as_inspector, today=day)


@pytest.mark.parametrize("as_inspector, due, kind, label", [
    (False, SELF_DUE, Kind.SELF_ASSESSMENT, "支部自查评分"), (True, INSPECTION_DUE, Kind.INSPECTION, "巡查检查评分"),
])
class TestSheetDeadlines:
    def test_taken_before_and_on_the_day(self, world, in_park, as_inspector, due, kind, label):
        assessment = started(world)
        save(world, assessment, as_inspector=as_inspector, day=date(2026, 9, 2))
        save(world, assessment, as_inspector=as_inspector, day=due)
        score = ItemScore.objects.get(assessment=assessment, branch=world.branch)
        assert (score.scored_on if as_inspector else score.self_scored_on) == due
        assert "days_late" not in AuditEntry.objects.filter(action__startswith="assessment.").last().changes

    def test_closed_after_the_day_by_default(self, world, in_park, as_inspector, due, kind, label):
        assessment = started(world)
        with pytest.raises(ValidationError) as refused:
            save(world, assessment, as_inspector=as_inspector, day=date(2026, 9, 30))
        assert refused.value.messages == [f"{label}已于{due:%Y-%m-%d}截止，逾期不再受理。"]
        assert not ItemScore.objects.filter(assessment=assessment).exists()

    def test_accepted_late_marked_when_the_park_says_so(self, world, in_park, as_inspector, due, kind, label):
        set_policy(world.park, kind, Policy.ACCEPT_LATE)
        assessment = started(world)
        save(world, assessment, as_inspector=as_inspector, day=date(2026, 9, 30))
        late = (date(2026, 9, 30) - due).days
        assert AuditEntry.objects.filter(action__startswith="assessment.").last().changes["days_late"] == [None, late]
        assert round_totals(assessment=assessment)[world.branch.pk]["late" if as_inspector else "self_late"] == late


def test_the_pages_state_the_rule_close_the_sheet_and_list_the_days_late(client, world):
    with scopes_disabled():
        assessment = started(world)
        set_policy(world.park, Kind.INSPECTION, Policy.ACCEPT_LATE)
    inspection_round = assessment.round
    sheet_url = reverse("assessment:score", args=[world.park.code, inspection_round.pk, world.branch.pk])
    client.force_login(world.secretary)
    with on(date(2026, 9, 15)):
        page = client.get(sheet_url).content.decode()
        assert "自查评分截止 2026-09-15，逾期不再受理" in page and "保存自查评分" in page
    with on(date(2026, 9, 16)):
        page = client.get(sheet_url).content.decode()
        assert "已截止，不再受理。" in page and "保存自查评分" not in page and 'name="points_' not in page
    client.force_login(world.inspector)
    with on(date(2026, 10, 2)):
        page = client.get(sheet_url).content.decode()
        assert "检查评分截止 2026-09-28，逾期仍可提交，将标记为逾期" in page and "已逾期 4 天" in page
        with scopes_disabled():
            item = RubricItem.objects.get(rubric=assessment.rubric, title="三会一课")
        client.post(sheet_url, {f"points_{item.pk}": "50"})
        round_page = client.get(reverse("assessment:round", args=[world.park.code, inspection_round.pk])).content.decode()
    assert "巡查检查评分截止 2026-09-28，逾期仍可提交，将标记为逾期" in round_page and "逾期 4 天" in round_page


def test_the_api_refuses_a_closed_sheet_and_takes_a_late_one(client, world):
    with scopes_disabled():
        assessment = started(world)
        item = RubricItem.objects.get(rubric=assessment.rubric, title="三会一课")
    sheet_url = reverse("api:round-scores", args=[world.park.code, assessment.round_id])
    body = {"branch": world.branch.pk, "scores": [{"item": item.pk, "points": "50"}]}
    with on(date(2026, 9, 16)):
        refused = client.post(sheet_url, body, content_type="application/json", **bearer(world.secretary))
        assert refused.status_code == 400 and refused.json()["non_field_errors"] == ["支部自查评分已于2026-09-15截止，逾期不再受理。"]
        assert client.post(sheet_url, body, content_type="application/json", **bearer(world.inspector)).status_code == 200  # not yet due
    with on(date(2026, 9, 29)):
        refused = client.post(sheet_url, body, content_type="application/json", **bearer(world.inspector))
        assert refused.status_code == 400 and "巡查检查评分已于2026-09-28截止" in refused.json()["non_field_errors"][0]
        with scopes_disabled():
            set_policy(world.park, Kind.INSPECTION, Policy.ACCEPT_LATE)
        assert client.post(sheet_url, body, content_type="application/json", **bearer(world.inspector)).status_code == 200
    with scopes_disabled():
        assert ItemScore.objects.get(assessment=assessment, branch=world.branch).scored_on == date(2026, 9, 29)
