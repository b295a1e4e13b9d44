"""Reads for the activity pages and the jobs above them: the park's frequencies, the compliance
table and gaps (both from activities.rules.meetings_owed), and education points."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from activities.models import (
    Activity,
    ActivityKind,
    Attachment,
    Attendance,
    CycleSettings,
    EducationPoint,
)
from activities.rules import (
    EVERY_KIND,
    BranchShape,
    Owed,
    meetings_owed,
    periods_ending,
)
from core.periods import quarter_bounds
from members.checks import COMMITTEE_POSTS
from members.models import Member, PostTerm
from orgs.models import Organisation
from orgs.selectors import branch_ids_with_groups, live_party_branches


def branch_shapes(*, park_ids) -> defaultdict[int, BranchShape]:
    """branch id → its BranchShape (党小组 or not, full members on the roll): two queries for any
    number of parks. A branch not in the result has neither."""
    with_groups = branch_ids_with_groups(park_ids=park_ids)
    full = dict(
        Member.objects.filter(park_id__in=park_ids, stage=Member.Stage.FULL, status__in=Member.ON_ROLL)
        .values("branch_id").annotate(n=Count("pk")).order_by().values_list("branch_id", "n")
    )
    return defaultdict(BranchShape, {pk: BranchShape(pk in with_groups, full.get(pk, 0)) for pk in with_groups | set(full)})


def branch_shape(branch: Organisation) -> BranchShape:
    """One branch's BranchShape (branch_shapes for one): two queries."""
    return branch_shapes(park_ids=[branch.park_id])[branch.pk]


def expected_members(*, park, branch: Organisation, kind: str, on: date):
    """Who ought to attend (应到) a meeting of this kind, by name: a 支委会 the committee (members
    holding a post of COMMITTEE_POSTS now, or by a post term covering the day); the other kinds
    the branch's 党员 (预备 and 正式) on the roll. The roster does not record who belongs to which
    党小组, so a 党小组会 is offered the branch's 党员 and the secretary leaves out the others."""
    members = Member.objects.filter(park=park, branch=branch, status__in=Member.ON_ROLL, stage__in=Member.PARTY_STAGES)
    if kind == ActivityKind.COMMITTEE:
        on_the_day = PostTerm.objects.filter(park=park, branch=branch, post__in=COMMITTEE_POSTS).filter(
            Q(started_on__isnull=True) | Q(started_on__lte=on), Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        members = members.filter(Q(post__in=COMMITTEE_POSTS) | Q(pk__in=on_the_day.values("member_id")))
    return members.order_by("name", "pk")


@dataclass(frozen=True)
class Turnout:
    """应到 / 实到 / 缺席 of a meeting, from its attendance as recorded."""

    present: int = 0
    absent: int = 0
    photos: int = 0

    @property
    def expected(self) -> int:
        return self.present + self.absent


def turnouts(*, park, activity_ids) -> dict[int, Turnout]:
    """activity id → its Turnout, for the activities given (a list's page): two queries bounded by
    the ids, whatever the park's history."""
    ids = list(activity_ids)
    if not ids:
        return {}
    rows = (
        Attendance.objects.filter(park=park, activity_id__in=ids).values("activity_id")
        .annotate(came=Count("pk", filter=Q(present=True)), missed=Count("pk", filter=Q(present=False))).order_by()
    )
    counts = {row["activity_id"]: [row["came"], row["missed"], 0] for row in rows}
    for activity_id, n in (Attachment.objects.filter(park=park, activity_id__in=ids, is_photo=True)
                           .values("activity_id").annotate(n=Count("pk")).order_by().values_list("activity_id", "n")):
        counts.setdefault(activity_id, [0, 0, 0])[2] = n
    return {pk: Turnout(*counts.get(pk, (0, 0, 0))) for pk in ids}


def cycle_settings(park) -> CycleSettings:
    """The park's settings, or the defaults (unsaved) while it has kept none."""
    return CycleSettings.objects.filter(park=park).first() or CycleSettings(park=park)


@dataclass(frozen=True)
class Cell:
    held: int
    due: bool  # the period has begun by `today`
    required: bool = True  # owed by this branch (meetings_owed): 党小组会 only where it has 党小组

    @property
    def gap(self) -> bool:
        return self.required and self.due and self.held == 0


def compliance_matrix(*, park, year: int, quarter: int, branch_ids=None, today: date) -> tuple[list[Owed], list[tuple]]:
    """Rows of (branch, [Cell per column]) for one quarter: 5 queries whatever the park's size.

    The columns are every meeting a branch could owe; a cell is required when meetings_owed says
    this branch owes it.
    """
    config = cycle_settings(park)
    first, last = quarter_bounds(year, quarter)
    columns = meetings_owed(config, branch=EVERY_KIND, start=first, end=last)
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
    branches = live_party_branches(park=park, on=min(today, latest))
    if branch_ids is not None:
        branches = branches.filter(pk__in=branch_ids)
    shapes = branch_shapes(park_ids=[park.pk])
    rows = []
    for branch in branches.order_by("name"):
        owed = set(meetings_owed(config, branch=shapes[branch.pk], start=first, end=last))
        cells = []
        for column in columns:
            held = sum(n for month, n in counts.get((branch.pk, column.kind), ()) if column.start <= month <= column.end)
            cells.append(Cell(held=held, due=column.start <= today, required=column in owed))
        rows.append((branch, cells))
    return columns, rows


@dataclass(frozen=True)
class Gap:
    branch: Organisation
    owed: Owed

    @property
    def kind(self) -> str:
        return self.owed.kind

    @property
    def kind_label(self) -> str:
        return self.owed.kind_label

    @property
    def start(self) -> date:
        return self.owed.start

    @property
    def end(self) -> date:
        return self.owed.end

    @property
    def period(self) -> str:
        return self.owed.period


def compliance_gaps(park, day: date, *, ending_on: date | None = None, config: CycleSettings | None = None) -> list[Gap]:
    """Meetings each live branch owes in the periods containing `day` and has not held by then
    (5 queries); with `ending_on`, only those of periods ending that day (none when no period does).
    `config`: the park's cycle settings when the caller has read them already."""
    config = config or cycle_settings(park)
    if ending_on is not None and ending_on not in periods_ending(config, day):
        return []
    branches = list(live_party_branches(park=park, on=day).order_by("name"))
    shapes = branch_shapes(park_ids=[park.pk])
    owed = {b.pk: meetings_owed(config, branch=shapes[b.pk], start=day, end=day) for b in branches}
    earliest = min((o.start for items in owed.values() for o in items), default=day)
    held = Activity.objects.filter(park=park, held_on__gte=earliest, held_on__lte=day).values_list("branch_id", "kind", "held_on")
    done = set()
    by_branch = {b.pk: {(o.kind, o.start): o for o in owed[b.pk]} for b in branches}
    for branch_id, kind, held_on in held:
        for (owed_kind, start), item in by_branch.get(branch_id, {}).items():
            if owed_kind == kind and start <= held_on:
                done.add((branch_id, item))
    return [
        Gap(branch, item)
        for branch in branches
        for item in owed[branch.pk]
        if (branch.pk, item) not in done and (ending_on is None or item.end == ending_on)
    ]


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
