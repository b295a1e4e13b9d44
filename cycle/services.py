"""Writes for the 四个一 cycle: the monthly work list and its tasks, monthly reports, the half-year
nominations, the annual review, and the park's cycle settings with its reminder schedule."""

import json
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from activities.models import CycleSettings
from activities.selectors import cycle_settings
from activities.services import (
    MSG_BRANCH,
    MSG_NOTE_REQUIRED,
    MSG_TOPIC_REQUIRED,
    attach,
    check_uploads,
    raise_errors,
)
from audit.services import audit_record
from core.periods import month_start
from core.validators import length_errors, normalize_text
from cycle.deadlines import deadline_state, late_days_at, policies_of, report_deadline
from cycle.models import (
    AnnualReview,
    DeadlinePolicy,
    HalfYearSummary,
    Milestone,
    MonthlyMeeting,
    MonthlyReport,
    Nomination,
    Rating,
    SecretaryReport,
    TaskAssignment,
    TaskTemplate,
    WorkTask,
)
from cycle.notifications import notify, secretaries_of
from members.models import Member
from orgs.models import Organisation
from orgs.selectors import live_party_branches

MSG_REPORT_FILED = _("%(month)s的月报告已经报送。")
MSG_REPORT_FUTURE = _("不能报送未来月份的月报告。")
MSG_TASK_DONE = _("该任务已完成。")
MSG_TASK_NOT_PUBLISHED = _("任务尚未下发。")
MSG_DEADLINE_MONTH = _("截止日期应在%(month)s之后。")
MSG_NOMINEE_REQUIRED = _("个人类评优须选择推荐人选（本支部党员）。")
MSG_ALREADY_DECIDED = _("该推荐已审核。")
MSG_REPORT_SUBMITTED = _("本支部%(year)s年度述职报告已提交。")
MSG_HOUR_RANGE = _("提醒时间应为0到23时。")
MSG_DAYS_RANGE = _("提前提醒天数应为1到28天。")
MSG_DUE_DAY_RANGE = _("截止日应为1到28日。")
MSG_TERM_DAYS_RANGE = _("换届提前提醒天数应为7到365天。")
MSG_EDIT_MONTHS_RANGE = _("组织生活记录可修改期限应为0到12个月。")
MSG_POLICY = _("请选择截止后的处理方式。")


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
    raise_errors(errors)
    task = WorkTask.objects.create(park=meeting.park, meeting=meeting, title=title, description=description, deadline=deadline)
    if save_as_template:
        TaskTemplate.objects.get_or_create(park=meeting.park, title=title, defaults={"description": description})
    audit_record(park=meeting.park, actor=actor, action="task.add", target=task, changes={"title": [None, title]})
    return task


@transaction.atomic
def task_publish(*, task: WorkTask, actor) -> int:
    """Send the task to every live branch of the park; publishing again adds only new branches."""
    park = task.park
    branches = live_party_branches(park=park)
    before = TaskAssignment.objects.filter(park=park, task=task).count()
    TaskAssignment.objects.bulk_create([TaskAssignment(park=park, task=task, branch=b) for b in branches], ignore_conflicts=True)
    created = TaskAssignment.objects.filter(park=park, task=task).count() - before
    if task.published_at is None:
        task.published_at = timezone.now()
        task.save(update_fields=["published_at"])
    # Each branch it reaches is told, as a notice would tell it (in-app, and by e-mail when set up).
    secretaries = secretaries_of(park)
    link = reverse("cycle:tasks", args=[park.code])
    message = f"新的月工作任务：{task.title}，请于{task.deadline:%m月%d日}前完成。"
    notify(park, [(user, f"task:{task.pk}", message[:300], link) for branch in branches for user in secretaries.get(branch.pk, [])])
    audit_record(park=park, actor=actor, action="task.publish", target=task, changes={"branches": [before, before + created]})
    return created


def task_complete_errors(assignment: TaskAssignment, note: str, evidence=()) -> dict[str, list[str]]:
    errors = {}
    if assignment.status == TaskAssignment.Status.DONE:
        errors["__all__"] = [str(MSG_TASK_DONE)]
    if assignment.task.published_at is None:
        errors["__all__"] = [str(MSG_TASK_NOT_PUBLISHED)]
    if not normalize_text(note):
        errors["note"] = [str(MSG_NOTE_REQUIRED)]
    if problems := check_uploads(evidence, photo=False):
        errors["evidence"] = problems
    return errors


@transaction.atomic
def task_complete(*, assignment: TaskAssignment, actor, note: str, evidence=()) -> TaskAssignment:
    """Done, with a note and evidence; past the deadline the park's rule closes it or marks it 逾期
    (its days late are derived from completed_at)."""
    deadline_state(assignment.park, DeadlinePolicy.Kind.TASK, assignment.task.deadline).check()
    raise_errors(task_complete_errors(assignment, note, evidence))
    assignment.status = TaskAssignment.Status.DONE
    assignment.note = normalize_text(note)
    assignment.completed_at = timezone.now()
    assignment.completed_by = actor
    assignment.save(update_fields=["status", "note", "completed_at", "completed_by"])
    attach(park=assignment.park, uploads=evidence, photo=False, task=assignment)
    changes = {"branch": [None, assignment.branch.name]}
    if late := late_days_at(assignment.task.deadline, assignment.completed_at):
        changes["days_late"] = [None, late]
    audit_record(park=assignment.park, actor=actor, action="task.complete", target=assignment.task, changes=changes)
    return assignment


# --- 月报告 ---------------------------------------------------------------------------------------
def report_errors(*, park, branch: Organisation, month: date, activities: str) -> dict[str, list[str]]:
    """What a month's report breaks before it is written (one a branch a month: the constraint)."""
    errors = {}
    if not normalize_text(activities):
        errors["activities"] = [str(MSG_NOTE_REQUIRED)]
    if month > timezone.localdate():
        errors["month"] = [str(MSG_REPORT_FUTURE)]
    if branch.park_id != park.pk:
        errors["branch"] = [str(MSG_BRANCH)]
    return errors


@transaction.atomic
def report_file(*, park, actor, branch: Organisation, month: date, activities: str, member_changes: str = "", problems: str = "") -> MonthlyReport:
    month = month_start(month)
    deadline_state(park, DeadlinePolicy.Kind.REPORT, report_deadline(month, cycle_settings(park).report_due_day)).check()
    raise_errors(report_errors(park=park, branch=branch, month=month, activities=activities))
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                park=park, branch=branch, month=month, activities=activities, member_changes=member_changes,
                problems=problems, submitted_by=actor,
            )
    except IntegrityError:  # the unique constraint: one report a branch a month
        raise ValidationError({"month": [str(MSG_REPORT_FILED % {"month": f"{month:%Y年%m月}"})]}) from None
    changes = {"month": [None, f"{month:%Y-%m}"]}
    if late := late_days_at(report_deadline(month, cycle_settings(park).report_due_day), report.submitted_at):
        changes["days_late"] = [None, late]
    audit_record(park=park, actor=actor, action="report.file", target=report.branch, changes=changes)
    return report


# --- 半年一总结 -----------------------------------------------------------------------------------
@transaction.atomic
def nomination_propose(*, summary: HalfYearSummary, actor, branch: Organisation, kind: str, reason: str, member: Member | None = None, today: date | None = None) -> Nomination:
    """A branch's nomination; past nominations_due the park's rule closes it or keeps it marked 逾期
    (proposed_on is the day it came in)."""
    today = today or timezone.localdate()
    deadline_state(summary.park, DeadlinePolicy.Kind.NOMINATION, summary.nominations_due, today).check()
    errors = {}
    if kind != Nomination.Kind.ORGANISATION and (member is None or member.branch_id != branch.pk):
        errors["member"] = [str(MSG_NOMINEE_REQUIRED)]
    if not normalize_text(reason):
        errors["reason"] = [str(MSG_NOTE_REQUIRED)]
    if branch.park_id != summary.park_id:
        errors["branch"] = [str(MSG_BRANCH)]
    raise_errors(errors)
    nomination = Nomination.objects.create(
        park=summary.park, summary=summary, kind=kind, branch=branch,
        member=member if kind != Nomination.Kind.ORGANISATION else None, reason=reason, proposed_on=today,
    )
    changes = {"kind": [None, kind]}
    if late := nomination.days_late:
        changes["days_late"] = [None, late]
    audit_record(park=summary.park, actor=actor, action="nomination.propose", target=summary, changes=changes)
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


# --- Settings and the reminder schedule ----------------------------------------------------------
@transaction.atomic
def deadline_policies_update(*, park, actor, policies: dict[str, str]) -> dict[str, str]:
    """The park's rule per kind of deadline: close the form, or accept late work marked 逾期."""
    errors = {f"deadline_{kind}": [str(MSG_POLICY)] for kind, policy in policies.items()
              if kind not in DeadlinePolicy.Kind.values or policy not in DeadlinePolicy.Policy.values}
    raise_errors(errors)
    before = policies_of(park)
    changes = {}
    for kind, policy in policies.items():
        if before[kind] != policy:
            DeadlinePolicy.objects.update_or_create(park=park, kind=kind, defaults={"policy": policy})
            changes[f"deadline_{kind}"] = [before[kind], policy]
    if changes:
        audit_record(park=park, actor=actor, action="cycle.deadlines", target=park, changes=changes)
    return policies_of(park)


REMINDER_TASK = "cycle.tasks.park_reminders"


def reminder_task_name(park) -> str:
    return f"四个一提醒 · {park.name}（{park.code}）"


def park_schedule_sync(*, park, settings: CycleSettings) -> None:
    """The park's own beat entry: its reminders at its reminder hour, Asia/Shanghai time."""
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
    if "term_reminder_days" in data and not 7 <= data["term_reminder_days"] <= 365:
        errors["term_reminder_days"] = [str(MSG_TERM_DAYS_RANGE)]
    if "activity_edit_months" in data and not 0 <= data["activity_edit_months"] <= 12:
        errors["activity_edit_months"] = [str(MSG_EDIT_MONTHS_RANGE)]
    raise_errors(errors)
    before = {name: getattr(settings, name) for name in data}
    for name, value in data.items():
        setattr(settings, name, value)
    settings.save()
    park_schedule_sync(park=park, settings=settings)
    changes = {name: [before[name], value] for name, value in data.items() if before[name] != value}
    if changes:
        audit_record(park=park, actor=actor, action="cycle.settings", target=settings, changes=changes)
    return settings
