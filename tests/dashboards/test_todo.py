"""我的待办 (dashboards.todo): each role's start page lists what it has to do, from the records, and an
item leaves the list as soon as the work is recorded."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.selectors import compliance_gaps
from assessment import rubrics
from core.periods import month_start
from core.roles import Role
from cycle.models import DeadlinePolicy, TaskAssignment
from services.models import Demand, Notice
from services.notices import notice_publish
from tests.accounts.factories import RoleAssignmentFactory
from tests.activities.factories import ActivityFactory
from tests.assessment.helpers import items, open_round, score
from tests.cycle.factories import MonthlyReportFactory, TaskAssignmentFactory
from tests.orgs.factories import (
    CoverageFactory,
    EnterpriseFactory,
    InstructorAssignmentFactory,
    InstructorFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def start(client, world, user):
    client.force_login(user)
    response = client.get(reverse("dashboards:start", args=[world.park.code]))
    assert response.status_code == 200
    return response.content.decode()


def published_task(world, branch, title, deadline, status=TaskAssignment.Status.OPEN):
    return TaskAssignmentFactory(task__meeting__park=world.park, task__title=title, task__deadline=deadline,
                                 task__published_at=timezone.now(), branch=branch, status=status)


def test_the_secretary_sees_tasks_reports_notices_and_demands_and_each_leaves_when_done(client, world, other, in_park):
    today = timezone.localdate()
    late = published_task(world, world.branch, "报送党员信息", today - timedelta(days=3))
    published_task(world, world.branch, "已完成的任务", today, status=TaskAssignment.Status.DONE)
    TaskAssignmentFactory(task__meeting__park=world.park, task__title="未下发的任务", branch=world.branch)
    published_task(other, other.branch, "别的园区的任务", today)
    notice_publish(park=world.park, actor=world.admin, title="关于学习的通知", body="请学习。", kind=Notice.Kind.MEETING,
                   audience=Notice.Audience.ALL_BRANCHES)
    enterprise = CoverageFactory(organisation=world.branch, enterprise=EnterpriseFactory(park=world.park, name="甲科技")).enterprise
    Demand.objects.create(park=world.park, enterprise=enterprise, category="用工招聘", description="招焊工", state=Demand.State.RESOLVED,
                          raised_by=world.secretary, raised_at=timezone.now())

    page = start(client, world, world.secretary)
    assert "报送党员信息" in page and "已逾期3天" in page
    assert "已完成的任务" not in page and "未下发的任务" not in page and "别的园区的任务" not in page
    last_month = month_start(month_start(today) - timedelta(days=1))
    assert f"{last_month:%Y年%m月}月报告未报送" in page
    assert "未读：关于学习的通知" in page
    assert "甲科技：用工招聘" in page

    late.status = TaskAssignment.Status.DONE
    late.save()
    MonthlyReportFactory(branch=world.branch, month=last_month)
    page = start(client, world, world.secretary)
    assert "报送党员信息" not in page and "月报告未报送" not in page


def test_meetings_owed_come_from_the_compliance_rule_and_leave_once_held(client, world, in_park):
    today = timezone.localdate()
    owed = [g for g in compliance_gaps(world.park, today) if g.branch == world.branch]
    assert owed, "a new branch owes this period's meetings"
    page = start(client, world, world.secretary)
    for gap in owed:
        assert f"{gap.kind_label}（{gap.period}）" in page
    first = owed[0]
    ActivityFactory(branch=world.branch, kind=first.kind, held_on=today)
    assert f"{first.kind_label}（{first.period}）" not in start(client, world, world.secretary)


def test_the_inspector_sees_the_branches_left_to_score_by_deadline(client, world, in_park):
    rubrics.rubric_publish(park=world.park, actor=world.admin, items=items(), published_on=month_start(timezone.localdate()))
    today = timezone.localdate()
    assessment = rubrics.round_assessment(inspection_round=open_round(world.park, year=today.year, quarter=(today.month - 1) // 3 + 1))
    second = OrganisationFactory(park=world.park, parent=world.work_committee, name="乙支部")
    page = start(client, world, world.inspector)
    assert f"{assessment.round} · {world.branch.name}" in page and f"{assessment.round} · 乙支部" in page
    assert reverse("assessment:score", args=[world.park.code, assessment.round_id, second.pk]) in page
    score(assessment, second, {"三会一课": 50, "班子健全": 30})
    page = start(client, world, world.inspector)
    assert f"{assessment.round} · 乙支部" not in page and f"{assessment.round} · {world.branch.name}" in page


def test_the_instructor_sees_enterprises_owed_a_visit(client, world, in_park):
    instructor = InstructorFactory(park=world.park, user=world.instructor_user)
    InstructorAssignmentFactory(instructor=instructor, enterprise=EnterpriseFactory(park=world.park, name="丙制造"))
    page = start(client, world, world.instructor_user)
    assert "丙制造：本季度已走访0次，还应走访1次" in page


def test_a_secretary_with_nothing_left_is_told_so(client, world, in_park):
    world.branch.dissolved_on = timezone.localdate() - timedelta(days=400)
    world.branch.save()
    assert "今天没有待办事项" in start(client, world, world.secretary)


def test_roles_without_a_to_do_page_are_refused(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("dashboards:start", args=[world.park.code])).status_code == 403


def test_the_queries_do_not_grow_with_the_work(client, world, in_park):
    today = timezone.localdate()

    def count():
        client.force_login(world.secretary)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboards:start", args=[world.park.code])).status_code == 200
        return len(captured)

    published_task(world, world.branch, "任务一", today)
    few = count()
    second = OrganisationFactory(park=world.park, parent=world.work_committee, name="乙支部")
    RoleAssignmentFactory(user=world.secretary, role=Role.BRANCH_SECRETARY, county=world.park.county, park=world.park, organisation=second)
    for n in range(15):
        published_task(world, second if n % 2 else world.branch, f"任务{n}", today + timedelta(days=n))
    assert count() == few


def test_work_past_a_deadline_the_park_closes_is_no_longer_asked_for(client, world, in_park):
    today = timezone.localdate()
    published_task(world, world.branch, "逾期仍可完成的任务", today - timedelta(days=3))
    assert "逾期仍可完成的任务" in start(client, world, world.secretary)  # tasks accept late work by default
    DeadlinePolicy.objects.create(park=world.park, kind=DeadlinePolicy.Kind.TASK, policy=DeadlinePolicy.Policy.CLOSE)
    assert "逾期仍可完成的任务" not in start(client, world, world.secretary)
