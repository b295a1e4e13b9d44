"""Activity, task, report, review and park-activity services: their rules and Chinese messages."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from activities import services
from cycle import services as cycle_services
from activities.models import Attachment, EducationPoint, ParkActivity, SignUp
from cycle.models import HalfYearSummary, MonthlyMeeting, Nomination, Rating, TaskAssignment
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def photo(name="会议.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def members(world, n=3):
    return [MemberFactory(park=world.park, branch=world.branch) for _ in range(n)]


def record(world, **kwargs):
    values = dict(park=world.park, actor=world.secretary, branch=world.branch, kind="committee", held_on=date(2026, 11, 2), topic="支委会：研究十一月工作")
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
        stranger = MemberFactory(park=world.park, branch=OrganisationFactory(park=world.park, parent=world.work_committee, formation="fallback"))
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


class TestWorkList:
    def test_publish_complete_and_republish(self, world, in_park):
        meeting = MonthlyMeeting.objects.create(park=world.park, month=date(2026, 11, 1))
        task = cycle_services.task_add(meeting=meeting, actor=world.admin, title="开展主题党日", deadline=date(2026, 11, 25))
        with pytest.raises(ValidationError):
            cycle_services.task_add(meeting=meeting, actor=world.admin, title="太早", deadline=date(2026, 10, 31))
        assert cycle_services.task_publish(task=task, actor=world.admin) == 1  # the park has one branch
        OrganisationFactory(park=world.park, parent=world.work_committee, formation="fallback")
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
        summary = HalfYearSummary.objects.create(park=world.park, year=2026, nominations_due=date(2026, 6, 20))
        member = MemberFactory(park=world.park, branch=world.branch)
        with pytest.raises(ValidationError) as exc:
            cycle_services.nomination_propose(summary=summary, actor=world.secretary, branch=world.branch, kind="member", reason="表现突出", today=date(2026, 6, 10))
        assert "member" in exc.value.message_dict
        with pytest.raises(ValidationError):
            cycle_services.nomination_propose(summary=summary, actor=world.secretary, branch=world.branch, kind="organisation", reason="好", today=date(2026, 6, 21))
        nomination = cycle_services.nomination_propose(
            summary=summary, actor=world.secretary, branch=world.branch, kind="member", member=member, reason="表现突出", today=date(2026, 6, 10)
        )
        cycle_services.nomination_decide(nomination=nomination, actor=world.admin, approve=True)
        assert Nomination.objects.get().status == "approved"
        with pytest.raises(ValidationError):
            cycle_services.nomination_decide(nomination=nomination, actor=world.admin, approve=False)

    def test_one_report_per_branch_and_one_rating_per_evaluator(self, world, in_park):
        from cycle.models import AnnualReview

        review = AnnualReview.objects.create(park=world.park, year=2026, reports_due=date(2026, 12, 31))
        report = cycle_services.secretary_report_submit(review=review, actor=world.secretary, branch=world.branch, text="述职")
        with pytest.raises(ValidationError):
            cycle_services.secretary_report_submit(review=review, actor=world.secretary, branch=world.branch, text="再次")
        cycle_services.rating_give(report=report, actor=world.admin, grade="good")
        cycle_services.rating_give(report=report, actor=world.admin, grade="fair_good")
        cycle_services.rating_give(report=report, actor=world.inspector, grade="good")
        assert sorted(Rating.objects.values_list("grade", flat=True)) == ["fair_good", "good"]


class TestParkActivities:
    def test_sign_up_capacity_attendance_and_points_once(self, world, in_park):
        activity = ParkActivity.objects.create(park=world.park, kind="volunteer", title="红帆志愿服务", held_on=date(2026, 9, 1), points=3, capacity=1)
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


def test_settings_update_moves_the_parks_reminder_time(world, in_park):
    from django_celery_beat.models import PeriodicTask

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
        from activities.models import CycleSettings

        assert CycleSettings.objects.get(park=world.park).reminder_hour == 18


def test_task_templates_are_kept_and_offered(world, in_park):
    from cycle.models import TaskTemplate

    meeting = MonthlyMeeting.objects.create(park=world.park, month=date(2026, 11, 1))
    cycle_services.task_add(meeting=meeting, actor=world.admin, title="开展主题党日", deadline=date(2026, 11, 25), save_as_template=True)
    template = TaskTemplate.objects.get()
    task = cycle_services.task_add(meeting=meeting, actor=world.admin, title="", deadline=date(2026, 11, 28), template=template)
    assert task.title == "开展主题党日"


def test_reminders_are_emailed_when_email_is_configured(world, settings, django_capture_on_commit_callbacks, mailoutbox):
    from core.tenancy.scoping import park_scope
    from cycle import jobs as cycle
    settings.REMINDER_EMAILS = True
    world.secretary.email = "secretary@example.com"
    world.secretary.save()
    with park_scope(world.park), django_capture_on_commit_callbacks(execute=True):
        cycle.job_compliance_reminders(world.park, date(2027, 6, 20))
    assert [m.to for m in mailoutbox] == [["secretary@example.com"]] * len(mailoutbox) and mailoutbox
    assert "尚未召开" in mailoutbox[0].body
