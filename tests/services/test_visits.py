"""走访 (services.visits): logging a visit to an assigned enterprise, a problem becoming a demand in
one step, and what is due this quarter."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.access import park_access
from services import visits
from services.models import Demand, Visit
from tests.orgs.factories import (
    EnterpriseFactory,
    InstructorAssignmentFactory,
    InstructorFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 21)


@pytest.fixture
def assigned(world, in_park):
    instructor = InstructorFactory(park=world.park, user=world.instructor_user, name="赵指导员")
    mine = [EnterpriseFactory(park=world.park, name=n) for n in ("甲公司", "乙公司")]
    for enterprise in mine:
        InstructorAssignmentFactory(instructor=instructor, enterprise=enterprise, starts_on=date(2026, 1, 1))
    return instructor, mine


def log(world, enterprise, **kw):
    values = dict(park=world.park, access=park_access(world.instructor_user, world.park), actor=world.instructor_user,
                  enterprise=enterprise, visited_on=TODAY - timedelta(days=1), met="总经理王某", topics="了解用工情况", today=TODAY)
    return visits.visit_log(**{**values, **kw})


def test_a_problem_found_becomes_a_demand_in_one_step(world, assigned):
    instructor, (first, second) = assigned
    visit = log(world, first, problems="缺少技术工人", raise_demand=True, category="用工招聘")
    demand = Demand.objects.get(pk=visit.demand_id)
    assert (demand.enterprise, demand.raised_by, demand.category) == (first, world.instructor_user, "用工招聘")
    assert demand.description == "走访发现：缺少技术工人"
    with pytest.raises(ValidationError) as nothing:
        log(world, second, raise_demand=True, category="其他")
    assert nothing.value.message_dict == {"problems": ["要转为诉求，请先填写发现的问题。"]}


def test_only_assigned_enterprises_and_no_future_dates(world, assigned):
    stranger = EnterpriseFactory(park=world.park)
    with pytest.raises(ValidationError) as refused:
        log(world, stranger, visited_on=TODAY + timedelta(days=1))
    assert set(refused.value.message_dict) == {"enterprise", "visited_on"}
    assert not Visit.objects.exists()


def test_what_is_due_this_quarter_and_the_instructors_start_page(client, world, assigned):
    instructor, (first, second) = assigned
    log(world, first)
    due = {d.enterprise.name: (d.visits, d.owed) for d in visits.visits_due(park=world.park, on=TODAY, instructor=instructor)}
    assert due == {"甲公司": (1, 0), "乙公司": (0, 1)}
    client.force_login(world.instructor_user)
    home = client.get(reverse("home"), follow=True)
    assert home.redirect_chain[-1][0] == reverse("dashboards:start", args=[world.park.code])  # 我的待办
    page = home.content.decode()
    assert "乙公司：本季度已走访0次，还应走访1次" in page and "甲公司：本季度" not in page
    client.force_login(world.admin)
    office = client.get(reverse("services:visits", args=[world.park.code]))
    assert [d.enterprise.name for d in office.context["unvisited"]] == ["乙公司"]
    assert list(office.context["per_instructor"]) == [{"instructor__name": "赵指导员", "n": 1}]
