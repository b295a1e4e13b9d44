"""Activity and park-activity services: their rules and Chinese messages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from activities import services
from activities.models import (
    ActivityKind,
    Attachment,
    EducationPoint,
    ParkActivity,
    SignUp,
)
from orgs.models import Organisation
from tests.activities.factories import ParkActivityFactory
from tests.activities.helpers import PNG, photo
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def members(world, n=3):
    return [MemberFactory(park=world.park, branch=world.branch) for _ in range(n)]


def record(world, **kwargs):
    values = dict(park=world.park, actor=world.secretary, branch=world.branch, kind=ActivityKind.COMMITTEE, held_on=date(2026, 11, 2), topic="支委会：研究十一月工作")
    values.update(kwargs)
    return services.activity_record(**values)


class TestActivity:
    def test_records_attendance_absence_and_photo(self, world, in_park):
        a, b, c = members(world)
        activity = record(world, attendees=[a, b], absentees={c: "出差"}, host=a, photos=[photo()])
        assert activity.attendance.filter(present=True).count() == 2
        assert activity.attendance.get(present=False).absence_reason == "出差"
        attachment = Attachment.objects.get(activity=activity)
        assert (attachment.is_photo, attachment.content_type, attachment.size) == (True, "image/png", len(PNG))

    def test_attendees_must_be_the_branchs_members(self, world, other, in_park):
        stranger = MemberFactory(park=world.park, branch=OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.FALLBACK))
        with pytest.raises(ValidationError) as exc:
            record(world, attendees=[stranger])
        assert exc.value.message_dict["attendees"] == [f"“{stranger.name}”不是本支部的党员。"]

    def test_absence_needs_a_reason_and_cannot_also_be_presence(self, world, in_park):
        a, b = members(world, 2)
        with pytest.raises(ValidationError) as exc:
            record(world, attendees=[a], absentees={a: "病假", b: "  "})
        assert exc.value.message_dict["absentees"] == [f"“{a.name}”不能既出席又缺席。", f"请填写“{b.name}”的缺席原因。"]

    def test_future_date_and_missing_topic(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            record(world, held_on=date(2099, 1, 1), topic=" ")
        assert set(exc.value.message_dict) == {"held_on", "topic"}

    @pytest.mark.parametrize(
        "upload, message",
        [
            (photo("会议.exe", b"MZ"), "“会议.exe”的类型不支持"),
            (photo("会议.png", b"GIF89a" + b"\x00" * 10), "“会议.png”的内容与扩展名不符。"),
            (photo("大.png", PNG + b"\x00" * (10 * 1024 * 1024)), "“大.png”超过10MB。"),
            (photo("纪要.pdf", b"%PDF-1.4"), "“纪要.pdf”的类型不支持"),  # a PDF is a file, not a photo
        ],
    )
    def test_photos_are_checked_by_type_content_and_size(self, world, in_park, upload, message):
        with pytest.raises(ValidationError) as exc:
            record(world, photos=[upload])
        assert message in exc.value.message_dict["photos"][0]
        assert not Attachment.objects.exists()

    def test_files_accept_documents(self, world, in_park):
        activity = record(world, files=[SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 ...", content_type="application/pdf")])
        assert activity.attachments.get().content_type == "application/pdf"

    def test_another_parks_branch_is_refused(self, world, other, in_park):
        with pytest.raises(ValidationError) as exc:
            record(world, branch=other.branch)
        assert "branch" in exc.value.message_dict


class TestParkActivities:
    def test_sign_up_capacity_attendance_and_points_once(self, world, in_park):
        activity = ParkActivityFactory(park=world.park, kind=ParkActivity.Kind.VOLUNTEER, title="红帆志愿服务", held_on=date(2026, 9, 1), points=3, capacity=1)
        a, b = members(world, 2)
        signup = services.park_activity_signup(activity=activity, actor=world.admin, member=a)
        with pytest.raises(ValidationError) as exc:
            services.park_activity_signup(activity=activity, actor=world.admin, member=b)
        assert exc.value.messages == ["名额已满。"]
        services.park_activity_attendance(signup=signup, actor=world.admin, attended=True, volunteer_hours=4)
        services.park_activity_attendance(signup=signup, actor=world.admin, attended=True, volunteer_hours=4)
        assert list(EducationPoint.objects.values_list("points", flat=True)) == [3]
        services.park_activity_attendance(signup=signup, actor=world.admin, attended=False)
        assert not EducationPoint.objects.exists()
        with pytest.raises(ValidationError):
            services.park_activity_attendance(signup=signup, actor=world.admin, attended=True, volunteer_hours=30)
        assert SignUp.objects.get().attended is False
