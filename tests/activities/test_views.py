"""Activity pages as their users meet them."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from activities.models import Activity, Attachment
from orgs.models import Organisation
from tests.activities.factories import (
    ActivityFactory,
    AttachmentFactory,
    AttendanceFactory,
)
from tests.activities.helpers import PNG
from tests.orgs.factories import OrganisationFactory
from tests.support import on_day

pytestmark = pytest.mark.django_db


def activity(world, branch=None, photos=2, present=3):
    a = ActivityFactory(branch=branch or world.branch)
    AttendanceFactory.create_batch(present, activity=a)
    AttachmentFactory.create_batch(photos, activity=a)
    return a


def test_list_counts_attendees_and_photos_separately(client, world):
    activity(world, photos=2, present=3)
    client.force_login(world.admin)
    row = client.get(reverse("activities:list", args=[world.park.code])).context["activities"][0]
    assert (row.present, row.photos) == (3, 2)


def test_secretary_sees_own_branch_activities_and_photos_only(client, world):
    mine = activity(world)
    theirs = activity(world, branch=OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.FALLBACK))
    client.force_login(world.secretary)
    listed = client.get(reverse("activities:list", args=[world.park.code])).context["activities"]
    assert [a.pk for a in listed] == [mine.pk]
    assert client.get(reverse("activities:detail", args=[world.park.code, theirs.pk])).status_code == 404
    with scopes_disabled():
        photo, own_photo = theirs.attachments.first(), mine.attachments.first()
    assert client.get(reverse("activities:attachment", args=[world.park.code, photo.pk])).status_code == 404
    own = client.get(reverse("activities:attachment", args=[world.park.code, own_photo.pk]))
    assert own.status_code == 200 and own["Content-Type"] == "image/png"
    assert own["Content-Disposition"].startswith("inline; filename*=UTF-8''") and own["X-Content-Type-Options"] == "nosniff"


def test_inspector_cannot_record(client, world):
    client.force_login(world.inspector)
    assert client.get(reverse("activities:create", args=[world.park.code])).status_code == 403


def test_admin_sees_the_due_soon_list(client, world):
    client.force_login(world.admin)
    response = client.get(f"/p/{world.park.code}/compliance/")  # this quarter: nothing held yet
    assert response.status_code == 200
    assert response.context["gaps"] > 0
    assert "未开" in response.content.decode()


def test_bad_compliance_parameters_are_404(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("activities:compliance", args=[world.park.code]), {"year": "x"}).status_code == 404
    assert client.get(reverse("activities:compliance", args=[world.park.code]), {"quarter": "5"}).status_code == 404


def test_the_due_soon_box_shows_on_the_current_quarter_only(client, world):
    """Its items are today's periods (this month's 支委会, 主题党日 …): a past quarter's table must not
    carry them."""
    client.force_login(world.admin)
    compliance = reverse("activities:compliance", args=[world.park.code])
    with on_day(date(2026, 11, 22)):  # eight days before November ends
        current = client.get(compliance)
        past = client.get(compliance, {"year": "2026", "quarter": "2"})
    assert current.context["due_soon"] and "即将到期仍未召开" in current.content.decode()
    assert past.context["due_soon"] == [] and "即将到期仍未召开" not in past.content.decode()


def test_a_record_posted_with_eleven_photos_is_refused_whole_with_a_chinese_message(client, world):
    """The review posted 15 photos in one request: the view answers the form again, nothing kept."""
    client.force_login(world.secretary)
    photos = [SimpleUploadedFile(f"现场{n}.png", PNG, content_type="image/png") for n in range(11)]
    response = client.post(reverse("activities:create", args=[world.park.code]), {
        "kind": "committee", "held_on": "2026-11-02", "topic": "学习", "branch": world.branch.pk, "photos": photos,
    })
    assert response.status_code == 200 and "一次最多上传10个文件，共不超过50MB。" in response.content.decode()
    with scopes_disabled():
        assert not Activity.objects.filter(park=world.park).exists() and not Attachment.objects.exists()
