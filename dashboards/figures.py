"""The figures the county and the park are shown, each derived from records already held (nothing
typed again for a report), for any number of parks in a fixed number of queries.

A figure is either *of the period* (meetings held, reports and tasks on time, demands raised,
visits, allowance) or *standing*, read as of the period's last day (or today while it runs):
enterprises and coverage, organisations, star levels. Members, the 组织体检 findings and the
demands' colours are read as they are today: the platform keeps no history of a member's status
that a past day could be read from, and a colour is today's urgency.

The rules come from their one place: meetings owed from activities.rules.meetings_owed, the
findings from members.checks.findings_of, colours from services.demands.colour_for, enterprise
sizes from orgs.rules.enterprise_size.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from activities.models import Activity, CycleSettings
from activities.rules import BranchShape, meetings_owed
from assessment.models import (
    ItemScore,
    PayoutBatch,
    RoundAssessment,
    StarLevel,
    UninspectedBranch,
)
from core.db import plain_rows
from core.periods import (
    ReportPeriod,
    month_end,
    month_number,
    months_between,
    next_month,
    quarter_of,
)
from cycle.models import MonthlyReport, TaskAssignment
from members.checks import (
    COMMITTEE_POSTS,
    COUNTED_STAGES,
    findings_of,
    is_checked,
    term_end,
)
from members.models import Member
from orgs.models import Enterprise, Instructor, Organisation, Park
from orgs.rules import enterprise_size
from orgs.selectors import coverage_by_park, enterprise_present_q, organisation_rows
from services.demands import OPEN_STATES, colour_for
from services.models import Demand, ServiceSettings, Visit

Kind = Organisation.Kind


@dataclass
class Figures:
    """One park's figures for a period (or the sum of several parks'). Rates are None when there is
    nothing to divide by, so an empty park reads "—", never 0 % or 100 %."""

    enterprises: int = 0
    by_ownership: Counter = field(default_factory=Counter)
    by_size: Counter = field(default_factory=Counter)
    org_covered: int = 0
    work_covered: int = 0
    organisations: Counter = field(default_factory=Counter)  # live organisations by kind
    branches_by_formation: Counter = field(default_factory=Counter)  # live 党支部 and 党总支
    members: Counter = field(default_factory=Counter)  # on the roll, by stage
    by_status: Counter = field(default_factory=Counter)  # every member, by status
    stars: Counter = field(default_factory=Counter)  # live 党支部 by current level
    stars_before: Counter = field(default_factory=Counter)  # … at the end of the quarter before
    allowance_approved: Decimal = Decimal("0")
    allowance_paid: Decimal = Decimal("0")
    meetings_held: int = 0
    meetings_owed: int = 0
    reports_on_time: int = 0
    reports_due: int = 0
    tasks_on_time: int = 0
    tasks_due: int = 0
    demands_raised: int = 0
    demands_closed: int = 0
    overdue: Counter = field(default_factory=Counter)  # open demands by colour, today
    instructors: int = 0
    visits: int = 0
    findings: int = 0
    # What needs the office today (the park dashboard's to-do): standing, whatever the period.
    tasks_overdue: int = 0  # published tasks a branch has not done by their deadline
    batches_waiting: int = 0  # 红星津贴 batches drafted or checked, not yet approved
    unscored: int = 0  # live 党支部 nobody has scored (nor marked 未检查) in an open round
    terms_ending: int = 0  # terms that end within the park's reminder days

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @staticmethod
    def rate(part, whole) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def org_rate(self):
        return self.rate(self.org_covered, self.enterprises)

    @property
    def work_rate(self):
        return self.rate(self.work_covered, self.enterprises)

    @property
    def compliance_rate(self):
        return self.rate(self.meetings_held, self.meetings_owed)

    @property
    def reports_rate(self):
        return self.rate(self.reports_on_time, self.reports_due)

    @property
    def tasks_rate(self):
        return self.rate(self.tasks_on_time, self.tasks_due)

    @property
    def closure_rate(self):
        return self.rate(self.demands_closed, self.demands_raised)

    @property
    def members_on_roll(self) -> int:
        return sum(self.members.values())

    @property
    def party_members(self) -> int:
        """预备党员 and 正式党员 on the roll (the others are on the way to membership)."""
        return sum(self.members[stage] for stage in Member.PARTY_STAGES)

    @property
    def branches(self) -> int:
        return self.organisations[Kind.BRANCH]

    @property
    def star_change(self) -> dict[int, int]:
        return {level: self.stars[level] - self.stars_before[level] for level in range(1, 6)}

    @property
    def five_stars(self) -> int:
        return self.stars[5]

    @property
    def uncovered(self) -> int:
        return self.enterprises - self.org_covered

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue.values())


def total(figures) -> Figures:
    found = Figures()
    for one in figures:
        found = found + one
    return found


@dataclass
class ParkBreakdown:
    """One park's figures, and per live 党支部 (id → name, figures) those a park dashboard shows
    by branch: members, star level, meetings and reports."""

    figures: Figures
    branches: dict[int, tuple[str, "BranchFigures"]]


@dataclass
class BranchFigures:
    """What the park dashboard's branch table shows of one 党支部: a slim Figures (a county has
    thousands of branches, each computed and cached with its park's figures)."""

    members: Counter = field(default_factory=Counter)  # on the roll, by stage
    stars: Counter = field(default_factory=Counter)  # its current level
    meetings_held: int = 0
    meetings_owed: int = 0
    reports_on_time: int = 0
    reports_due: int = 0

    rate = staticmethod(Figures.rate)
    members_on_roll = Figures.members_on_roll
    party_members = Figures.party_members
    compliance_rate = Figures.compliance_rate


def _count(queryset) -> Subquery:
    return Coalesce(Subquery(queryset.order_by().values("park").annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def _sum(queryset, column: str) -> Subquery:
    return Coalesce(Subquery(queryset.order_by().values("park").annotate(s=Sum(column)).values("s")[:1],
                             output_field=DecimalField()), Value(Decimal("0")))


_NONE = frozenset()


def _quarter_index(day: date) -> int:
    return day.year * 4 + quarter_of(day) - 1


def compute(parks, period: ReportPeriod, today: date | None = None) -> dict[int, ParkBreakdown]:
    """Every figure of every park given, for the period: twelve queries whatever the number of parks."""
    today = today or timezone.localdate()
    start, end = period.start, period.end
    as_of = period.as_of(today)
    before = ReportPeriod.containing(as_of).previous().end
    park_ids = [p if isinstance(p, int) else p.pk for p in parks]
    scoped = {"park": OuterRef("pk")}

    # 1. Each park's settings and its figures that are one count or one sum.
    deadline_passed = Q(task__deadline__lt=today) | Q(completed_at__isnull=False)
    on_time = Q(completed_at__isnull=False, completed_at__date__lte=F("task__deadline"))
    # The task's park too (always the assignment's: orgs.same_park): the planner then starts from the
    # park's tasks due in the period (index park, deadline) instead of every assignment of the park.
    assignments = TaskAssignment.objects.filter(**scoped, task__park=OuterRef("pk"), task__deadline__gte=start,
                                                task__deadline__lte=end, task__published_at__isnull=False)
    raised = Demand.objects.filter(**scoped, raised_at__date__gte=start, raised_at__date__lte=end)
    quarters = PayoutBatch.objects.annotate(index=F("year") * 4 + F("quarter") - 1).filter(
        **scoped, index__gte=_quarter_index(start), index__lte=_quarter_index(end))
    park_rows = {
        park.pk: park
        for park in Park.objects.filter(pk__in=park_ids).select_related("cycle_settings", "service_settings").annotate(
            instructors_n=_count(Instructor.objects.filter(**scoped, is_active=True)),
            visits_n=_count(Visit.objects.filter(**scoped, visited_on__gte=start, visited_on__lte=min(end, today))),
            raised_n=_count(raised),
            closed_n=_count(raised.filter(state=Demand.State.CLOSED)),
            tasks_due_n=_count(assignments.filter(deadline_passed)),
            tasks_on_time_n=_count(assignments.filter(on_time)),
            approved_sum=_sum(quarters.filter(status__in=(PayoutBatch.Status.APPROVED, PayoutBatch.Status.PAID)), "total"),
            paid_sum=_sum(quarters.filter(status=PayoutBatch.Status.PAID), "total"),
            overdue_n=_count(TaskAssignment.objects.filter(**scoped, status=TaskAssignment.Status.OPEN,
                                                           task__published_at__isnull=False, task__deadline__lt=today)),
            waiting_n=_count(PayoutBatch.objects.filter(**scoped, status__in=(PayoutBatch.Status.DRAFT, PayoutBatch.Status.CHECKED))),
            open_rounds_n=_count(RoundAssessment.objects.filter(**scoped, status=RoundAssessment.Status.OPEN)),
        )
    }
    result = {pk: Figures() for pk in park_ids}
    for pk, row in park_rows.items():
        one = result[pk]
        one.instructors, one.visits = row.instructors_n, row.visits_n
        one.demands_raised, one.demands_closed = row.raised_n, row.closed_n
        one.tasks_due, one.tasks_on_time = row.tasks_due_n, row.tasks_on_time_n
        one.allowance_approved, one.allowance_paid = row.approved_sum, row.paid_sum
        one.tasks_overdue, one.batches_waiting = row.overdue_n, row.waiting_n

    # 2–3. Enterprises present on the day (by ownership and size), and coverage.
    for row in (Enterprise.objects.filter(park_id__in=park_ids).filter(enterprise_present_q(as_of))
                .values("park_id", "ownership", "employees").annotate(n=Count("pk")).order_by()):
        one = result[row["park_id"]]
        one.enterprises += row["n"]
        one.by_ownership[row["ownership"]] += row["n"]
        one.by_size[enterprise_size(row["employees"])] += row["n"]
    for pk, coverage in coverage_by_park(parks=park_ids, on=as_of).items():
        result[pk].org_covered, result[pk].work_covered = coverage.org_covered, coverage.work_covered

    # 4. The organisation tree of every park (live on the day, and the rows the findings read).
    organisations = organisation_rows(park_ids)
    live = [o for o in organisations if o.is_active_on(as_of)]
    branches = [o for o in live if o.kind == Kind.BRANCH]
    with_groups = {o.parent_id for o in live if o.kind == Kind.GROUP}
    for org in live:
        result[org.park_id].organisations[org.kind] += 1
        if org.is_branch_level and org.formation:
            result[org.park_id].branches_by_formation[org.formation] += 1
    per_branch = {b.pk: BranchFigures() for b in branches}

    # 5. Members by stage and status, and per branch what the findings and the meetings owed read.
    counted = defaultdict(lambda: {"members": 0, "full": 0, "committee": 0})
    for park_id, branch_id, stage, status, members, committee in plain_rows(
        Member.objects.filter(park_id__in=park_ids).values("park_id", "branch_id", "stage", "status")
        .annotate(n=Count("pk"), committee=Count("pk", filter=Q(post__in=COMMITTEE_POSTS))).order_by()
    ):
        one = result[park_id]
        one.by_status[status] += members
        if status in Member.ON_ROLL:
            one.members[stage] += members
            if branch_id in per_branch:
                per_branch[branch_id].members[stage] += members
            if stage in COUNTED_STAGES:
                n = counted[branch_id]
                n["members"] += members
                n["committee"] += committee
                if stage == Member.Stage.FULL:
                    n["full"] += members
    checked = [o for o in organisations if is_checked(o, today)]
    for finding in findings_of(checked, counted, today):
        result[finding.organisation.park_id].findings += 1

    # 6–7. Star levels of the live 党支部: now, and at the end of the quarter before.
    live_branch_ids = {b.pk for b in branches}
    before_ids = {o.pk for o in organisations if o.kind == Kind.BRANCH and o.is_active_on(before)}
    for day, ids, attribute in ((as_of, live_branch_ids, "stars"), (before, before_ids, "stars_before")):
        for park_id, branch_id, level in _levels_on(park_ids, day):
            if branch_id in ids:
                getattr(result[park_id], attribute)[level] += 1
                if attribute == "stars":
                    per_branch[branch_id].stars[level] += 1

    # 8. 三会一课 held as each branch owes them (meetings_owed, the park's frequencies).
    # A park's branches come in a few shapes, and the periods they owe in are the same few: each
    # shape's meetings and each period's months are worked out once (a county has thousands of branches).
    settings = {pk: _setting(row, "cycle_settings", CycleSettings()) for pk, row in park_rows.items()}
    owed, shapes = {}, {}
    for branch in branches:
        shape = BranchShape(branch.pk in with_groups, counted[branch.pk]["full"])
        key = (branch.park_id, shape.has_groups, shape.has_committee)
        if key not in shapes:
            shapes[key] = meetings_owed(settings[branch.park_id], branch=shape, start=start, end=end)
        owed[branch.pk] = shapes[key]
    earliest = min((o.start for items in shapes.values() for o in items), default=start)
    held = defaultdict(set)  # (branch, kind) → the numbers of the months it held one in
    for branch_id, kind, day in (Activity.objects.filter(park_id__in=park_ids, held_on__gte=earliest, held_on__lte=min(end, today))
                                 .values_list("branch_id", "kind", "held_on").order_by().distinct()):
        held[branch_id, kind].add(month_number(day))
    spans = {}  # (first, last) of a period → the numbers of its months that have begun by today
    for items in shapes.values():
        for item in items:
            if (item.start, item.end) not in spans:
                spans[item.start, item.end] = range(month_number(item.start), month_number(min(item.end, today)) + 1)
    for branch in branches:
        one, branch_id = per_branch[branch.pk], branch.pk
        for item in owed[branch_id]:
            kept = not held.get((branch_id, item.kind), _NONE).isdisjoint(spans[item.start, item.end])
            if kept or item.end < today:
                one.meetings_owed += 1
                one.meetings_held += kept

    # 9. Monthly reports filed by their due day (the park's setting: the Nth of the next month).
    filed = defaultdict(dict)
    for branch_id, month, submitted_on in plain_rows(MonthlyReport.objects.filter(
        park_id__in=park_ids, month__gte=start, month__lte=end
    ).annotate(submitted_on=TruncDate("submitted_at")).values_list("branch_id", "month", "submitted_on").order_by()):
        filed[branch_id][month] = submitted_on  # the day in the platform's time zone, as the pages show it
    months = [(month, month_end(month)) for month in months_between(start, end) if month <= today]
    due_days = {}  # (month, the park's due day) → the report's last day
    for branch in branches:
        one = per_branch[branch.pk]
        due_day = settings[branch.park_id].report_due_day
        for month, last in months:
            if not branch.is_active_on(last):
                continue
            if (month, due_day) not in due_days:
                due_days[month, due_day] = next_month(month) + timedelta(days=due_day - 1)
            due = due_days[month, due_day]
            on = filed[branch.pk].get(month)
            if on is not None or due < today:
                one.reports_due += 1
                one.reports_on_time += on is not None and on <= due

    # 10. Open demands by colour, today, by each park's own days.
    services = {pk: _setting(row, "service_settings", ServiceSettings()) for pk, row in park_rows.items()}
    for park_id, state, due_on in (Demand.objects.filter(park_id__in=park_ids, state__in=OPEN_STATES, due_on__isnull=False)
                                   .values_list("park_id", "state", "due_on").order_by()):
        if colour := colour_for(state, due_on, settings=services[park_id], today=today):
            result[park_id].overdue[colour] += 1

    # 11–12. The to-do: terms ending soon, and live 党支部 not yet scored in an open round.
    for branch in branches:
        ends = term_end(branch)
        if ends and today < ends <= today + timedelta(days=settings[branch.park_id].term_reminder_days):
            result[branch.park_id].terms_ending += 1
    open_parks = {pk for pk, row in park_rows.items() if row.open_rounds_n}
    if open_parks:
        done = set(ItemScore.objects.filter(park_id__in=open_parks, assessment__status=RoundAssessment.Status.OPEN,
                                            points__isnull=False).values_list("branch_id", flat=True).order_by().distinct())
        done |= set(UninspectedBranch.objects.filter(park_id__in=open_parks, assessment__status=RoundAssessment.Status.OPEN)
                    .values_list("branch_id", flat=True).order_by())
        for branch in branches:
            if branch.park_id in open_parks and branch.pk not in done and branch.is_active_on(today):
                result[branch.park_id].unscored += 1

    found = {pk: ParkBreakdown(figures=result[pk], branches={}) for pk in park_ids}
    for branch in branches:
        one = per_branch[branch.pk]
        park = result[branch.park_id]
        park.meetings_held += one.meetings_held
        park.meetings_owed += one.meetings_owed
        park.reports_on_time += one.reports_on_time
        park.reports_due += one.reports_due
        found[branch.park_id].branches[branch.pk] = (branch.name, one)
    return found


def _levels_on(park_ids, day: date):
    """Each branch's latest star level decided by the end of `day` (one DISTINCT ON query)."""
    return (StarLevel.objects.filter(park_id__in=park_ids, created_at__date__lte=day)
            .order_by("branch_id", "-created_at", "-pk").distinct("branch_id").values_list("park_id", "branch_id", "level"))


def _setting(park: Park, name: str, default):
    """A park's settings row from the select_related read, or the defaults while it keeps none."""
    try:
        return getattr(park, name)
    except ObjectDoesNotExist:
        return default
