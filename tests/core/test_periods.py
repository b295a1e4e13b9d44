"""core.periods: the one module for months, quarters, half-years and years."""

from datetime import date

import pytest

from core.periods import (
    Period,
    half_year_bounds,
    month_end,
    month_in_quarter,
    months_between,
    next_month,
    period_bounds,
    period_label,
    periods_between,
    previous_month,
    quarter_bounds,
    quarter_of,
)


@pytest.mark.parametrize(
    "day, quarter, place", [(date(2026, 1, 1), 1, 1), (date(2026, 3, 31), 1, 3), (date(2026, 4, 1), 2, 1), (date(2026, 12, 31), 4, 3)]
)
def test_quarter_of_and_month_in_quarter(day, quarter, place):
    assert (quarter_of(day), month_in_quarter(day)) == (quarter, place)


def test_bounds():
    assert quarter_bounds(2028, 1) == (date(2028, 1, 1), date(2028, 3, 31))
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert half_year_bounds(2026, 2) == (date(2026, 7, 1), date(2026, 12, 31))
    assert period_bounds(date(2028, 2, 10), Period.MONTH) == (date(2028, 2, 1), date(2028, 2, 29))
    assert period_bounds(date(2026, 5, 10), Period.QUARTER) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_bounds(date(2026, 5, 10), Period.YEAR) == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        quarter_bounds(2026, 5)
    with pytest.raises(ValueError):
        period_bounds(date(2026, 5, 10), "week")


def test_neighbouring_months():
    assert month_end(date(2026, 2, 3)) == date(2026, 2, 28)
    assert next_month(date(2026, 12, 15)) == date(2027, 1, 1)
    assert previous_month(date(2027, 1, 15)) == date(2026, 12, 1)


def test_periods_between_cover_every_overlapping_period_whole():
    assert months_between(date(2026, 11, 20), date(2027, 1, 2)) == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]
    assert list(periods_between(date(2026, 3, 31), date(2026, 4, 1), Period.QUARTER)) == [
        (date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30))
    ]


def test_labels():
    assert period_label(date(2026, 7, 1), Period.MONTH) == "2026年07月"
    assert period_label(date(2026, 7, 1), Period.QUARTER) == "2026年第3季度"
    assert period_label(date(2026, 7, 1), Period.YEAR) == "2026年"


def test_periods():
    assert period_bounds(date(2027, 5, 17), "month") == (date(2027, 5, 1), date(2027, 5, 31))
    assert period_bounds(date(2027, 5, 17), "quarter") == (date(2027, 4, 1), date(2027, 6, 30))
    assert period_bounds(date(2028, 2, 10), "quarter") == (date(2028, 1, 1), date(2028, 3, 31))
    assert period_bounds(date(2027, 5, 17), "year") == (date(2027, 1, 1), date(2027, 12, 31))
