"""Writes for branch activities (三会一课, 主题党日) with attendance and attachments, and for park
activities with sign-ups and education points."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
from activities.rules import can_hold, editable_until
from activities.selectors import branch_shape, cycle_settings
from audit.services import audit_record, model_changes
from core.periods import month_start
from core.uploads import check_uploads, store_upload
from core.validators import length_errors, normalize_text
from members.models import Member
from orgs.models import Organisation
from orgs.selectors import organisation_active_q
from points.services import points_for_attendance, points_reverse_attendance

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
MSG_KIND = _("请选择组织生活类型。")
MSG_NO_GROUPS = _("“%(branch)s”没有党小组，不能登记党小组会。")
MSG_WINDOW_CLOSED = _("这条记录只能在%(until)s前修改或删除，现已过期，不能再修改或删除。")
MSG_MOVED_CLOSED = _("日期不能改到%(day)s：该日期的记录只能在%(until)s前修改，已过期。")
MSG_DELETE_REASON = _("请填写删除原因。")
MSG_REASON_LENGTH = _("删除原因不能超过200字。")
MSG_ATTACHMENT = _("要删除的附件不属于这条记录。")


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
                    photos=(), files=(), today: date, live: bool, recorded=frozenset()) -> dict[str, list[str]]:
    """Every rule a meeting's record breaks ({field: [messages]}); `values` holds the normalised
    topic, place and minutes, `live` whether the branch could hold it that day (_live_branch),
    `recorded` the ids of members a record being corrected already names (they may have moved since)."""
    errors = length_errors(Activity, values)
    if not values["topic"]:
        errors["topic"] = [str(MSG_TOPIC_REQUIRED)]
    if held_on > today:
        errors["held_on"] = [str(MSG_FUTURE)]
    if not live:
        errors["branch"] = [str(MSG_BRANCH)]
    people = list(attendees) + list(absentees) + ([host] if host else [])
    for person in people:
        if person.park_id != park.pk or (person.branch_id != branch.pk and person.pk not in recorded):
            errors.setdefault("attendees", []).append(str(MSG_NOT_BRANCH_MEMBER % {"name": person.name}))
    for person in set(attendees) & set(absentees):
        errors.setdefault("absentees", []).append(str(MSG_PRESENT_AND_ABSENT % {"name": person.name}))
    for person, reason in absentees.items():
        if not normalize_text(reason):
            errors.setdefault("absentees", []).append(str(MSG_ABSENCE_REASON % {"name": person.name}))
        for message in length_errors(Attendance, {"absence_reason": normalize_text(reason)}).get("absence_reason", []):
            errors.setdefault("absentees", []).append(f"{person.name}的缺席原因{message}")
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
    errors = activity_errors(park=park, branch=branch, held_on=held_on, values=values, host=host, attendees=attendees,
                             absentees=absentees, photos=photos, files=files, today=today, live=_live_branch(park, branch, held_on))
    raise_errors({**kind_errors(branch, kind), **errors})
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


def kind_errors(branch: Organisation, kind: str) -> dict[str, list[str]]:
    """A kind the branch cannot hold (activities.rules.can_hold): a 党小组会 without a 党小组."""
    if kind not in ActivityKind.values:
        return {"kind": [str(MSG_KIND)]}
    if not can_hold(kind, branch_shape(branch)):
        return {"kind": [str(MSG_NO_GROUPS % {"branch": branch.name})]}
    return {}


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def edit_deadline(park, activity: Activity, config: CycleSettings | None = None) -> date:
    """The last day the record may be corrected or deleted (the park's setting, activities.rules);
    `config`: the park's cycle settings when the caller has read them already."""
    return editable_until(config or cycle_settings(park), activity.held_on)


def _window_open(park, activity: Activity, today: date, config: CycleSettings | None = None) -> None:
    until = edit_deadline(park, activity, config)
    if today > until:
        raise ValidationError(str(MSG_WINDOW_CLOSED % {"until": chinese_date(until)}))


def _attendance_label(present: bool, reason: str) -> str:
    return "出席" if present else f"缺席（{reason}）"


def _forget_files(attachments) -> None:
    """Remove the stored files of attachments whose rows go, once the transaction commits."""
    files = [(a.file.storage, a.file.name) for a in attachments if a.file]
    if files:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def activity_update(
    *,
    park,
    actor,
    activity: Activity,
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
    remove_attachments=(),
    today: date | None = None,
) -> Activity:
    """Correct a meeting's record while the park's window is open (activities.rules.editable_until,
    for the date it was held and for the new date): its fields, its attendance and its files.

    Attendance is compared member by member. Points credited for attending are never edited: a
    member no longer present (or no longer listed) has them reversed by a new entry
    (points.services.points_reverse_attendance), a member newly present earns them; when the
    meeting moves to another month every present member's points are reversed and earned again in
    the new month. The audit entry names every change."""
    today = today or timezone.localdate()
    absentees = absentees or {}
    activity = Activity.objects.select_for_update(of=("self",)).select_related("branch", "host").get(park=park, pk=activity.pk)
    config = cycle_settings(park)  # the window of the date it was held and of the new date
    _window_open(park, activity, today, config)
    branch = activity.branch
    rows = {a.member_id: a for a in Attendance.objects.filter(park=park, activity=activity).select_related("member")}
    values = {"topic": normalize_text(topic), "place": normalize_text(place), "minutes": minutes}
    errors = activity_errors(park=park, branch=branch, held_on=held_on, values=values, host=host, attendees=attendees,
                             absentees=absentees, photos=photos, files=files, today=today,
                             live=_live_branch(park, branch, held_on), recorded=frozenset(rows))
    if kind != activity.kind:  # a record keeps its own kind, even if its branch has lost its 党小组 since
        errors = {**kind_errors(branch, kind), **errors}
    moved_until = editable_until(config, held_on)
    if held_on != activity.held_on and today > moved_until:
        errors.setdefault("held_on", []).append(str(MSG_MOVED_CLOSED % {"day": chinese_date(held_on), "until": chinese_date(moved_until)}))
    removed = list(Attachment.objects.filter(park=park, pk__in=list(remove_attachments)))
    if any(a.activity_id != activity.pk for a in removed) or len(removed) != len(set(remove_attachments)):
        errors["photos"] = [str(MSG_ATTACHMENT)]
    raise_errors(errors)

    fields = ["kind", "held_on", "topic", "place", "host", "minutes"]
    before = {name: getattr(activity, name) for name in fields}
    activity.kind, activity.held_on, activity.host = kind, held_on, host
    for name, value in values.items():
        setattr(activity, name, value)
    changes = model_changes(activity, before, fields)
    activity.save(update_fields=fields)

    # Attendance, member by member: a changed presence is a new row (the old one's points reversed).
    wanted = {m.pk: (True, "") for m in attendees} | {m.pk: (False, normalize_text(r)) for m, r in absentees.items()}
    names = {m.pk: m.name for m in [*attendees, *absentees]} | {pk: row.member.name for pk, row in rows.items()}
    moved_month = month_start(before["held_on"]) != month_start(held_on)
    gone = [row for pk, row in rows.items() if pk not in wanted or wanted[pk][0] != row.present or (row.present and moved_month)]
    reasons_changed = [row for pk, row in rows.items() if row not in gone and wanted[pk][1] != row.absence_reason]
    reversed_points = points_reverse_attendance(park=park, actor=actor, attendances=[r for r in gone if r.present],
                                                reason="组织生活记录修改")
    Attendance.objects.filter(pk__in=[r.pk for r in gone]).delete()
    for row in reasons_changed:
        row.absence_reason = wanted[row.member_id][1]
    Attendance.objects.bulk_update(reasons_changed, ["absence_reason"])
    kept = {pk for pk in rows if rows[pk] not in gone}
    new_rows = Attendance.objects.bulk_create([
        Attendance(park=park, activity=activity, member_id=pk, present=present, absence_reason=reason)
        for pk, (present, reason) in wanted.items() if pk not in kept
    ])
    for row in new_rows:
        row.activity = activity
    points_for_attendance(park=park, attendances=new_rows)
    before_marks = {pk: _attendance_label(row.present, row.absence_reason) for pk, row in rows.items()}
    after_marks = {pk: _attendance_label(*mark) for pk, mark in wanted.items()}
    changed_people = sorted(set(before_marks) | set(after_marks), key=lambda pk: names[pk])
    changed_people = [pk for pk in changed_people if before_marks.get(pk) != after_marks.get(pk)]
    if changed_people:
        changes["attendance"] = [
            [f"{names[pk]}：{before_marks[pk]}" for pk in changed_people if pk in before_marks],
            [f"{names[pk]}：{after_marks[pk]}" for pk in changed_people if pk in after_marks],
        ]
    if reversed_points:
        changes["points_reversed"] = [None, reversed_points]

    # Files: the ones taken off go (their stored files after commit), new ones are checked as on recording.
    if removed:
        changes["attachments_removed"] = [[a.name for a in removed], None]
        _forget_files(removed)
        Attachment.objects.filter(pk__in=[a.pk for a in removed]).delete()
    added = attach(park=park, uploads=photos, photo=True, activity=activity) + attach(park=park, uploads=files, photo=False, activity=activity)
    if added:
        changes["attachments_added"] = [None, [a.name for a in added]]
    if changes:
        audit_record(park=park, actor=actor, action="activity.update", target=activity, changes=changes)
    return activity


@transaction.atomic
def activity_delete(*, park, actor, activity: Activity, reason: str, today: date | None = None) -> None:
    """Delete a meeting's record (the park admin, while the window is open), with a reason.

    Nothing is left hanging: the points its attendance earned are reversed by new entries (which
    stay, with the entries they reverse), the attendance and the attachments go with their stored
    files, and the compliance figures, read from the records, no longer count it. The audit entry
    keeps what the record said and the reason."""
    today = today or timezone.localdate()
    reason = normalize_text(reason or "")
    if not reason:
        raise ValidationError({"reason": [str(MSG_DELETE_REASON)]})
    if len(reason) > 200:
        raise ValidationError({"reason": [str(MSG_REASON_LENGTH)]})
    activity = Activity.objects.select_for_update(of=("self",)).select_related("branch").get(park=park, pk=activity.pk)
    _window_open(park, activity, today)
    attendance = list(Attendance.objects.filter(park=park, activity=activity).select_related("member"))
    attachments = list(Attachment.objects.filter(park=park, activity=activity))
    label = f"{activity.get_kind_display()}：{activity.topic}"
    reversed_points = points_reverse_attendance(park=park, actor=actor, attendances=[a for a in attendance if a.present],
                                                reason=f"{label}的记录已删除"[:100])
    audit_record(park=park, actor=actor, action="activity.delete", target=activity, changes={
        "reason": [None, reason],
        "branch": [activity.branch.name, None],
        "kind": [activity.kind, None],
        "held_on": [activity.held_on.isoformat(), None],
        "topic": [activity.topic, None],
        "attendance": [[f"{a.member.name}：{_attendance_label(a.present, a.absence_reason)}" for a in attendance], None],
        "attachments": [[a.name for a in attachments], None],
        "points_reversed": [None, reversed_points],
    })
    _forget_files(attachments)
    activity.delete()  # its attendance and attachments with it; point entries stay, unlinked


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
