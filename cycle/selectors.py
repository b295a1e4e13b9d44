"""Reads of the cycle's records shared by its pages, jobs and the assessment above it."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from core.periods import month_end, month_start
from cycle.models import MonthlyReport, TaskAssignment, WorkTask
from orgs.models import Organisation
from orgs.selectors import live_party_branches


def late_report_branches(park, month: date) -> list[Organisation]:
    """Live branches that have not filed the month's report (one query)."""
    filed = MonthlyReport.objects.filter(park=park, month=month).values_list("branch_id", flat=True)
    return list(live_party_branches(park=park, on=month_end(month)).exclude(pk__in=filed).order_by("name"))


# --- The task board (月工作清单) ---------------------------------------------------------------------
@dataclass(frozen=True)
class BoardWindow:
    """Which work lists the board shows: by default this month's and what is still open (overdue or
    not yet due); with a month or a year chosen, the work lists of those meetings."""

    start: date | None = None  # first meeting month shown; None: the default board
    end: date | None = None  # last meeting month shown

    @classmethod
    def month(cls, month: date) -> "BoardWindow":
        return cls(month_start(month), month_start(month))

    @classmethod
    def year(cls, year: int) -> "BoardWindow":
        return cls(date(year, 1, 1), date(year, 12, 1))

    @property
    def is_default(self) -> bool:
        return self.start is None

    def label(self) -> str:
        if self.start is None:
            return "本月及未完成"
        if self.start == self.end:
            return f"{self.start:%Y年%m月}"
        return f"{self.start.year}年"


def board_assignments(*, park, branch_ids, window: BoardWindow, today: date) -> QuerySet:
    """A branch's tasks on the board: by default this month's work list, anything due this month
    or later, and every task still open (overdue ones first); old done tasks only by month or year.
    Bounded by the window, never by history: the page reads one page of it."""
    rows = TaskAssignment.objects.filter(park=park, branch_id__in=branch_ids, task__published_at__isnull=False)
    if window.is_default:
        this_month = month_start(today)
        rows = rows.filter(
            Q(task__meeting__month__gte=this_month) | Q(task__deadline__gte=this_month) | Q(status=TaskAssignment.Status.OPEN)
        )
    else:
        rows = rows.filter(task__meeting__month__gte=window.start, task__meeting__month__lte=window.end)
    return rows.select_related("task__meeting", "branch").order_by("-status", "task__deadline", "pk")  # "open" sorts after "done"


def board_tasks(*, park, window: BoardWindow, today: date) -> QuerySet:
    """The office's view of the work lists: each task with its branches done, late and overdue.
    By default this month's tasks, anything due this month or later, and older tasks a branch has
    not done by their deadline; older ones by month or year."""
    Status = TaskAssignment.Status
    tasks = WorkTask.objects.filter(park=park)
    if window.is_default:
        this_month = month_start(today)
        overdue = TaskAssignment.objects.filter(park=park, task=OuterRef("pk"), status=Status.OPEN)
        tasks = tasks.filter(
            Q(meeting__month__gte=this_month) | Q(deadline__gte=this_month)
            | Q(published_at__isnull=False, deadline__lt=today) & Exists(overdue)
        )
    else:
        tasks = tasks.filter(meeting__month__gte=window.start, meeting__month__lte=window.end)
    return (
        tasks.select_related("meeting")
        .annotate(
            total=Count("assignments"),
            done=Count("assignments", filter=Q(assignments__status=Status.DONE)),
            still_open=Count("assignments", filter=Q(assignments__status=Status.OPEN)),
            done_late=Count("assignments", filter=Q(assignments__status=Status.DONE, assignments__completed_at__date__gt=F("deadline"))),
        )
        .order_by("-meeting__month", "deadline", "pk")
    )
