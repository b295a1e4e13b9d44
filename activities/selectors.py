"""Reads for the activity pages: the compliance table, task boards, late reports, points."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from activities.models import (
    DEFAULT_FREQUENCIES,
    Activity,
    ActivityKind,
    EducationPoint,
    Period,
)
from orgs.models import Organisation
from orgs.selectors import organisation_active_q
from services.cycle import branches_with_groups, month_end, period_bounds, settings_for


@dataclass(frozen=True)
class Column:
    kind: str
    period: str
    start: date
    end: date

    @property
    def label(self) -> str:
        name = ActivityKind(self.kind).label
        if self.period == Period.MONTH:
            return f"{name}（{self.start.month}月）"
        if self.period == Period.QUARTER:
            return f"{name}（本季度）"
        return f"{name}（本年）"


@dataclass(frozen=True)
class Cell:
    held: int
    due: bool  # the period has begun by `today`
    required: bool = True  # 党小组会 only where the branch has 党小组

    @property
    def gap(self) -> bool:
        return self.required and self.due and self.held == 0


def compliance_matrix(*, park, year: int, quarter: int, branch_ids=None, today: date) -> tuple[list[Column], list[tuple]]:
    """Rows of (branch, [Cell per column]) for one quarter: 4 queries whatever the park's size."""
    config = settings_for(park)
    first = date(year, 3 * quarter - 2, 1)
    columns = []
    for kind in DEFAULT_FREQUENCIES:
        period = config.period_of(kind)
        if period == Period.MONTH:
            for offset in range(3):
                start = date(year, first.month + offset, 1)
                columns.append(Column(kind, period, start, month_end(start)))
        else:
            start, end = period_bounds(first, period)
            columns.append(Column(kind, period, start, end))
    earliest = min(c.start for c in columns)
    latest = max(c.end for c in columns)
    counts: dict[tuple[int, str], list[tuple[date, int]]] = defaultdict(list)  # (branch, kind) → months held
    for row in (
        Activity.objects.filter(park=park, held_on__gte=earliest, held_on__lte=latest)
        .annotate(month=TruncMonth("held_on"))
        .values("branch_id", "kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["branch_id"], row["kind"])].append((row["month"], row["n"]))
    branches = Organisation.objects.filter(park=park, kind=Organisation.Kind.BRANCH).filter(organisation_active_q(min(today, latest)))
    if branch_ids is not None:
        branches = branches.filter(pk__in=branch_ids)
    with_groups = branches_with_groups(park)
    rows = []
    for branch in branches.order_by("name"):
        cells = []
        for column in columns:
            held = sum(n for month, n in counts.get((branch.pk, column.kind), ()) if column.start <= month <= column.end)
            required = column.kind != ActivityKind.GROUP or branch.pk in with_groups
            cells.append(Cell(held=held, due=column.start <= today, required=required))
        rows.append((branch, cells))
    return columns, rows


def education_totals(*, park, year: int) -> list[dict]:
    """Each branch's members' education points in the year, highest first (one query)."""
    return list(
        EducationPoint.objects.filter(park=park, earned_on__year=year)
        .values("member__branch__name")
        .annotate(points=Sum("points"), members=Count("member", distinct=True))
        .order_by("-points", "member__branch__name")
    )


def member_points(*, park, year: int, branch_ids=None) -> list[dict]:
    qs = EducationPoint.objects.filter(park=park, earned_on__year=year)
    if branch_ids is not None:
        qs = qs.filter(member__branch_id__in=branch_ids)
    return list(
        qs.values("member__name", "member__branch__name")
        .annotate(points=Sum("points"), hours=Sum("signup__volunteer_hours", filter=Q(signup__attended=True)))
        .order_by("-points", "member__name")
    )
