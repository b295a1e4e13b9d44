"""Writes for branch activities, the monthly work list and reports, the half-year and the annual
review, park activities and education points, and the park's reminder schedule."""

import json
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    AnnualReview,
    Attachment,
    Attendance,
    CycleSettings,
    EducationPoint,
    HalfYearSummary,
    Milestone,
    MonthlyMeeting,
    MonthlyReport,
    Nomination,
    ParkActivity,
    Rating,
    SecretaryReport,
    SignUp,
    TaskAssignment,
    TaskTemplate,
    WorkTask,
)
from assessment.services import points_for_attendance
from audit.services import audit_record
from members.models import Member
from orgs.models import Organisation
from orgs.selectors import organisation_active_q
from services.validators import length_errors, normalize_text

PHOTO_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
FILE_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain",
}
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_FILE_BYTES = 20 * 1024 * 1024
# What the first bytes of a real file of each kind look like: the name alone proves nothing.
MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
    "application/pdf": (b"%PDF",),
}

MSG_FUTURE = _("日期不能晚于今天。")
MSG_NOT_BRANCH_MEMBER = _("“%(name)s”不是本支部的党员。")
MSG_TOPIC_REQUIRED = _("请填写主题。")
MSG_BRANCH = _("只能为本园区正常的党支部登记。")
MSG_FILE_TYPE = _("“%(name)s”的类型不支持：照片可用 JPG、PNG、WEBP，文件可用 PDF、Word、Excel、PPT、TXT。")
MSG_FILE_CONTENT = _("“%(name)s”的内容与扩展名不符。")
MSG_FILE_SIZE = _("“%(name)s”超过%(limit)sMB。")
MSG_PRESENT_AND_ABSENT = _("“%(name)s”不能既出席又缺席。")
MSG_ABSENCE_REASON = _("请填写“%(name)s”的缺席原因。")
MSG_REPORT_FILED = _("%(month)s的月报告已经报送。")
MSG_REPORT_FUTURE = _("不能报送未来月份的月报告。")
MSG_TASK_DONE = _("该任务已完成。")
MSG_TASK_NOT_PUBLISHED = _("任务尚未下发。")
MSG_NOTE_REQUIRED = _("请填写完成情况。")
MSG_DEADLINE_MONTH = _("截止日期应在%(month)s之后。")
MSG_NOMINEE_REQUIRED = _("个人类评优须选择推荐人选（本支部党员）。")
MSG_NOMINATION_CLOSED = _("推荐已截止（%(due)s）。")
MSG_ALREADY_DECIDED = _("该推荐已审核。")
MSG_REPORT_SUBMITTED = _("本支部%(year)s年度述职报告已提交。")
MSG_FULL = _("名额已满。")
MSG_SIGNED_UP = _("已报名。")
MSG_HOURS = _("志愿服务时长应在0到24小时之间。")
MSG_HOUR_RANGE = _("提醒时间应为0到23时。")
MSG_DAYS_RANGE = _("提前提醒天数应为1到28天。")
MSG_DUE_DAY_RANGE = _("截止日应为1到28日。")


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _live_branch(park, branch: Organisation, on: date) -> bool:
    return (
        branch.park_id == park.pk
        and branch.kind in (Organisation.Kind.BRANCH, Organisation.Kind.GENERAL_BRANCH)
        and Organisation.objects.filter(pk=branch.pk).filter(organisation_active_q(on)).exists()
    )


# --- Attachments ---------------------------------------------------------------------------------
def check_upload(upload, *, photo: bool) -> tuple[str, bool]:
    """The upload's content type if its name, size and first bytes agree; ValidationError otherwise."""
    name = PurePath(upload.name).name
    suffix = PurePath(name).suffix.lower()
    allowed = PHOTO_TYPES if photo else {**PHOTO_TYPES, **FILE_TYPES}
    if suffix not in allowed:
        raise ValidationError(MSG_FILE_TYPE, params={"name": name})
    content_type = allowed[suffix]
    is_photo = suffix in PHOTO_TYPES
    limit = MAX_PHOTO_BYTES if is_photo else MAX_FILE_BYTES
    if upload.size > limit:
        raise ValidationError(MSG_FILE_SIZE, params={"name": name, "limit": limit // (1024 * 1024)})
    head = upload.read(16)
    upload.seek(0)
    if content_type in MAGIC and not head.startswith(MAGIC[content_type]):
        raise ValidationError(MSG_FILE_CONTENT, params={"name": name})
    return content_type, is_photo


def _attach(*, park, uploads, photo: bool, **owner) -> list[Attachment]:
    saved = []
    for upload in uploads:
        content_type, is_photo = check_upload(upload, photo=photo)
        attachment = Attachment(
            park=park, name=PurePath(upload.name).name[:200], content_type=content_type, size=upload.size,
            is_photo=is_photo, **owner,
        )
        attachment.file.save(attachment.name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def _check_uploads(uploads, *, photo: bool) -> list[str]:
    problems = []
    for upload in uploads:
        try:
            check_upload(upload, photo=photo)
        except ValidationError as exc:
            problems.extend(exc.messages)
    return problems


# --- 三会一课 and 主题党日 ---------------------------------------------------------------------------
@transaction.atomic
def activity_record(
    *,
    park,
    actor,
    branch: Organisation,
    kind: str,
    held_on: date,
    topic: str,
    place: str = "",
    host: Member | None = None,
    minutes: str = "",
    attendees=(),
    absentees: dict | None = None,
    photos=(),
    files=(),
    today: date | None = None,
) -> Activity:
    """Record a meeting: attendees and absentees (with reasons) from the branch's own members."""
    today = today or timezone.localdate()
    absentees = absentees or {}
    values = {"topic": normalize_text(topic), "place": normalize_text(place), "minutes": minutes}
    errors = length_errors(Activity, values)
    if not values["topic"]:
        errors["topic"] = [str(MSG_TOPIC_REQUIRED)]
    if held_on > today:
        errors["held_on"] = [str(MSG_FUTURE)]
    if not _live_branch(park, branch, held_on):
        errors["branch"] = [str(MSG_BRANCH)]
    people = list(attendees) + list(absentees) + ([host] if host else [])
    for person in people:
        if person.park_id != park.pk or person.branch_id != branch.pk:
            errors.setdefault("attendees", []).append(str(MSG_NOT_BRANCH_MEMBER % {"name": person.name}))
    for person in set(attendees) & set(absentees):
        errors.setdefault("absentees", []).append(str(MSG_PRESENT_AND_ABSENT % {"name": person.name}))
    for person, reason in absentees.items():
        if not normalize_text(reason):
            errors.setdefault("absentees", []).append(str(MSG_ABSENCE_REASON % {"name": person.name}))
    if problems := _check_uploads(photos, photo=True) + _check_uploads(files, photo=False):
        errors["photos"] = problems
    _raise(errors)
    activity = Activity.objects.create(
        park=park, branch=branch, kind=kind, held_on=held_on, host=host, created_by=actor, **values
    )
    attendance = Attendance.objects.bulk_create(
        [Attendance(park=park, activity=activity, member=m, present=True) for m in attendees]
        + [Attendance(park=park, activity=activity, member=m, present=False, absence_reason=normalize_text(r)) for m, r in absentees.items()]
    )
    points_for_attendance(park=park, attendances=attendance)  # 星级党员: attending earns 学习进步星 points
    _attach(park=park, uploads=photos, photo=True, activity=activity)
    _attach(park=park, uploads=files, photo=False, activity=activity)
    audit_record(
        park=park, actor=actor, action="activity.record", target=activity,
        changes={"kind": [None, kind], "held_on": [None, held_on.isoformat()], "attendees": [None, len(attendees)]},
    )
    return activity


# --- 月工作清单 -------------------------------------------------------------------------------------
@transaction.atomic
def task_add(
    *, meeting: MonthlyMeeting, actor, title: str, deadline: date, description: str = "",
    template: TaskTemplate | None = None, save_as_template: bool = False,
) -> WorkTask:
    title = normalize_text(title or (template.title if template else ""))
    description = description or (template.description if template else "")
    errors = length_errors(WorkTask, {"title": title})
    if not title:
        errors["title"] = [str(MSG_TOPIC_REQUIRED)]
    if deadline < meeting.month:
        errors["deadline"] = [str(MSG_DEADLINE_MONTH % {"month": f"{meeting.month:%Y年%m月1日}"})]
    _raise(errors)
    task = WorkTask.objects.create(park=meeting.park, meeting=meeting, title=title, description=description, deadline=deadline)
    if save_as_template:
        TaskTemplate.objects.get_or_create(park=meeting.park, title=title, defaults={"description": description})
    audit_record(park=meeting.park, actor=actor, action="task.add", target=task, changes={"title": [None, title]})
    return task


@transaction.atomic
def task_publish(*, task: WorkTask, actor) -> int:
    """Send the task to every live branch of the park; publishing again adds only new branches."""
    park = task.park
    branches = Organisation.objects.filter(park=park, kind=Organisation.Kind.BRANCH).filter(organisation_active_q(timezone.localdate()))
    before = TaskAssignment.objects.filter(park=park, task=task).count()
    TaskAssignment.objects.bulk_create([TaskAssignment(park=park, task=task, branch=b) for b in branches], ignore_conflicts=True)
    created = TaskAssignment.objects.filter(park=park, task=task).count() - before
    if task.published_at is None:
        task.published_at = timezone.now()
        task.save(update_fields=["published_at"])
    audit_record(park=park, actor=actor, action="task.publish", target=task, changes={"branches": [before, before + created]})
    return created


@transaction.atomic
def task_complete(*, assignment: TaskAssignment, actor, note: str, evidence=()) -> TaskAssignment:
    errors = {}
    if assignment.status == TaskAssignment.Status.DONE:
        errors["__all__"] = [str(MSG_TASK_DONE)]
    if assignment.task.published_at is None:
        errors["__all__"] = [str(MSG_TASK_NOT_PUBLISHED)]
    if not normalize_text(note):
        errors["note"] = [str(MSG_NOTE_REQUIRED)]
    if problems := _check_uploads(evidence, photo=False):
        errors["evidence"] = problems
    _raise(errors)
    assignment.status = TaskAssignment.Status.DONE
    assignment.note = normalize_text(note)
    assignment.completed_at = timezone.now()
    assignment.completed_by = actor
    assignment.save(update_fields=["status", "note", "completed_at", "completed_by"])
    _attach(park=assignment.park, uploads=evidence, photo=False, task=assignment)
    audit_record(park=assignment.park, actor=actor, action="task.complete", target=assignment.task,
                 changes={"branch": [None, assignment.branch.name]})
    return assignment


# --- 月报告 ---------------------------------------------------------------------------------------
@transaction.atomic
def report_file(*, park, actor, branch: Organisation, month: date, activities: str, member_changes: str = "", problems: str = "") -> MonthlyReport:
    month = month.replace(day=1)
    errors = {}
    if not normalize_text(activities):
        errors["activities"] = [str(MSG_NOTE_REQUIRED)]
    if month > timezone.localdate():
        errors["month"] = [str(MSG_REPORT_FUTURE)]
    if branch.park_id != park.pk:
        errors["branch"] = [str(MSG_BRANCH)]
    _raise(errors)
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                park=park, branch=branch, month=month, activities=activities, member_changes=member_changes,
                problems=problems, submitted_by=actor,
            )
    except IntegrityError:  # the unique constraint: one report a branch a month
        raise ValidationError({"month": [str(MSG_REPORT_FILED % {"month": f"{month:%Y年%m月}"})]}) from None
    audit_record(park=park, actor=actor, action="report.file", target=report.branch, changes={"month": [None, f"{month:%Y-%m}"]})
    return report


# --- 半年一总结 -----------------------------------------------------------------------------------
@transaction.atomic
def nomination_propose(*, summary: HalfYearSummary, actor, branch: Organisation, kind: str, reason: str, member: Member | None = None, today: date | None = None) -> Nomination:
    today = today or timezone.localdate()
    errors = {}
    if today > summary.nominations_due:
        errors["__all__"] = [str(MSG_NOMINATION_CLOSED % {"due": summary.nominations_due})]
    if kind != Nomination.Kind.ORGANISATION and (member is None or member.branch_id != branch.pk):
        errors["member"] = [str(MSG_NOMINEE_REQUIRED)]
    if not normalize_text(reason):
        errors["reason"] = [str(MSG_NOTE_REQUIRED)]
    if branch.park_id != summary.park_id:
        errors["branch"] = [str(MSG_BRANCH)]
    _raise(errors)
    nomination = Nomination.objects.create(
        park=summary.park, summary=summary, kind=kind, branch=branch,
        member=member if kind != Nomination.Kind.ORGANISATION else None, reason=reason,
    )
    audit_record(park=summary.park, actor=actor, action="nomination.propose", target=summary, changes={"kind": [None, kind]})
    return nomination


@transaction.atomic
def nomination_decide(*, nomination: Nomination, actor, approve: bool) -> Nomination:
    if nomination.status != Nomination.Status.PROPOSED:
        raise ValidationError(MSG_ALREADY_DECIDED)
    nomination.status = Nomination.Status.APPROVED if approve else Nomination.Status.REJECTED
    nomination.save(update_fields=["status"])
    audit_record(park=nomination.park, actor=actor, action="nomination.decide", target=nomination.summary,
                 changes={"nomination": [nomination.pk, nomination.status]})
    return nomination


# --- 一年一行动 and 述职评议 -------------------------------------------------------------------------
@transaction.atomic
def milestone_add(*, review: AnnualReview, actor, title: str, due_on: date) -> Milestone:
    title = normalize_text(title)
    if not title:
        raise ValidationError({"title": [str(MSG_TOPIC_REQUIRED)]})
    milestone = Milestone.objects.create(park=review.park, review=review, title=title, due_on=due_on)
    audit_record(park=review.park, actor=actor, action="milestone.add", target=review, changes={"title": [None, title]})
    return milestone


@transaction.atomic
def secretary_report_submit(*, review: AnnualReview, actor, branch: Organisation, text: str) -> SecretaryReport:
    if not normalize_text(text):
        raise ValidationError({"text": [str(MSG_NOTE_REQUIRED)]})
    try:
        with transaction.atomic():
            report = SecretaryReport.objects.create(park=review.park, review=review, branch=branch, text=text, submitted_by=actor)
    except IntegrityError:
        raise ValidationError({"text": [str(MSG_REPORT_SUBMITTED % {"year": review.year})]}) from None
    audit_record(park=review.park, actor=actor, action="review.report", target=review, changes={"branch": [None, branch.name]})
    return report


@transaction.atomic
def rating_give(*, report: SecretaryReport, actor, grade: str) -> Rating:
    """An evaluator's grade; giving it again replaces their earlier one."""
    rating, _ = Rating.objects.update_or_create(park=report.park, report=report, evaluator=actor, defaults={"grade": grade})
    audit_record(park=report.park, actor=actor, action="review.rate", target=report.review, changes={"branch": [None, report.branch.name], "grade": [None, grade]})
    return rating


# --- Park activities and education points --------------------------------------------------------
@transaction.atomic
def park_activity_signup(*, activity: ParkActivity, actor, member: Member) -> SignUp:
    if member.park_id != activity.park_id:
        raise ValidationError({"member": [str(MSG_BRANCH)]})
    # Serialise sign-ups per activity so the last place is not given twice.
    ParkActivity.objects.select_for_update().get(pk=activity.pk)
    if SignUp.objects.filter(park=activity.park, activity=activity, member=member).exists():
        raise ValidationError({"member": [str(MSG_SIGNED_UP)]})
    if activity.capacity is not None and SignUp.objects.filter(park=activity.park, activity=activity).count() >= activity.capacity:
        raise ValidationError({"__all__": [str(MSG_FULL)]})
    return SignUp.objects.create(park=activity.park, activity=activity, member=member)


@transaction.atomic
def park_activity_attendance(*, signup: SignUp, actor, attended: bool, volunteer_hours=0) -> SignUp:
    """Mark attendance; the member's education points follow (once, whatever the re-marking)."""
    if not 0 <= float(volunteer_hours) <= 24:
        raise ValidationError({"volunteer_hours": [str(MSG_HOURS)]})
    signup.attended = attended
    signup.volunteer_hours = volunteer_hours if attended else 0
    signup.save(update_fields=["attended", "volunteer_hours"])
    if attended:
        EducationPoint.objects.get_or_create(
            park=signup.park, signup=signup,
            defaults={"member_id": signup.member_id, "points": signup.activity.points, "earned_on": signup.activity.held_on},
        )
    else:
        EducationPoint.objects.filter(park=signup.park, signup=signup).delete()
    return signup


# --- Settings and the reminder schedule ----------------------------------------------------------
REMINDER_TASK = "activities.tasks.park_reminders"


def reminder_task_name(park) -> str:
    return f"四个一提醒 · {park.name}（{park.code}）"


def park_schedule_sync(*, park, settings: CycleSettings) -> None:
    """The park's own beat entry: its reminders at its reminder hour, Asia/Shanghai time."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour=str(settings.reminder_hour), day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.update_or_create(
        name=reminder_task_name(park),
        defaults={"task": REMINDER_TASK, "crontab": crontab, "interval": None, "args": json.dumps([park.pk]), "enabled": park.is_active},
    )


@transaction.atomic
def cycle_settings_update(*, park, actor, **data) -> CycleSettings:
    settings, _ = CycleSettings.objects.get_or_create(park=park)
    errors = {}
    if "reminder_hour" in data and not 0 <= data["reminder_hour"] <= 23:
        errors["reminder_hour"] = [str(MSG_HOUR_RANGE)]
    if "reminder_days_before" in data and not 1 <= data["reminder_days_before"] <= 28:
        errors["reminder_days_before"] = [str(MSG_DAYS_RANGE)]
    for name in ("report_due_day", "task_deadline_day"):
        if name in data and not 1 <= data[name] <= 28:
            errors[name] = [str(MSG_DUE_DAY_RANGE)]
    _raise(errors)
    before = {name: getattr(settings, name) for name in data}
    for name, value in data.items():
        setattr(settings, name, value)
    settings.save()
    park_schedule_sync(park=park, settings=settings)
    changes = {name: [before[name], value] for name, value in data.items() if before[name] != value}
    if changes:
        audit_record(park=park, actor=actor, action="cycle.settings", target=settings, changes=changes)
    return settings


@transaction.atomic
def park_activity_create(*, park, actor, **data) -> ParkActivity:
    activity = ParkActivity(park=park, **{k: (normalize_text(v) if isinstance(v, str) else v) for k, v in data.items()})
    errors = length_errors(ParkActivity, {"title": activity.title, "place": activity.place})
    if not activity.title:
        errors["title"] = [str(MSG_TOPIC_REQUIRED)]
    _raise(errors)
    activity.full_clean()
    activity.save()
    audit_record(park=park, actor=actor, action="park_activity.create", target=activity, changes={"title": [None, activity.title]})
    return activity
