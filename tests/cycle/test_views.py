"""Cycle pages as their users meet them: a secretary's own branch only, and each user's own reminders."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cycle.models import Notification, Rating, TaskAssignment
from orgs.models import Organisation
from tests.activities.helpers import photo
from tests.cycle.factories import (
    AnnualReviewFactory,
    NotificationFactory,
    SecretaryReportFactory,
    TaskAssignmentFactory,
    WorkTaskFactory,
)
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def sibling(world):
    return OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.FALLBACK)


def test_secretary_sees_and_completes_own_branch_tasks_only(client, world):
    task = WorkTaskFactory(meeting__park=world.park, published_at=timezone.now())
    mine = TaskAssignmentFactory(task=task, branch=world.branch)
    theirs = TaskAssignmentFactory(task=task, branch=sibling(world))
    client.force_login(world.secretary)
    board = client.get(reverse("cycle:tasks", args=[world.park.code]))
    assert [a.pk for a in board.context["assignments"]] == [mine.pk]
    assert client.get(reverse("cycle:task_complete", args=[world.park.code, theirs.pk])).status_code == 404
    response = client.post(
        reverse("cycle:task_complete", args=[world.park.code, mine.pk]), {"note": "已开展", "evidence": [photo("现场.png")]}
    )
    assert response.status_code == 302 and response.url == reverse("cycle:tasks", args=[world.park.code])
    with scopes_disabled():
        mine.refresh_from_db()
        theirs.refresh_from_db()
        assert (mine.status, mine.completed_by, mine.attachments.count()) == (TaskAssignment.Status.DONE, world.secretary, 1)
        assert theirs.status == TaskAssignment.Status.OPEN


def test_review_shows_a_secretary_their_own_report_and_an_inspector_rates(client, world):
    review = AnnualReviewFactory(park=world.park)
    mine = SecretaryReportFactory(review=review, branch=world.branch)
    SecretaryReportFactory(review=review, branch=sibling(world))
    client.force_login(world.secretary)
    page = client.get(reverse("cycle:review", args=[world.park.code, review.pk]))
    assert [report.pk for report, _, _ in page.context["results"]] == [mine.pk]
    client.force_login(world.inspector)
    response = client.post(reverse("cycle:rate", args=[world.park.code, mine.pk]), {"grade": Rating.Grade.GOOD})
    assert response.status_code == 302
    results = {report.pk: (tally, own) for report, tally, own in client.get(reverse("cycle:review", args=[world.park.code, review.pk])).context["results"]}
    assert len(results) == 2
    assert results[mine.pk] == ({"good": 1, "fair_good": 0, "fair": 0, "poor": 0}, "good")


def test_notifications_are_each_users_own_and_read_all_at_once(client, world):
    own = NotificationFactory.create_batch(2, park=world.park, user=world.secretary)
    NotificationFactory(park=world.park, user=world.admin)
    client.force_login(world.secretary)
    listed = client.get(reverse("cycle:notifications", args=[world.park.code])).context["notifications"]
    assert sorted(n.pk for n in listed) == sorted(n.pk for n in own)
    assert client.post(reverse("cycle:notifications_read", args=[world.park.code])).status_code == 302
    with scopes_disabled():
        assert not Notification.objects.filter(user=world.secretary, read_at__isnull=True).exists()
        assert Notification.objects.filter(user=world.admin, read_at__isnull=True).count() == 1
