"""Factories for the points app. Objects are created with .create(), which needs no scope.

A PointEntryFactory does not credit the member's balance, as points_add does: use the service when
the balance matters, or PointBalanceFactory for a balance on its own.
"""

from datetime import date

import factory

from members.models import Member
from points.models import (
    ActivistCard,
    MemberStar,
    PointBalance,
    PointEntry,
    StarCategory,
    StoreItem,
)
from tests.members.factories import MemberFactory
from tests.orgs.factories import ParkFactory


class StoreItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoreItem

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"积分超市物品{n}")
    cost = 8
    stock = 1


class PointEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointEntry

    member = factory.SubFactory(MemberFactory)
    park = factory.SelfAttribute("member.park")
    month = date(2026, 11, 1)
    category = StarCategory.STUDY
    points = 2
    reason = "学习"


class PointBalanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointBalance

    member = factory.SubFactory(MemberFactory)
    park = factory.SelfAttribute("member.park")
    balance = 10


class MemberStarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberStar

    member = factory.SubFactory(MemberFactory)
    park = factory.SelfAttribute("member.park")
    year = 2026
    quarter = 3
    category = StarCategory.STUDY
    points = 10


class ActivistCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivistCard

    member = factory.SubFactory(MemberFactory, stage=Member.Stage.ACTIVIST, joined_on=None, full_on=None)
    park = factory.SelfAttribute("member.park")
    year = 2026
    quarter = 4
    political = 25
    discipline = 24
    solidarity = 20
    performance = 23
