"""Items the platform measures from its own records (nothing typed twice): 三会一课 held as
activities.rules.meetings_owed requires, monthly reports on time, work-list tasks done on time."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from activities.models import Activity, CycleSettings
from activities.rules import meetings_owed
from activities.selectors import branch_shapes
from assessment.models import RoundAssessment
from core.periods import months_between, next_month, quarter_bounds
from cycle.models import MonthlyReport, TaskAssignment


def measured_points(assessments: list[RoundAssessment], items_by_rubric: dict, branches_by_park: dict) -> dict:
    """{(assessment id, branch id, item id): points} for every measured item (6 queries in all)."""
    if not assessments:
        return {}
    parks = {a.park_id for a in assessments}
    cycle_settings = {s.park_id: s for s in CycleSettings.objects.filter(park_id__in=parks)}
    shapes = branch_shapes(park_ids=parks)
    bounds = {a.pk: quarter_bounds(a.round.year, a.round.quarter) for a in assessments}
    first = min(b[0] for b in bounds.values())
    last = max(b[1] for b in bounds.values())
    held = set(  # order_by(): the model's ordering would add held_on and id to the DISTINCT
        Activity.objects.filter(park_id__in=parks, held_on__gte=first, held_on__lte=last)
        .annotate(month=TruncMonth("held_on")).values_list("branch_id", "kind", "month").order_by().distinct()
    )
    reports = defaultdict(int)
    for branch_id, month, submitted_at, due_day in (
        MonthlyReport.objects.filter(park_id__in=parks, month__gte=first, month__lte=last)
        .annotate(due_day=Coalesce("park__cycle_settings__report_due_day", Value(5)))
        .values_list("branch_id", "month", "submitted_at", "due_day")
    ):
        due = next_month(month).replace(day=due_day)
        if timezone.localtime(submitted_at).date() <= due:
            reports[(branch_id, month)] += 1
    tasks = defaultdict(lambda: [0, 0])
    for branch_id, month, deadline, completed_at in (
        TaskAssignment.objects.filter(park_id__in=parks, task__meeting__month__gte=first, task__meeting__month__lte=last)
        .values_list("branch_id", "task__meeting__month", "task__deadline", "completed_at")
    ):
        tally = tasks[(branch_id, month)]
        tally[1] += 1
        if completed_at is not None and timezone.localtime(completed_at).date() <= deadline:
            tally[0] += 1

    result = {}
    for assessment in assessments:
        start, end = bounds[assessment.pk]
        months = months_between(start, end)
        config = cycle_settings.get(assessment.park_id) or CycleSettings()
        for item in items_by_rubric[assessment.rubric_id]:
            if not item.measure:
                continue
            for branch_id in branches_by_park[assessment.park_id]:
                if item.measure == "meetings":
                    # A meeting owed for a longer period than the quarter counts if held in the quarter.
                    owed = meetings_owed(config, branch=shapes[branch_id], start=start, end=end)
                    done = sum(
                        1 for o in owed
                        if any((branch_id, o.kind, m) in held for m in months_between(max(o.start, start), min(o.end, end)))
                    )
                    share = Decimal(done) / Decimal(len(owed)) if owed else Decimal(1)
                elif item.measure == "reports":
                    share = Decimal(sum(reports[(branch_id, m)] for m in months)) / Decimal(3)
                else:
                    done = sum(tasks[(branch_id, m)][0] for m in months)
                    total = sum(tasks[(branch_id, m)][1] for m in months)
                    share = Decimal(done) / Decimal(total) if total else Decimal(1)
                result[(assessment.pk, branch_id, item.pk)] = (item.max_points * share).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return result
