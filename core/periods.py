"""Period arithmetic — months, quarters, half-years and years — written once for every app.

A period is named by its first day; its bounds are inclusive dates, as offices count them.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

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


def month_number(day: date) -> int:
    """The month of `day` counted from year 0 (January of year 1 is 12): months apart by subtraction."""
    return day.year * 12 + day.month - 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the month lacks becomes its last (31 Aug + 6 → 28/29 Feb).
    Beyond the calendar (a year-9999 date typed into a form) it is the calendar's last or first day."""
    index = month_number(day) + months
    if index // 12 > date.max.year:
        return date.max
    if index // 12 < date.min.year:
        return date.min
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


@lru_cache(maxsize=4096)
def periods_between(start: date, end: date, period: str) -> tuple[tuple[date, date], ...]:
    """Every period of this length that overlaps start..end, in order, with its full bounds
    (remembered: a dashboard asks the same spans for every branch)."""
    found = []
    day = start
    while day <= end:
        bounds = period_bounds(day, period)
        found.append(bounds)
        day = bounds[1] + timedelta(days=1)
    return tuple(found)


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month that overlaps start..end."""
    return [first for first, _ in periods_between(start, end, Period.MONTH)]


def period_label(start: date, period: str) -> str:
    if period == Period.MONTH:
        return f"{start:%Y年%m月}"
    if period == Period.QUARTER:
        return f"{start.year}年第{quarter_of(start)}季度"
    return f"{start.year}年"


# --- A reporting period chosen on a dashboard: month, quarter, half-year or year -----------------
class Span(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    HALF = "half", _("半年")
    YEAR = "year", _("年度")


# The earliest year a dashboard may be asked for; later than today's year is refused too.
FIRST_REPORT_YEAR = 2000


@dataclass(frozen=True, order=True)
class ReportPeriod:
    """One month (index 1–12), quarter (1–4), half-year (1–2) or year (index 1) of a dashboard.

    Its key is what the URL carries: 2026-11, 2026Q4, 2026H2, 2026."""

    year: int
    span: str
    index: int = 1

    @property
    def bounds(self) -> tuple[date, date]:
        if self.span == Span.MONTH:
            first = date(self.year, self.index, 1)
            return first, month_end(first)
        if self.span == Span.QUARTER:
            return quarter_bounds(self.year, self.index)
        if self.span == Span.HALF:
            return half_year_bounds(self.year, self.index)
        return date(self.year, 1, 1), date(self.year, 12, 31)

    @property
    def start(self) -> date:
        return self.bounds[0]

    @property
    def end(self) -> date:
        return self.bounds[1]

    @property
    def key(self) -> str:
        return {Span.MONTH: f"{self.year}-{self.index:02d}", Span.QUARTER: f"{self.year}Q{self.index}",
                Span.HALF: f"{self.year}H{self.index}"}.get(self.span, str(self.year))

    @property
    def label(self) -> str:
        return {Span.MONTH: f"{self.year}年{self.index}月", Span.QUARTER: f"{self.year}年第{self.index}季度",
                Span.HALF: f"{self.year}年{'上' if self.index == 1 else '下'}半年"}.get(self.span, f"{self.year}年")

    def as_of(self, today: date) -> date:
        """The day the period's standing figures are read on: its last day, or today while it runs."""
        return min(self.end, today)

    def previous(self) -> "ReportPeriod":
        per_year = {Span.MONTH: 12, Span.QUARTER: 4, Span.HALF: 2}.get(self.span, 1)
        if self.index > 1:
            return ReportPeriod(self.year, self.span, self.index - 1)
        return ReportPeriod(self.year - 1, self.span, per_year)

    @classmethod
    def containing(cls, day: date, span: str = Span.QUARTER) -> "ReportPeriod":
        index = {Span.MONTH: day.month, Span.QUARTER: quarter_of(day), Span.HALF: 1 if day.month <= 6 else 2}.get(span, 1)
        return cls(day.year, span, index)

    @classmethod
    def parse(cls, key: str, today: date) -> "ReportPeriod":
        """The period a key names; ValueError with a message for the user when it names none, or
        one before FIRST_REPORT_YEAR or after today's."""
        match = _PERIOD_KEY.fullmatch((key or "").strip())
        if not match:
            raise ValueError("统计期间的格式应为 2026、2026H2、2026Q4 或 2026-11。")
        year = int(match["year"])
        if match["month"]:
            period = cls(year, Span.MONTH, int(match["month"]))
        elif match["quarter"]:
            period = cls(year, Span.QUARTER, int(match["quarter"]))
        elif match["half"]:
            period = cls(year, Span.HALF, int(match["half"]))
        else:
            period = cls(year, Span.YEAR)
        if not FIRST_REPORT_YEAR <= year or period.start > today:
            raise ValueError(f"统计期间应在{FIRST_REPORT_YEAR}年至今之间。")
        return period


_PERIOD_KEY = re.compile(r"(?P<year>\d{4})(?:-(?P<month>0[1-9]|1[0-2])|[Qq](?P<quarter>[1-4])|[Hh](?P<half>[12]))?")


def last_quarters(today: date, count: int = 8) -> list[ReportPeriod]:
    """The `count` quarters up to and including today's, oldest first."""
    periods = [ReportPeriod.containing(today)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]
