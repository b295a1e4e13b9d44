"""Reads for the 红色代办 pages: the figures a park is judged by, computed in SQL."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Aggregate, Count, F, FloatField, Q
from django.db.models.functions import Extract

from services.demands import OPEN_STATES
from services.models import Demand


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont(p) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, percentile: float, **extra):
        super().__init__(expression, percentile=percentile, **extra)


DAYS_TO_CLOSE = Extract(F("closed_at") - F("raised_at"), "epoch") / 86400.0


@dataclass(frozen=True)
class DemandFigures:
    label: str
    raised: int
    closed: int
    overdue: int
    median_days: float | None
    p90_days: float | None

    @property
    def closure_rate(self) -> float | None:
        return round(100 * self.closed / self.raised, 1) if self.raised else None


def demand_figures(*, park, start: date, end: date, today: date) -> tuple[DemandFigures, list[DemandFigures], list[DemandFigures]]:
    """The park's figures for demands raised in start..end — raised, closed, closure rate, median and
    90th-percentile days to close, overdue now — in total, by category and by department.
    Three queries, whatever the number of demands."""
    raised = Demand.objects.filter(park=park, raised_at__date__gte=start, raised_at__date__lte=end)
    closed = Q(state=Demand.State.CLOSED)
    aggregates = dict(
        raised=Count("pk"),
        closed=Count("pk", filter=closed),
        overdue=Count("pk", filter=Q(state__in=OPEN_STATES, due_on__lt=today)),
        median_days=Percentile(DAYS_TO_CLOSE, 0.5, filter=closed),
        p90_days=Percentile(DAYS_TO_CLOSE, 0.9, filter=closed),
    )

    def figures(label, row):
        return DemandFigures(label, row["raised"], row["closed"], row["overdue"],
                             _days(row["median_days"]), _days(row["p90_days"]))

    total = figures("合计", raised.aggregate(**aggregates))
    by_category = [figures(r["category"], r) for r in raised.values("category").annotate(**aggregates).order_by("category")]
    by_department = [
        figures(r["department__name"] or "未派单", r)
        for r in raised.values("department__name").annotate(**aggregates).order_by("department__name")
    ]
    return total, by_category, by_department


def _days(value) -> float | None:
    return round(value, 1) if value is not None else None
