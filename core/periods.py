"""Period arithmetic — months, quarters, half-years and years — written once for every app.

A period is named by its first day; its bounds are inclusive dates, as offices count them.
"""

import calendar
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    """How often something is owed (a park setting for each kind of meeting)."""

    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(day: date) -> date:
    """The first day of the month before the one containing `day`."""
    return month_start(month_start(day) - timedelta(days=1))


def next_month(day: date) -> date:
    """The first day of the month after the one containing `day`."""
    return month_end(day) + timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the month lacks becomes its last (31 Aug + 6 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    first = date(index // 12, index % 12 + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def month_in_quarter(day: date) -> int:
    """1, 2 or 3: the place of the day's month in its quarter."""
    return (day.month - 1) % 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1 to 4, not {quarter}")
    start = date(year, 3 * quarter - 2, 1)
    return start, month_end(date(year, 3 * quarter, 1))


def half_year_bounds(year: int, half: int) -> tuple[date, date]:
    """半年: 1 is January to June, 2 is July to December."""
    if half not in (1, 2):
        raise ValueError(f"half must be 1 or 2, not {half}")
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def period_bounds(day: date, period: str) -> tuple[date, date]:
    """The first and last day of the month, quarter or year that contains `day`."""
    if period == Period.MONTH:
        return month_start(day), month_end(day)
    if period == Period.QUARTER:
        return quarter_bounds(day.year, quarter_of(day))
    if period == Period.YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError(f"unknown period {period!r}")


def periods_between(start: date, end: date, period: str) -> list[tuple[date, date]]:
    """Every period of this length that overlaps start..end, in order, with its full bounds."""
    found = []
    day = start
    while day <= end:
        bounds = period_bounds(day, period)
        found.append(bounds)
        day = bounds[1] + timedelta(days=1)
    return found


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month that overlaps start..end."""
    return [first for first, _ in periods_between(start, end, Period.MONTH)]


def period_label(start: date, period: str) -> str:
    if period == Period.MONTH:
        return f"{start:%Y年%m月}"
    if period == Period.QUARTER:
        return f"{start.year}年第{quarter_of(start)}季度"
    return f"{start.year}年"
