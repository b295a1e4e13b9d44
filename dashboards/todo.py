"""Each role's start page as a to-do list: what the user has to do today, read from the records the
platform already holds (nothing is typed in for it) and never cached, so a task completed or a
meeting recorded leaves the list at once.

The counts come from the same functions as the pages the items link to: meetings owed from
`activities.selectors.compliance_gaps` (the compliance page's 即将到期 list), visits from
`services.visits.visits_due` (the visits page), late reports from the month the reports page shows.
A park admin's to-do is the park dashboard's (`dashboards.views.todo`); a county viewer's start page
is the county dashboard.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from activities.selectors import compliance_gaps, cycle_settings
from assessment.models import ItemScore, RoundAssessment, UninspectedBranch
from core.periods import month_start
from core.roles import Role
from cycle.deadlines import deadline_state, policies_of, report_deadline
from cycle.models import DeadlinePolicy, MonthlyReport, TaskAssignment
from orgs.selectors import live_party_branches
from services.demands import enterprise_side_q
from services.models import Demand, NoticeField, NoticeRecipient
from services.notices import recipient_q
from services.visits import instructor_of, visits_due

SHOWN = 8  # rows listed under a heading; the rest are counted and reached by its link


@dataclass(frozen=True)
class Row:
    text: str
    url: str
    due: date | None = None
    today: date | None = None

    @property
    def days_late(self) -> int:
        return (self.today - self.due).days if self.due and self.today and self.today > self.due else 0


@dataclass
class Section:
    title: str
    url: str
    rows: list[Row] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def shown(self) -> list[Row]:
        return self.rows[:SHOWN]

    @property
    def more(self) -> int:
        return max(0, self.count - SHOWN)


def _url(name: str, park, *args, query: str = "") -> str:
    return reverse(name, args=[park.code, *args]) + (f"?{query}" if query else "")


# --- Branch secretary ----------------------------------------------------------------------------
def secretary_sections(park, access, user, today: date) -> list[Section]:
    """Tasks due, last month's report, meetings owed this period, notices unread or awaiting a reply,
    demands awaiting confirmation, and the self-assessment of an open round (about 12 queries)."""
    branches = {b.pk: b for b in live_party_branches(park=park, on=today).filter(pk__in=access.organisation_ids).order_by("name")}
    several = len(branches) > 1
    policies = policies_of(park)

    def named(branch_id: int, text: str) -> str:
        return f"{branches[branch_id].name}：{text}" if several and branch_id in branches else text

    def doable(kind: str, deadline: date) -> bool:  # past a deadline the park closes, the work is no longer asked for
        return deadline_state(park, kind, deadline, today, policies=policies).accepts

    tasks = Section("月工作清单", _url("cycle:tasks", park))
    for a in (TaskAssignment.objects.filter(park=park, branch_id__in=list(branches), status=TaskAssignment.Status.OPEN,
                                            task__published_at__isnull=False)
              .select_related("task").order_by("task__deadline", "pk")[:200]):
        if doable(DeadlinePolicy.Kind.TASK, a.task.deadline):
            tasks.rows.append(Row(named(a.branch_id, a.task.title), tasks.url, a.task.deadline, today))

    last_month = month_start(month_start(today) - timedelta(days=1))
    config = cycle_settings(park)  # the report's due day and the meetings owed read the same settings
    due = report_deadline(last_month, config.report_due_day)
    filed = set(MonthlyReport.objects.filter(park=park, branch_id__in=list(branches), month=last_month).values_list("branch_id", flat=True))
    reports = Section("月报告", _url("cycle:reports", park))
    for pk in branches:
        if pk not in filed and doable(DeadlinePolicy.Kind.REPORT, due):
            reports.rows.append(Row(named(pk, f"{last_month:%Y年%m月}月报告未报送"), _url("cycle:report_file", park), due, today))

    meetings = Section("本期应开的组织生活", _url("activities:compliance", park))
    for gap in compliance_gaps(park, today, config=config):
        if gap.branch.pk in branches:
            meetings.rows.append(Row(named(gap.branch.pk, f"{gap.kind_label}（{gap.period}）"), _url("activities:create", park), gap.end, today))

    notices = Section("通知公告", _url("services:notices", park))
    with_form = NoticeField.objects.filter(notice_id=OuterRef("notice_id"))
    for r in (NoticeRecipient.objects.filter(park=park).filter(recipient_q(access))
              .filter(Q(first_read_at__isnull=True) | Q(replied_at__isnull=True, notice__reply_due__gte=today) & Exists(with_form))
              .select_related("notice").order_by("-notice__published_at")[:50]):
        what = "未读" if r.first_read_at is None else "待回复"
        notices.rows.append(Row(f"{what}：{r.notice.title}", _url("services:notice", park, r.notice_id), r.notice.reply_due, today))

    sections = [tasks, reports, meetings, notices, _demands_to_confirm(park, access, user),
                _self_assessments(park, branches, named, today, doable)]
    return sections


def _demands_to_confirm(park, access, user) -> Section:
    section = Section("待确认销号的诉求", _url("services:demands", park, query="state=resolved"))
    for d in (Demand.objects.filter(park=park, state=Demand.State.RESOLVED).filter(enterprise_side_q(access) | Q(raised_by_id=user.pk))
              .select_related("enterprise").order_by("raised_at")[:50]):
        section.rows.append(Row(f"{d.enterprise.name}：{d.category}", _url("services:demand", park, d.pk)))
    return section


def _open_assessments(park):
    return list(RoundAssessment.objects.filter(park=park, status=RoundAssessment.Status.OPEN).select_related("round")
                .order_by("round__inspection_due"))


def _self_assessments(park, branches: dict, named, today: date, doable) -> Section:
    section = Section("季度自查", _url("assessment:overview", park))
    for assessment in _open_assessments(park):
        if not doable(DeadlinePolicy.Kind.SELF_ASSESSMENT, assessment.round.self_assessment_due):
            continue
        done = set(ItemScore.objects.filter(park=park, assessment=assessment, branch_id__in=list(branches), self_points__isnull=False)
                   .values_list("branch_id", flat=True))
        for pk in branches:
            if pk not in done:
                section.rows.append(Row(named(pk, f"{assessment.round}自查未填报"),
                                        _url("assessment:score", park, assessment.round_id, pk), assessment.round.self_assessment_due, today))
    return section


# --- Inspector -----------------------------------------------------------------------------------
def inspector_sections(park, today: date) -> list[Section]:
    """The live 党支部 nobody has scored (nor marked 未检查) in each open round, by its deadline —
    the same rule as the park dashboard's 本轮尚未评分 (dashboards.figures)."""
    section = Section("待评分的党支部", _url("assessment:overview", park))
    policies = policies_of(park)
    assessments = [a for a in _open_assessments(park)  # past a deadline the park closes, nothing is left to score
                   if deadline_state(park, DeadlinePolicy.Kind.INSPECTION, a.round.inspection_due, today, policies=policies).accepts]
    if assessments:
        branches = list(live_party_branches(park=park, on=today).order_by("name"))
        scored = set(ItemScore.objects.filter(park=park, assessment__in=assessments, points__isnull=False)
                     .values_list("assessment_id", "branch_id").distinct())
        scored |= set(UninspectedBranch.objects.filter(park=park, assessment__in=assessments).values_list("assessment_id", "branch_id"))
        for assessment in assessments:
            for branch in branches:
                if (assessment.pk, branch.pk) not in scored:
                    section.rows.append(Row(f"{assessment.round} · {branch.name}", _url("assessment:score", park, assessment.round_id, branch.pk),
                                            assessment.round.inspection_due, today))
    return [section]


# --- Instructor ----------------------------------------------------------------------------------
def instructor_sections(park, access, user, today: date) -> list[Section]:
    """Enterprises owed a visit this quarter, and the demands of their enterprises awaiting confirmation."""
    visits = Section("本季度待走访的企业", _url("services:visits", park))
    instructor = instructor_of(park, user)
    if instructor is not None:
        for due in visits_due(park=park, on=today, instructor=instructor):
            if due.owed:
                visits.rows.append(Row(f"{due.enterprise.name}：本季度已走访{due.visits}次，还应走访{due.owed}次",
                                       _url("services:visit_create", park, query=f"enterprise={due.enterprise.pk}")))
    return [visits, _demands_to_confirm(park, access, user)]


def sections_for(park, access, user, today: date) -> list[tuple[str, list[Section]]]:
    """The to-do of every role the user holds in the park other than the office's, role by role."""
    found = []
    if Role.BRANCH_SECRETARY in access.roles and access.organisation_ids:
        found.append(("支部书记", secretary_sections(park, access, user, today)))
    if Role.INSPECTOR in access.roles:
        found.append(("巡查人员", inspector_sections(park, today)))
    if Role.INSTRUCTOR in access.roles:
        found.append(("党建工作指导员", instructor_sections(park, access, user, today)))
    return found

