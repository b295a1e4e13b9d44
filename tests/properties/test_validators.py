"""core.validators, total and idempotent: every rule answers any text (NUL, direction overrides, any
Unicode but surrogates), number or date with a value or a ValidationError in Chinese; the cleaners
applied twice change nothing more; dates are plausible from 1900 to ten years ahead; amounts are
finite and not below zero; lengths are the model's."""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core import validators as v
from members.models import Member
from tests.properties.strategies import CELL, HOSTILE_TEXT, NUMBERS, PROPERTY, chinese

INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def answers(rule, value):
    """The rule's result, or None when it refused in Chinese; any other exception fails the test."""
    try:
        return rule(value)
    except ValidationError as error:
        assert error.messages and all(chinese(m) for m in error.messages), error.messages
        return None


@PROPERTY
@given(value=HOSTILE_TEXT)
def test_control_and_direction_characters_are_stripped_idempotently(value):
    once = v.strip_controls(value)
    assert not INVISIBLE.search(once) and v.strip_controls(once) == once
    assert set(once) <= set(value)  # only ever removes


@PROPERTY
@given(value=HOSTILE_TEXT)
def test_normalize_text_is_total_idempotent_and_leaves_no_control_character(value):
    once = v.normalize_text(value)
    assert v.normalize_text(once) == once
    assert once == once.strip() and not INVISIBLE.search(once)
    assert not re.search("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]", once)  # full-width letters and digits folded


@PROPERTY
@given(value=HOSTILE_TEXT)
def test_code_and_phone_normalisers_are_idempotent(value):
    for normalise in (v.normalize_credit_code, v.normalize_phone, v.normalize_id_number):
        once = normalise(value)
        assert normalise(once) == once, normalise.__name__


@PROPERTY
@given(value=st.one_of(HOSTILE_TEXT, CELL))
def test_every_rule_answers_any_input_in_chinese(value):
    for rule in (v.validate_credit_code, v.validate_phone, v.validate_mobile):
        if isinstance(value, str):
            answers(rule, value)
    parsed = answers(v.parse_id_number, value)
    if parsed is not None:  # a number that passes is a real one: 18 characters, a birth date since 1900, not ahead
        assert len(parsed.number) == 18 and 1900 <= parsed.birth_date.year and parsed.birth_date <= timezone.localdate()
        assert v.parse_id_number(parsed.number) == parsed  # and reads the same again
        assert v.mask_id_number(parsed.number)[6:14] == "*" * 8


@PROPERTY
@given(day=st.dates())
def test_a_date_is_plausible_from_1900_to_ten_years_ahead(day):
    last = timezone.localdate().year + v.YEARS_AHEAD
    error = v.date_range_error(day)
    assert (error is None) == (1900 <= day.year <= last)
    if error is not None:
        assert chinese(error.messages[0]) and day.isoformat() in error.messages[0]
    assert answers(v.validate_plausible_date, day) is None
    assert v.date_range_error(None) is None


@PROPERTY
@given(value=st.one_of(NUMBERS, HOSTILE_TEXT))
def test_an_amount_is_finite_and_not_below_zero(value):
    try:
        v.validate_amount(value)
    except ValidationError as error:
        assert chinese(error.messages[0])
        return
    amount = Decimal(str(value))
    assert amount.is_finite() and amount >= 0


@PROPERTY
@given(value=st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False))
def test_every_finite_amount_not_below_zero_passes(value):
    v.validate_amount(value)


@PROPERTY
@given(values=st.dictionaries(st.sampled_from(["name", "ethnicity", "phone", "no_such_field", "id_number"]),
                              st.one_of(HOSTILE_TEXT, st.text(max_size=200), st.integers(), st.none())))
def test_lengths_are_the_columns(values):
    errors = v.length_errors(Member, values)
    for name, value in values.items():
        too_long = isinstance(value, str) and name in ("name", "ethnicity", "phone") and len(value) > Member._meta.get_field(name).max_length
        assert (name in errors) == too_long
        if too_long:
            assert chinese(errors[name][0])


@PROPERTY
@given(value=st.text(max_size=30))
def test_mask_keeps_the_length_and_hides_the_birth_date(value):
    masked = v.mask_id_number(value)
    assert len(masked) == len(value)
    if len(value) == 18:
        assert masked[6:14] == "*" * 8 and masked[:6] == value[:6] and masked[14:] == value[14:]
    else:
        assert set(masked) <= {"*"}


def test_a_date_check_knows_the_first_and_last_plausible_days():
    today = date(2026, 11, 1)
    assert v.date_range_error(date(1900, 1, 1), today=today) is None and v.date_range_error(date(2036, 12, 31), today=today) is None
    assert v.date_range_error(date(1899, 12, 31), today=today) and v.date_range_error(date(2037, 1, 1), today=today)
