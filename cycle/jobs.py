"""The park's 四个一 rhythm as jobs: each takes (park, day), creates what is due that day, and
returns how many objects it created (or reminders it sent).

Idempotent by construction: every object has a unique constraint on its natural key and is created
with get_or_create (or bulk_create ignoring conflicts, then counted), so a job run twice for a day,
or killed halfway and run again, ends as one clean run would.

The cycle schedules work of the layers above it too (the assessment pins a newly opened round to
its rubric): those register here with `cycle_job`, in the order they must run, so `run_cycle` and
the daily Celery task run every job without the cycle importing the apps above it.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse

from activities.selectors import compliance_gaps, cycle_settings
from core.periods import (
    month_end,
    month_in_quarter,
    period_label,
    previous_month,
    quarter_of,
)
from cycle.models import (
    AnnualReview,
    HalfYearSummary,
    InspectionRound,
    MonthlyMeeting,
    TaskAssignment,
)
from cycle.notifications import admins_of, notify, secretaries_of
from cycle.selectors import late_report_branches
from members.development import STEP as DEVELOPMENT_STEP
from members.rules import add_years
from members.selectors import development_due
from orgs.rules import TERM_YEARS
from orgs.selectors import live_party_branches

CREATES, REMINDS = "creates", "reminds"  # creation jobs run daily at 00:10; reminders at the park's hour

# name → job(park, day) -> int, in the order they run; registered with cycle_job.
JOBS: dict[str, Callable[..., int]] = {}
_does: dict[str, str] = {}


def cycle_job(name: str, *, does: str = CREATES, after: str | None = None):
    """Register a job; `after` places it right behind the job it depends on."""

    def register(run):
        if name in JOBS:
            raise ValueError(f"cycle job {name!r} registered twice")
        order = list(JOBS.items())
        position = len(order) if after is None else [n for n, _ in order].index(after) + 1
        order.insert(position, (name, run))
        JOBS.clear()
        JOBS.update(order)
        _does[name] = does
        return run

    return register


def job_names(does: str | None = None) -> list[str]:
    return [name for name in JOBS if does is None or _does[name] == does]


def run_jobs(park, day: date, names=None) -> dict[str, int]:
    """Run the named jobs (all by default, in their order) for one park and day, each in its own
    transaction."""
    unknown = set(names or ()) - set(JOBS)
    if unknown:
        raise KeyError(f"unknown cycle jobs: {sorted(unknown)}")
    created = {}
    for name, run in JOBS.items():
        if names is None or name in names:
            with transaction.atomic():
                created[name] = run(park, day)
    return created


# --- The jobs that create the rhythm's records ---------------------------------------------------
@cycle_job("monthly_meeting")
def job_monthly_meeting(park, day: date) -> int:
    """一月一例会: on the first of each month, the month's meeting and its (empty) work list."""
    if day.day != 1:
        return 0
    return int(MonthlyMeeting.objects.get_or_create(park=park, month=day)[1])


@cycle_job("inspection_round")
def job_inspection_round(park, day: date) -> int:
    """一季一巡查: opened on the first day of each quarter's last month."""
    if day.day != 1 or month_in_quarter(day) != 3:
        return 0
    _, created = InspectionRound.objects.get_or_create(
        park=park,
        year=day.year,
        quarter=quarter_of(day),
        defaults={"opens_on": day, "self_assessment_due": day + timedelta(days=14), "inspection_due": month_end(day)},
    )
    return int(created)


@cycle_job("half_year_summary")
def job_half_year_summary(park, day: date) -> int:
    """半年一总结: opened on 1 June, nominations due before 七一."""
    if (day.month, day.day) != (6, 1):
        return 0
    _, created = HalfYearSummary.objects.get_or_create(park=park, year=day.year, defaults={"nominations_due": date(day.year, 6, 20)})
    return int(created)


@cycle_job("annual_review")
def job_annual_review(park, day: date) -> int:
    """一年一行动 and 述职评议: opened on 1 December; secretaries report by the year's end."""
    if (day.month, day.day) != (12, 1):
        return 0
    _, created = AnnualReview.objects.get_or_create(park=park, year=day.year, defaults={"reports_due": date(day.year, 12, 31)})
    return int(created)


# --- Reminders -----------------------------------------------------------------------------------
@cycle_job("compliance_reminders", does=REMINDS)
def job_compliance_reminders(park, day: date) -> int:
    """Ten days (the park's setting) before a period ends: remind branches that still owe a meeting."""
    config = cycle_settings(park)
    gaps = compliance_gaps(park, day, ending_on=day + timedelta(days=config.reminder_days_before), config=config)
    if not gaps:
        return 0
    secretaries = secretaries_of(park)
    link = reverse("activities:compliance", args=[park.code])
    entries = []
    for gap in gaps:
        message = f"{gap.branch.name}：{period_label(gap.start, gap.period)}尚未召开{gap.kind_label}，请在{gap.end:%m月%d日}前完成。"
        key = f"compliance:{gap.branch.pk}:{gap.kind}:{gap.start:%Y%m%d}"
        entries += [(user, key, message, link) for user in secretaries.get(gap.branch.pk, [])]
    per_period = defaultdict(int)
    for gap in gaps:
        per_period[(gap.period, gap.start)] += 1
    for (period, start), count in per_period.items():
        message = f"{period_label(start, period)}还有{count}项组织生活未按要求召开，请督促。"
        entries += [(user, f"compliance-admin:{period}:{start:%Y%m%d}", message, link) for user in admins_of(park)]
    return notify(park, entries)


DEVELOPMENT_WARNING_DAYS = 7  # how long before a step's deadline the branch is told


@cycle_job("development_deadlines", does=REMINDS)
def job_development_deadlines(park, day: date) -> int:
    """A week before a 发展党员 step's deadline (谈话, 审批 …), and once it has passed: the branch's
    secretaries and the park admins are told, once per person and step."""
    soon = [(member, due) for member, due in development_due(park=park)
            if due.end is not None and due.end - timedelta(days=DEVELOPMENT_WARNING_DAYS) <= day]
    if not soon:
        return 0
    secretaries = secretaries_of(park)
    admins = admins_of(park)
    entries = []
    for member, due in soon:
        late = due.end < day
        link = reverse("members:development", args=[park.code, member.pk])
        step = DEVELOPMENT_STEP[due.code].name
        message = (f"发展党员：{member.name}（{member.branch.name}）的“{step}”"
                   + (f"已超过时限{due.end:%m月%d日}。" if late else f"须在{due.end:%m月%d日}前办理。"))
        key = f"development:{member.pk}:{due.code}:{'late' if late else 'soon'}"
        entries += [(user, key, message[:300], link) for user in [*secretaries.get(member.branch_id, []), *admins]]
    return notify(park, entries)


@cycle_job("overdue_tasks", does=REMINDS)
def job_overdue_tasks(park, day: date) -> int:
    """Published work-list tasks past their deadline and not done: flag them to the branch."""
    overdue = TaskAssignment.objects.filter(
        park=park, status=TaskAssignment.Status.OPEN, task__deadline__lt=day, task__published_at__isnull=False
    ).select_related("task", "branch")
    if not overdue:
        return 0
    secretaries = secretaries_of(park)
    link = reverse("cycle:tasks", args=[park.code])
    entries = []
    for assignment in overdue:
        message = f"{assignment.branch.name}：月工作任务“{assignment.task.title}”已超过截止日期{assignment.task.deadline:%m月%d日}，请尽快完成。"
        entries += [(user, f"task-overdue:{assignment.pk}", message, link) for user in secretaries.get(assignment.branch_id, [])]
    return notify(park, entries)


@cycle_job("late_reports", does=REMINDS)
def job_late_reports(park, day: date) -> int:
    """The day after the report due day: branches without last month's report are listed and told."""
    config = cycle_settings(park)
    if day.day != config.report_due_day + 1:
        return 0
    month = previous_month(day)
    late = late_report_branches(park, month)
    secretaries = secretaries_of(park)
    link = reverse("cycle:reports", args=[park.code])
    entries = []
    for branch in late:
        message = f"{branch.name}：{month:%Y年%m月}月报告未按时报送。"
        entries += [(user, f"report-late:{branch.pk}:{month:%Y%m}", message, link) for user in secretaries.get(branch.pk, [])]
    if late:
        message = f"{month:%Y年%m月}有{len(late)}个党支部未按时报送月报告。"
        entries += [(user, f"report-late-admin:{month:%Y%m}", message, link) for user in admins_of(park)]
    return notify(park, entries)


@cycle_job("term_reminders", does=REMINDS)
def job_term_reminders(park, day: date) -> int:
    """换届: the park's days (default 90) before a committee's term ends, tell the park admin and the
    branch's secretary, so the election is prepared in time (支部工作条例 ch. 6)."""
    notice = timedelta(days=cycle_settings(park).term_reminder_days)
    elected = live_party_branches(park=park, on=day).filter(elected_on__isnull=False)
    ending = [org for org in elected if add_years(org.elected_on, TERM_YEARS) - notice == day]
    if not ending:
        return 0
    secretaries = secretaries_of(park)
    link = reverse("members:org_check", args=[park.code])
    entries = []
    for org in ending:
        ends = add_years(org.elected_on, TERM_YEARS)
        message = f"{org.name}：本届任期将于{ends:%Y年%m月%d日}届满，请提前做好换届选举准备。"
        key = f"term-ends:{org.pk}:{ends:%Y%m%d}"
        entries += [(user, key, message, link) for user in secretaries.get(org.pk, []) + admins_of(park)]
    return notify(park, entries)
