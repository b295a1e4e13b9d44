"""The park's 四个一 rhythm as jobs: each takes (park, day), creates what is due that day, and
returns how many objects it created.

Idempotent by construction: every object has a unique constraint on its natural key and is created
with get_or_create (or bulk_create ignoring conflicts, then counted), so a job run twice for a day,
or killed halfway and run again, ends as one clean run would.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, RoleAssignment
from activities.models import (
    DEFAULT_FREQUENCIES,
    Activity,
    ActivityKind,
    AnnualReview,
    CycleSettings,
    HalfYearSummary,
    InspectionRound,
    MonthlyMeeting,
    MonthlyReport,
    Notification,
    Period,
    TaskAssignment,
)
from orgs.models import Organisation
from orgs.selectors import organisation_active_q


# --- Periods -------------------------------------------------------------------------------------
def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_bounds(day: date, period: str) -> tuple[date, date]:
    """The first and last day of the month, quarter or year that contains `day`."""
    if period == Period.MONTH:
        return month_start(day), month_end(day)
    if period == Period.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = date(day.year, first_month, 1)
        return start, month_end(date(day.year, first_month + 2, 1))
    return date(day.year, 1, 1), date(day.year, 12, 31)


def period_label(start: date, period: str) -> str:
    if period == Period.MONTH:
        return f"{start:%Y年%m月}"
    if period == Period.QUARTER:
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    return f"{start.year}年"


def settings_for(park) -> CycleSettings:
    """The park's settings, or the defaults (unsaved) while it has kept none."""
    return CycleSettings.objects.filter(park=park).first() or CycleSettings(park=park)


# --- Who is told -----------------------------------------------------------------------------------
def secretaries_of(park) -> dict[int, list[int]]:
    """organisation id → user ids of its branch secretaries (read with the roles table's own rules)."""
    from django_scopes import scopes_disabled

    with scopes_disabled():
        rows = RoleAssignment.objects.filter(park=park, role=Role.BRANCH_SECRETARY).values_list("organisation_id", "user_id")
    found = defaultdict(list)
    for organisation_id, user_id in rows:
        found[organisation_id].append(user_id)
    return found


def admins_of(park) -> list[int]:
    from django_scopes import scopes_disabled

    with scopes_disabled():
        return list(RoleAssignment.objects.filter(park=park, role=Role.PARK_ADMIN).values_list("user_id", flat=True))


def notify(park, entries: list[tuple[int, str, str, str]]) -> int:
    """Create the (user, key, message, link) reminders not sent before; returns how many are new.

    New ones also go by e-mail when the platform has e-mail configured (EMAIL_URL), after commit.
    """
    if not entries:
        return 0
    keys = {key for _, key, _, _ in entries}
    sent = set(Notification.objects.filter(park=park, key__in=keys).values_list("user_id", "key"))
    new, seen = [], set()
    for user, key, message, link in entries:
        if (user, key) not in sent and (user, key) not in seen:
            seen.add((user, key))
            new.append(Notification(park=park, user_id=user, key=key, message=message, link=link))
    # A job running at the same moment may have sent some: the unique constraint keeps one of each.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    if new and settings.REMINDER_EMAILS:
        transaction.on_commit(lambda: _email(new))
    return len(new)


def _email(notifications: list[Notification]) -> None:
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mass_mail

    addresses = dict(get_user_model().objects.filter(pk__in={n.user_id for n in notifications}).exclude(email="").values_list("pk", "email"))
    send_mass_mail(
        [("【红帆】待办提醒", n.message, None, [addresses[n.user_id]]) for n in notifications if n.user_id in addresses],
        fail_silently=True,  # the in-app list is the record; a mail outage must not fail the job
    )


# --- The jobs ------------------------------------------------------------------------------------
def job_monthly_meeting(park, day: date) -> int:
    """一月一例会: on the first of each month, the month's meeting and its (empty) work list."""
    if day.day != 1:
        return 0
    return int(MonthlyMeeting.objects.get_or_create(park=park, month=day)[1])


def job_inspection_round(park, day: date) -> int:
    """一季一巡查: opened on the first day of each quarter's last month."""
    if day.day != 1 or day.month % 3 != 0:
        return 0
    _, created = InspectionRound.objects.get_or_create(
        park=park,
        year=day.year,
        quarter=day.month // 3,
        defaults={"opens_on": day, "self_assessment_due": day + timedelta(days=14), "inspection_due": month_end(day)},
    )
    return int(created)


def job_half_year_summary(park, day: date) -> int:
    """半年一总结: opened on 1 June, nominations due before 七一."""
    if (day.month, day.day) != (6, 1):
        return 0
    _, created = HalfYearSummary.objects.get_or_create(park=park, year=day.year, defaults={"nominations_due": date(day.year, 6, 20)})
    return int(created)


def job_annual_review(park, day: date) -> int:
    """一年一行动 and 述职评议: opened on 1 December; secretaries report by the year's end."""
    if (day.month, day.day) != (12, 1):
        return 0
    _, created = AnnualReview.objects.get_or_create(park=park, year=day.year, defaults={"reports_due": date(day.year, 12, 31)})
    return int(created)


@dataclass(frozen=True)
class Gap:
    branch: Organisation
    kind: str
    period: str
    start: date
    end: date

    @property
    def kind_label(self) -> str:
        return str(ActivityKind(self.kind).label)


def branches_with_groups(park) -> set[int]:
    """党小组会 is owed only by branches that have 党小组 (one query)."""
    return set(
        Organisation.objects.filter(park=park, kind=Organisation.Kind.GROUP, dissolved_on__isnull=True)
        .values_list("parent_id", flat=True)
    )


def compliance_gaps(park, day: date) -> list[Gap]:
    """Required meetings each live branch has not held in the periods containing `day` (3 queries)."""
    config = settings_for(park)
    periods = {kind: config.period_of(kind) for kind in DEFAULT_FREQUENCIES}
    bounds = {kind: period_bounds(day, period) for kind, period in periods.items()}
    earliest = min(start for start, _ in bounds.values())
    held = set(
        Activity.objects.filter(park=park, held_on__gte=earliest, held_on__lte=day)
        .values_list("branch_id", "kind", "held_on")
    )
    done = {(branch, kind) for branch, kind, held_on in held if bounds[kind][0] <= held_on}
    branches = Organisation.objects.filter(park=park, kind=Organisation.Kind.BRANCH).filter(organisation_active_q(day))
    with_groups = branches_with_groups(park)
    gaps = []
    for branch in branches.order_by("name"):
        for kind, period in periods.items():
            if kind == ActivityKind.GROUP and branch.pk not in with_groups:
                continue
            if (branch.pk, kind) not in done:
                start, end = bounds[kind]
                gaps.append(Gap(branch, kind, period, start, end))
    return gaps


def job_compliance_reminders(park, day: date) -> int:
    """Ten days (the park's setting) before a period ends: remind branches that still owe a meeting."""
    config = settings_for(park)
    gaps = [g for g in compliance_gaps(park, day) if g.end - timedelta(days=config.reminder_days_before) == day]
    if not gaps:
        return 0
    secretaries = secretaries_of(park)
    link = reverse("activities:compliance", args=[park.code])
    entries = []
    for gap in gaps:
        label = ActivityKind(gap.kind).label
        message = f"{gap.branch.name}：{period_label(gap.start, gap.period)}尚未召开{label}，请在{gap.end:%m月%d日}前完成。"
        key = f"compliance:{gap.branch.pk}:{gap.kind}:{gap.start:%Y%m%d}"
        entries += [(user, key, message, link) for user in secretaries.get(gap.branch.pk, [])]
    per_period = defaultdict(int)
    for gap in gaps:
        per_period[(gap.period, gap.start)] += 1
    for (period, start), count in per_period.items():
        message = f"{period_label(start, period)}还有{count}项组织生活未按要求召开，请督促。"
        entries += [(user, f"compliance-admin:{period}:{start:%Y%m%d}", message, link) for user in admins_of(park)]
    return notify(park, entries)


def job_overdue_tasks(park, day: date) -> int:
    """Published work-list tasks past their deadline and not done: flag them to the branch."""
    overdue = TaskAssignment.objects.filter(
        park=park, status=TaskAssignment.Status.OPEN, task__deadline__lt=day, task__published_at__isnull=False
    ).select_related("task", "branch")
    secretaries = secretaries_of(park)
    entries = []
    for assignment in overdue:
        message = f"{assignment.branch.name}：月工作任务“{assignment.task.title}”已超过截止日期{assignment.task.deadline:%m月%d日}，请尽快完成。"
        link = reverse("activities:tasks", args=[park.code])
        entries += [(user, f"task-overdue:{assignment.pk}", message, link) for user in secretaries.get(assignment.branch_id, [])]
    return notify(park, entries)


def job_late_reports(park, day: date) -> int:
    """The day after the report due day: branches without last month's report are listed and told."""
    config = settings_for(park)
    if day.day != config.report_due_day + 1:
        return 0
    month = month_start(month_start(day) - timedelta(days=1))
    late = late_report_branches(park, month)
    secretaries = secretaries_of(park)
    link = reverse("activities:reports", args=[park.code])
    entries = []
    for branch in late:
        message = f"{branch.name}：{month:%Y年%m月}月报告未按时报送。"
        entries += [(user, f"report-late:{branch.pk}:{month:%Y%m}", message, link) for user in secretaries.get(branch.pk, [])]
    if late:
        message = f"{month:%Y年%m月}有{len(late)}个党支部未按时报送月报告。"
        entries += [(user, f"report-late-admin:{month:%Y%m}", message, link) for user in admins_of(park)]
    return notify(park, entries)


def late_report_branches(park, month: date) -> list[Organisation]:
    filed = MonthlyReport.objects.filter(park=park, month=month).values_list("branch_id", flat=True)
    return list(
        Organisation.objects.filter(park=park, kind=Organisation.Kind.BRANCH)
        .filter(organisation_active_q(month_end(month)))
        .exclude(pk__in=filed)
        .order_by("name")
    )


def job_member_stars(park, day: date) -> int:
    """On the first day of a quarter: the 星级党员 of the quarter just ended."""
    if day.day != 1 or day.month % 3 != 1:
        return 0
    from assessment.services import stars_select

    last = day - timedelta(days=1)
    return stars_select(park=park, year=last.year, quarter=(last.month - 1) // 3 + 1)


def job_round_assessment(park, day: date) -> int:
    """Pin each newly opened inspection round to the park's current rubric version."""
    if day.day != 1 or day.month % 3 != 0:
        return 0
    from assessment.models import RoundAssessment
    from assessment.services import round_assessment

    opened = InspectionRound.objects.filter(park=park, year=day.year, quarter=day.month // 3).first()
    if opened is None or RoundAssessment.objects.filter(park=park, round=opened).exists():
        return 0
    round_assessment(inspection_round=opened)
    return 1


JOBS = {
    "monthly_meeting": job_monthly_meeting,
    "inspection_round": job_inspection_round,
    "round_assessment": job_round_assessment,
    "half_year_summary": job_half_year_summary,
    "annual_review": job_annual_review,
    "compliance_reminders": job_compliance_reminders,
    "overdue_tasks": job_overdue_tasks,
    "late_reports": job_late_reports,
    "member_stars": job_member_stars,
}
CREATION_JOBS = ["monthly_meeting", "inspection_round", "round_assessment", "half_year_summary", "annual_review", "member_stars"]
REMINDER_JOBS = ["compliance_reminders", "overdue_tasks", "late_reports"]


def run_jobs(park, day: date, names=None) -> dict[str, int]:
    """Run the named jobs (all by default) for one park and day, each in its own transaction."""
    created = {}
    for name in names or JOBS:
        with transaction.atomic():
            created[name] = JOBS[name](park, day)
    return created
