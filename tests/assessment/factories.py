"""Factories for the assessment app. Objects are created with .create(), which needs no scope.

They build the records as they stand, not through the services: a rubric made here is not
checked to sum to 100 and a batch has no lines. Tests of the rules publish, score and finalise
through assessment.rubrics / scoring / levels instead (see tests/assessment/helpers.py).
"""

from datetime import date
from decimal import Decimal

import factory

from assessment.models import (
    AssessmentSettings,
    PayoutBatch,
    RoundAssessment,
    Rubric,
    RubricItem,
)
from tests.cycle.factories import InspectionRoundFactory
from tests.orgs.factories import ParkFactory


class AssessmentSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentSettings

    park = factory.SubFactory(ParkFactory)


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric

    park = factory.SubFactory(ParkFactory)
    version = factory.Sequence(lambda n: n + 1)
    published_on = date(2026, 1, 1)


class RubricItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricItem

    rubric = factory.SubFactory(RubricFactory)
    park = factory.SelfAttribute("rubric.park")
    position = factory.Sequence(lambda n: n)
    dimension = "组织生活好"
    title = factory.Sequence(lambda n: f"评分项目{n}")
    max_points = Decimal("10")
    measure = RubricItem.Measure.NONE


class RoundAssessmentFactory(factory.django.DjangoModelFactory):
    """An open round pinned to a rubric of its park."""

    class Meta:
        model = RoundAssessment

    round = factory.SubFactory(InspectionRoundFactory)
    park = factory.SelfAttribute("round.park")
    rubric = factory.SubFactory(RubricFactory, park=factory.SelfAttribute("..park"))
    status = RoundAssessment.Status.OPEN


class PayoutBatchFactory(factory.django.DjangoModelFactory):
    """A draft batch of the round's quarter."""

    class Meta:
        model = PayoutBatch

    assessment = factory.SubFactory(RoundAssessmentFactory)
    park = factory.SelfAttribute("assessment.park")
    year = factory.SelfAttribute("assessment.round.year")
    quarter = factory.SelfAttribute("assessment.round.quarter")
    status = PayoutBatch.Status.DRAFT
