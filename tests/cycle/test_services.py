"""Cycle services (四个一): the monthly work list, reports, nominations, the annual review and the
park's reminder schedule — their rules and Chinese messages."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_celery_beat.models import PeriodicTask
from django_scopes import scopes_disabled

from activities.models import CycleSettings
from cycle import services as cycle_services
from cycle.models import Nomination, Notification, Rating, TaskAssignment, TaskTemplate
from orgs.models import Organisation
from tests.activities.helpers import photo
from tests.cycle.factories import (
    AnnualReviewFactory,
    HalfYearSummaryFactory,
    MonthlyMeetingFactory,
)
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


class TestWorkList:
    def test_publish_complete_and_republish(self, world, in_park):
        meeting = MonthlyMeetingFactory(park=world.park, month=date(2026, 11, 1))
        task = cycle_services.task_add(meeting=meeting, actor=world.admin, title="开展主题党日", deadline=date(2026, 11, 25))
        with pytest.raises(ValidationError):
            cycle_services.task_add(meeting=meeting, actor=world.admin, title="太早", deadline=date(2026, 10, 31))
        assert cycle_services.task_publish(task=task, actor=world.admin) == 1  # the park has one branch
        told = Notification.objects.get(key=f"task:{task.pk}")  # the branch is told, as by a notice
        assert told.user == world.secretary and told.message == "新的月工作任务：开展主题党日，请于11月25日前完成。"
        OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.FALLBACK)
        assert cycle_services.task_publish(task=task, actor=world.admin) == 1  # only the new branch
        assignment = TaskAssignment.objects.get(branch=world.branch)
        with pytest.raises(ValidationError) as exc:
            cycle_services.task_complete(assignment=assignment, actor=world.secretary, note="")
        assert exc.value.message_dict == {"note": ["请填写完成情况。"]}
        cycle_services.task_complete(assignment=assignment, actor=world.secretary, note="已开展", evidence=[photo()])
        assert assignment.status == "done" and assignment.attachments.count() == 1
        with pytest.raises(ValidationError):
            cycle_services.task_complete(assignment=assignment, actor=world.secretary, note="再次")


class TestReports:
    def test_one_report_a_branch_a_month(self, world, in_park):
        cycle_services.report_file(park=world.park, actor=world.secretary, branch=world.branch, month=date(2026, 10, 15), activities="开展三会一课")
        with pytest.raises(ValidationError) as exc:
            cycle_services.report_file(park=world.park, actor=world.secretary, branch=world.branch, month=date(2026, 10, 1), activities="再报")
        assert exc.value.message_dict == {"month": ["2026年10月的月报告已经报送。"]}


class TestHalfYearAndReview:
    def test_nominations(self, world, in_park):
        summary = HalfYearSummaryFactory(park=world.park, year=2026, nominations_due=date(2026, 6, 20))
        member = MemberFactory(park=world.park, branch=world.branch)
        with pytest.raises(ValidationError) as exc:
            cycle_services.nomination_propose(summary=summary, actor=world.secretary, branch=world.branch, kind=Nomination.Kind.MEMBER, reason="表现突出", today=date(2026, 6, 10))
        assert "member" in exc.value.message_dict
        with pytest.raises(ValidationError):
            cycle_services.nomination_propose(summary=summary, actor=world.secretary, branch=world.branch, kind=Nomination.Kind.ORGANISATION, reason="好", today=date(2026, 6, 21))
        nomination = cycle_services.nomination_propose(
            summary=summary, actor=world.secretary, branch=world.branch, kind=Nomination.Kind.MEMBER, member=member, reason="表现突出", today=date(2026, 6, 10)
        )
        cycle_services.nomination_decide(nomination=nomination, actor=world.admin, approve=True)
        assert Nomination.objects.get().status == "approved"
        with pytest.raises(ValidationError):
            cycle_services.nomination_decide(nomination=nomination, actor=world.admin, approve=False)

    def test_one_report_per_branch_and_one_rating_per_evaluator(self, world, in_park):
        review = AnnualReviewFactory(park=world.park, year=2026, reports_due=date(2026, 12, 31))
        report = cycle_services.secretary_report_submit(review=review, actor=world.secretary, branch=world.branch, text="述职")
        with pytest.raises(ValidationError):
            cycle_services.secretary_report_submit(review=review, actor=world.secretary, branch=world.branch, text="再次")
        cycle_services.rating_give(report=report, actor=world.admin, grade=Rating.Grade.GOOD)
        cycle_services.rating_give(report=report, actor=world.admin, grade=Rating.Grade.FAIR_GOOD)
        cycle_services.rating_give(report=report, actor=world.inspector, grade=Rating.Grade.GOOD)
        assert sorted(Rating.objects.values_list("grade", flat=True)) == ["fair_good", "good"]


def test_settings_update_moves_the_parks_reminder_time(world, in_park):
    cycle_services.cycle_settings_update(park=world.park, actor=world.admin, reminder_hour=7)
    entry = PeriodicTask.objects.get(name=cycle_services.reminder_task_name(world.park))
    assert (entry.task, entry.crontab.hour, json.loads(entry.args)) == ("cycle.tasks.park_reminders", "7", [world.park.pk])
    cycle_services.cycle_settings_update(park=world.park, actor=world.admin, reminder_hour=18)
    entry.refresh_from_db()
    assert entry.crontab.hour == "18"
    assert PeriodicTask.objects.filter(task="cycle.tasks.park_reminders").count() == 1
    with pytest.raises(ValidationError):
        cycle_services.cycle_settings_update(park=world.park, actor=world.admin, reminder_hour=24)
    with scopes_disabled():
        assert CycleSettings.objects.get(park=world.park).reminder_hour == 18


def test_task_templates_are_kept_and_offered(world, in_park):
    meeting = MonthlyMeetingFactory(park=world.park, month=date(2026, 11, 1))
    cycle_services.task_add(meeting=meeting, actor=world.admin, title="开展主题党日", deadline=date(2026, 11, 25), save_as_template=True)
    template = TaskTemplate.objects.get()
    task = cycle_services.task_add(meeting=meeting, actor=world.admin, title="", deadline=date(2026, 11, 28), template=template)
    assert task.title == "开展主题党日"
