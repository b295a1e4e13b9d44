"""Reads of the cycle's records shared by its pages, jobs and the assessment above it."""

from datetime import date

from core.periods import month_end
from cycle.models import MonthlyReport
from orgs.models import Organisation
from orgs.selectors import live_party_branches


def late_report_branches(park, month: date) -> list[Organisation]:
    """Live branches that have not filed the month's report (one query)."""
    filed = MonthlyReport.objects.filter(park=park, month=month).values_list("branch_id", flat=True)
    return list(live_party_branches(park=park, on=month_end(month)).exclude(pk__in=filed).order_by("name"))

