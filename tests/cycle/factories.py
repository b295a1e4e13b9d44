"""Factories for the cycle app (四个一). Objects are created with .create(), which needs no scope.

Objects of one park and period are unique (a job run twice creates nothing twice), so the period
fields default to a sequence where a park may hold several, and to the year 2026 where it holds one.
"""

from datetime import date, timedelta

import factory

from cycle.models import (
    AnnualReview,
    HalfYearSummary,
    InspectionRound,
    Milestone,
    MonthlyMeeting,
    MonthlyReport,
    Nomination,
    Notification,
    Rating,
    SecretaryReport,
    TaskAssignment,
    TaskTemplate,
    WorkTask,
)
from orgs.models import Organisation
from tests.accounts.factories import UserFactory
from tests.orgs.factories import OrganisationFactory, ParkFactory


def _month(n: int) -> date:
    """The n-th month from November 2026: a fresh first-of-month for every meeting or report."""
    months = 2026 * 12 + 10 + n
    return date(months // 12, months % 12 + 1, 1)


def _branch():
    return factory.SubFactory(
        OrganisationFactory, park=factory.SelfAttribute("..park"), formation=Organisation.Formation.FALLBACK
    )


class MonthlyMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyMeeting

    park = factory.SubFactory(ParkFactory)
    month = factory.Sequence(_month)


class TaskTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskTemplate

    park = factory.SubFactory(ParkFactory)
    title = factory.Sequence(lambda n: f"月度任务{n}")


class WorkTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkTask

    meeting = factory.SubFactory(MonthlyMeetingFactory)
    park = factory.SelfAttribute("meeting.park")
    title = factory.Sequence(lambda n: f"任务{n}")
    deadline = factory.LazyAttribute(lambda o: o.meeting.month + timedelta(days=24))  # the 25th


class TaskAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskAssignment

    task = factory.SubFactory(WorkTaskFactory)
    park = factory.SelfAttribute("task.park")
    branch = _branch()
    status = TaskAssignment.Status.OPEN


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReport

    branch = factory.SubFactory(OrganisationFactory, formation=Organisation.Formation.FALLBACK)
    park = factory.SelfAttribute("branch.park")
    month = factory.Sequence(_month)
    activities = "开展三会一课"


class InspectionRoundFactory(factory.django.DjangoModelFactory):
    """A quarter's round, opened on the first day of the quarter's last month."""

    class Meta:
        model = InspectionRound

    park = factory.SubFactory(ParkFactory)
    year = 2026
    quarter = 3
    opens_on = factory.LazyAttribute(lambda o: date(o.year, 3 * o.quarter, 1))
    self_assessment_due = factory.LazyAttribute(lambda o: date(o.year, 3 * o.quarter, 15))
    inspection_due = factory.LazyAttribute(lambda o: date(o.year, 3 * o.quarter, 28))


class HalfYearSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HalfYearSummary

    park = factory.SubFactory(ParkFactory)
    year = 2026
    nominations_due = factory.LazyAttribute(lambda o: date(o.year, 6, 20))


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    summary = factory.SubFactory(HalfYearSummaryFactory)
    park = factory.SelfAttribute("summary.park")
    kind = Nomination.Kind.ORGANISATION
    branch = _branch()
    reason = "推荐"
    status = Nomination.Status.PROPOSED


class AnnualReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReview

    park = factory.SubFactory(ParkFactory)
    year = 2026
    reports_due = factory.LazyAttribute(lambda o: date(o.year, 12, 31))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    review = factory.SubFactory(AnnualReviewFactory)
    park = factory.SelfAttribute("review.park")
    title = factory.Sequence(lambda n: f"专项行动任务{n}")
    due_on = factory.LazyAttribute(lambda o: date(o.review.year, 10, 31))


class SecretaryReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecretaryReport

    review = factory.SubFactory(AnnualReviewFactory)
    park = factory.SelfAttribute("review.park")
    branch = _branch()
    text = "述职"


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    report = factory.SubFactory(SecretaryReportFactory)
    park = factory.SelfAttribute("report.park")
    evaluator = factory.SubFactory(UserFactory)
    grade = Rating.Grade.GOOD


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    park = factory.SubFactory(ParkFactory)
    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"test:{n}")
    message = factory.Sequence(lambda n: f"提醒{n}")
