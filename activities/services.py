"""Writes for branch activities (三会一课, 主题党日) with attendance and attachments, and for park
activities with sign-ups and education points."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    Attachment,
    Attendance,
    EducationPoint,
    ParkActivity,
    SignUp,
)
from audit.services import audit_record
from core.uploads import check_uploads, store_upload
from core.validators import length_errors, normalize_text
from members.models import Member
from orgs.models import Organisation
from orgs.selectors import organisation_active_q
from points.services import points_for_attendance

MSG_FUTURE = _("日期不能晚于今天。")
MSG_NOT_BRANCH_MEMBER = _("“%(name)s”不是本支部的党员。")
MSG_TOPIC_REQUIRED = _("请填写主题。")
MSG_BRANCH = _("只能为本园区正常的党支部登记。")
MSG_PRESENT_AND_ABSENT = _("“%(name)s”不能既出席又缺席。")
MSG_ABSENCE_REASON = _("请填写“%(name)s”的缺席原因。")
MSG_NOTE_REQUIRED = _("请填写完成情况。")
MSG_FULL = _("名额已满。")
MSG_SIGNED_UP = _("已报名。")
MSG_HOURS = _("志愿服务时长应在0到24小时之间。")


def raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _live_branch(park, branch: Organisation, on: date) -> bool:
    return (
        branch.park_id == park.pk
        and branch.kind in (Organisation.Kind.BRANCH, Organisation.Kind.GENERAL_BRANCH)
        and Organisation.objects.filter(pk=branch.pk).filter(organisation_active_q(on)).exists()
    )


# --- Attachments ---------------------------------------------------------------------------------
def attach(*, park, uploads, photo: bool, **owner) -> list[Attachment]:
    return [store_upload(Attachment, upload, photo=photo, park=park, **owner) for upload in uploads]


# --- 三会一课 and 主题党日 ---------------------------------------------------------------------------
def activity_errors(*, park, branch: Organisation, held_on: date, values: dict, host: Member | None, attendees, absentees: dict,
                    photos=(), files=(), today: date, live: bool) -> dict[str, list[str]]:
    """Every rule a meeting's record breaks ({field: [messages]}); `values` holds the normalised
    topic, place and minutes, `live` whether the branch could hold it that day (_live_branch)."""
    errors = length_errors(Activity, values)
    if not values["topic"]:
        errors["topic"] = [str(MSG_TOPIC_REQUIRED)]
    if held_on > today:
        errors["held_on"] = [str(MSG_FUTURE)]
    if not live:
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
    if problems := check_uploads(photos, photo=True) + check_uploads(files, photo=False):
        errors["photos"] = problems
    return errors


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
    raise_errors(activity_errors(park=park, branch=branch, held_on=held_on, values=values, host=host, attendees=attendees,
                                 absentees=absentees, photos=photos, files=files, today=today,
                                 live=_live_branch(park, branch, held_on)))
    activity = Activity.objects.create(
        park=park, branch=branch, kind=kind, held_on=held_on, host=host, created_by=actor, **values
    )
    attendance = Attendance.objects.bulk_create(
        [Attendance(park=park, activity=activity, member=m, present=True) for m in attendees]
        + [Attendance(park=park, activity=activity, member=m, present=False, absence_reason=normalize_text(r)) for m, r in absentees.items()]
    )
    points_for_attendance(park=park, attendances=attendance)  # 星级党员: attending earns 学习进步星 points
    attach(park=park, uploads=photos, photo=True, activity=activity)
    attach(park=park, uploads=files, photo=False, activity=activity)
    audit_record(
        park=park, actor=actor, action="activity.record", target=activity,
        changes={"kind": [None, kind], "held_on": [None, held_on.isoformat()], "attendees": [None, len(attendees)]},
    )
    return activity


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
    signup = SignUp.objects.create(park=activity.park, activity=activity, member=member)
    audit_record(park=activity.park, actor=actor, action="park_activity.signup", target=activity, changes={"member": [None, member.name]})
    return signup


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
    audit_record(park=signup.park, actor=actor, action="park_activity.attendance", target=signup.activity,
                 changes={"member": [None, signup.member.name], "attended": [None, attended], "hours": [None, str(signup.volunteer_hours)]})
    return signup


@transaction.atomic
def park_activity_create(*, park, actor, **data) -> ParkActivity:
    activity = ParkActivity(park=park, **{k: (normalize_text(v) if isinstance(v, str) else v) for k, v in data.items()})
    errors = length_errors(ParkActivity, {"title": activity.title, "place": activity.place})
    if not activity.title:
        errors["title"] = [str(MSG_TOPIC_REQUIRED)]
    raise_errors(errors)
    activity.full_clean()
    activity.save()
    audit_record(park=park, actor=actor, action="park_activity.create", target=activity, changes={"title": [None, activity.title]})
    return activity
