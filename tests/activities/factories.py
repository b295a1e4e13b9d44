"""Factories for the activities app. Objects are created with .create(), which needs no scope.

Each object takes its park from the object it belongs to (an activity from its branch, a sign-up
from its park activity), so `ActivityFactory(branch=world.branch)` lands in world's park.
"""

from datetime import date

import factory

from activities.models import (
    Activity,
    ActivityKind,
    Attachment,
    Attendance,
    CycleSettings,
    EducationPoint,
    ParkActivity,
    SignUp,
)
from orgs.models import Organisation
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory, ParkFactory

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"  # enough for a stored photo


class CycleSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CycleSettings

    park = factory.SubFactory(ParkFactory)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    branch = factory.SubFactory(OrganisationFactory, formation=Organisation.Formation.FALLBACK)
    park = factory.SelfAttribute("branch.park")
    kind = ActivityKind.COMMITTEE
    held_on = date(2026, 11, 2)
    topic = "支委会"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    park = factory.SelfAttribute("activity.park")
    member = factory.SubFactory(MemberFactory, park=factory.SelfAttribute("..park"), branch=factory.SelfAttribute("..activity.branch"))


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A photo of an activity, stored under MEDIA_ROOT like an upload."""

    class Meta:
        model = Attachment

    activity = factory.SubFactory(ActivityFactory)
    park = factory.SelfAttribute("activity.park")
    name = factory.Sequence(lambda n: f"{n}.png")
    file = factory.django.FileField(filename=factory.SelfAttribute("..name"), data=PNG_SIGNATURE)
    content_type = "image/png"
    size = len(PNG_SIGNATURE)
    is_photo = True


class ParkActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParkActivity

    park = factory.SubFactory(ParkFactory)
    kind = ParkActivity.Kind.FORUM
    title = factory.Sequence(lambda n: f"红领英才讲坛第{n}期")
    held_on = date(2026, 10, 1)


class SignUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignUp

    activity = factory.SubFactory(ParkActivityFactory)
    park = factory.SelfAttribute("activity.park")
    member = factory.SubFactory(MemberFactory, park=factory.SelfAttribute("..park"))


class EducationPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationPoint

    signup = factory.SubFactory(SignUpFactory, attended=True)
    park = factory.SelfAttribute("signup.park")
    member = factory.SelfAttribute("signup.member")
    points = factory.SelfAttribute("signup.activity.points")
    earned_on = factory.SelfAttribute("signup.activity.held_on")
