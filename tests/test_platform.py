"""Platform-level pages: health check and the operators' admin site."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.activities.factories import (
    AttachmentFactory,
    AttendanceFactory,
    CycleSettingsFactory,
    EducationPointFactory,
)
from tests.assessment.factories import (
    AssessmentSettingsFactory,
    PayoutBatchFactory,
    RubricItemFactory,
)
from tests.cycle.factories import (
    AnnualReviewFactory,
    MilestoneFactory,
    MonthlyReportFactory,
    NominationFactory,
    NotificationFactory,
    RatingFactory,
    TaskAssignmentFactory,
    TaskTemplateFactory,
)
from tests.members.factories import MemberFactory
from tests.orgs.factories import (
    CoverageFactory,
    InstructorAssignmentFactory,
    ZoneFactory,
)
from tests.points.factories import (
    ActivistCardFactory,
    MemberStarFactory,
    PointBalanceFactory,
    PointEntryFactory,
    StoreItemFactory,
)

pytestmark = pytest.mark.django_db


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_every_model_has_an_admin_page_that_opens(client, world, django_user_model):
    CoverageFactory(organisation=world.branch)
    InstructorAssignmentFactory(instructor__park=world.park)
    ZoneFactory(park=world.park)
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    from django.apps import apps

    MemberFactory(park=world.park, branch=world.branch)
    every_model_of_the_park_apps(world)
    ours = [m for m in apps.get_models() if m._meta.app_label in {"accounts", "orgs", "audit", "members", "imports", "activities", "cycle", "points", "assessment"}]
    assert set(ours) <= set(admin.site._registry)
    for model in ours:
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        first = model._base_manager.first()
        if first is not None:
            change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
            assert change.status_code == 200, opts.label


def every_model_of_the_park_apps(world):
    """One object of each model of activities, cycle, points and assessment, so their change pages open too."""
    park, branch = world.park, world.branch
    CycleSettingsFactory(park=park)
    AttachmentFactory(activity=AttendanceFactory(activity__branch=branch).activity)
    EducationPointFactory(signup__activity__park=park)
    TaskAssignmentFactory(task__meeting__park=park, branch=branch)
    TaskTemplateFactory(park=park)
    MonthlyReportFactory(branch=branch)
    NominationFactory(summary__park=park, branch=branch)
    review = AnnualReviewFactory(park=park)
    MilestoneFactory(review=review)
    RatingFactory(report__review=review, report__branch=branch, evaluator=world.admin)
    NotificationFactory(park=park, user=world.secretary)
    AssessmentSettingsFactory(park=park)
    batch = PayoutBatchFactory(assessment__round__park=park)
    RubricItemFactory(rubric=batch.assessment.rubric)
    member = MemberFactory(park=park, branch=branch)
    PointEntryFactory(member=member)
    PointBalanceFactory(member=member)
    StoreItemFactory(park=park)
    MemberStarFactory(member=member)
    ActivistCardFactory(member__park=park, member__branch=branch)


def test_admin_is_for_superusers_only(client, world):
    world.admin.is_staff = True
    world.admin.save()
    client.force_login(world.admin)
    response = client.get(reverse("admin:orgs_enterprise_changelist"))
    assert response.status_code == 302  # sent to the admin's own sign-in


def test_admin_export_of_enterprises_uses_import_export(client, world, django_user_model):
    CoverageFactory(organisation=world.branch)
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    response = client.get(reverse("admin:orgs_enterprise_export"))
    assert response.status_code == 200


def test_member_admin_never_shows_the_whole_id(client, world, django_user_model):
    member = MemberFactory(park=world.park, branch=world.branch)
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    with scopes_disabled():
        number = member.id_number
    page = client.get(reverse("admin:members_member_change", args=[member.pk])).content.decode()
    assert member.id_masked in page and number not in page
