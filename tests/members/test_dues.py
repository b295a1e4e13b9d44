"""members.dues: the 2008 党费 table at every boundary and for every category (docs/domain.md)."""

from datetime import date
from decimal import Decimal as D

import pytest

from members.dues import DuesCategory, amount_due, may_back_pay, monthly_dues, owes_in

E, R = DuesCategory.EMPLOYED, DuesCategory.RETIRED


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("0", "0.00"), ("1000", "5.00"), ("2999.99", "15.00"), ("3000", "15.00"),  # ≤3000: 0.5%, 3000 included
        ("3000.01", "30.00"), ("4321", "43.21"), ("5000", "50.00"),  # ≤5000: 1%
        ("5000.01", "75.00"), ("8888.88", "133.33"), ("10000", "150.00"),  # ≤10000: 1.5%
        ("10000.01", "200.00"), ("12345.67", "246.91"),  # above: 2%
        ("3001", "30.01"), ("3333.50", "33.34"),  # half a fen rounds up (33.335 → 33.34)
    ],
)
def test_working_members_pay_by_bracket_each_including_its_upper_bound(base, expected):
    assert monthly_dues(E, base=D(base)) == D(expected)


@pytest.mark.parametrize(("base", "expected"), [("3000", "15.00"), ("5000", "25.00"), ("5000.01", "50.00"), ("7000", "70.00")])
def test_retired_members_pay_half_a_percent_up_to_5000_then_one(base, expected):
    assert monthly_dues(R, base=D(base)) == D(expected)


@pytest.mark.parametrize("category", [DuesCategory.STUDENT, DuesCategory.UNEMPLOYED, DuesCategory.OTHER])
def test_students_the_unemployed_and_those_on_relief_pay_twenty_fen(category):
    assert monthly_dues(category) == D("0.20")


@pytest.mark.parametrize(("agreed", "ok"), [("0.20", True), ("0.5", True), ("1.00", True), ("0.19", False), ("1.01", False), (None, False)])
def test_farmers_pay_the_agreed_amount_between_twenty_fen_and_one_yuan(agreed, ok):
    value = D(agreed) if agreed is not None else None
    if ok:
        assert monthly_dues(DuesCategory.FARMER, agreed=value) == value.quantize(D("0.01"))
    else:
        with pytest.raises(ValueError, match="0.2 元至 1 元"):
            monthly_dues(DuesCategory.FARMER, agreed=value)


@pytest.mark.parametrize("base", [None, D("-1"), D("NaN"), D("Infinity"), D("1000000.01")])
def test_an_income_category_needs_a_sane_income(base):
    with pytest.raises(ValueError, match="月收入"):
        monthly_dues(E, base=base)


def test_a_member_may_pay_more_of_their_own_accord_never_less():
    assert amount_due(D("15.00"), None) == D("15.00")
    assert amount_due(D("15.00"), D("50")) == D("50.00")
    with pytest.raises(ValueError, match="不能少于按标准应交的 15.00 元"):
        amount_due(D("15.00"), D("10"))


def test_a_probationary_member_owes_from_the_month_the_branch_meeting_admits_them():
    admitted = date(2026, 3, 28)
    assert not owes_in(stage="probationary", on_roll=True, joined_on=admitted, month=date(2026, 2, 1))
    assert owes_in(stage="probationary", on_roll=True, joined_on=admitted, month=date(2026, 3, 1))  # admitted late in March: March owed
    assert owes_in(stage="full", on_roll=True, joined_on=None, month=date(2026, 3, 1))
    assert not owes_in(stage="candidate", on_roll=True, joined_on=None, month=date(2026, 3, 1))
    assert not owes_in(stage="full", on_roll=False, joined_on=admitted, month=date(2026, 4, 1))


def test_back_payment_reaches_six_months_and_no_further():
    assert may_back_pay(month=date(2026, 1, 1), paid_on=date(2026, 7, 31))  # six months back
    assert not may_back_pay(month=date(2026, 1, 1), paid_on=date(2026, 8, 1))  # seven
    assert may_back_pay(month=date(2025, 12, 1), paid_on=date(2026, 6, 15))  # across the year
