"""Factories for the orgs app. Objects are created with .create(), which needs no scope."""

import itertools

import factory

from core.validators import credit_code_check_char
from orgs.models import (
    County,
    Coverage,
    Enterprise,
    Instructor,
    InstructorAssignment,
    Organisation,
    Park,
    Zone,
)

_codes = itertools.count(1)


def valid_credit_code(n: int | None = None, region: str = "370827") -> str:
    body = f"91{region}{(next(_codes) if n is None else n):09d}"
    return body + credit_code_check_char(body)


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    code = factory.Sequence(lambda n: f"county{n}")
    name = factory.Sequence(lambda n: f"测试县{n}")


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park

    county = factory.SubFactory(CountyFactory)
    code = factory.Sequence(lambda n: f"park{n}")
    name = factory.Sequence(lambda n: f"测试经济开发区{n}")


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"第{n}片区")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.LazyFunction(valid_credit_code)
    industry = "通用设备制造业"
    employees = 50


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"测试党支部{n}")
    kind = Organisation.Kind.BRANCH
    formation = Organisation.Formation.SINGLE


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    organisation = factory.SubFactory(OrganisationFactory)
    park = factory.SelfAttribute("organisation.park")
    enterprise = factory.SubFactory(EnterpriseFactory, park=factory.SelfAttribute("..park"))


class InstructorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instructor

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"指导员{n}")
    unit = "县委组织部"


class InstructorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstructorAssignment

    instructor = factory.SubFactory(InstructorFactory)
    park = factory.SelfAttribute("instructor.park")
    enterprise = factory.SubFactory(EnterpriseFactory, park=factory.SelfAttribute("..park"))
    starts_on = factory.Faker("date_between", start_date="-2y", end_date="-30d")
