"""公民身份号码: parsing (birth date, gender, spellings people type) and masking."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    MSG_ID_BIRTH,
    MSG_ID_CHECK,
    MSG_ID_LENGTH,
    MSG_ID_NUMERIC,
    id_check_char,
    mask_id_number,
    parse_id_number,
)
from tests.members.factories import valid_id_number


def refused(value) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        parse_id_number(value)
    return exc.value


def test_valid_number_gives_birth_date_and_gender():
    male = valid_id_number(birth="19850312", n=1)  # 17th digit 1: odd
    female = valid_id_number(birth="19900101", n=2)  # 17th digit 2: even
    assert parse_id_number(male).number == male
    assert parse_id_number(male).birth_date == date(1985, 3, 12)
    assert parse_id_number(male).gender == "M"
    assert parse_id_number(female).birth_date == date(1990, 1, 1)
    assert parse_id_number(female).gender == "F"


def test_lowercase_x_is_accepted():
    number = next(n for n in (valid_id_number() for _ in range(30)) if n.endswith("X"))
    assert parse_id_number(number.lower()).number == number


def test_full_width_digits_and_spaces_are_accepted():
    number = valid_id_number()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    spaced = f" {number[:6]} {number[6:14]} {number[14:]} "
    assert parse_id_number(full_width).number == number
    assert parse_id_number(spaced).number == number


def test_int_accepted_float_refused():
    number = next(n for n in (valid_id_number() for _ in range(30)) if n[-1].isdigit())
    assert parse_id_number(int(number)).number == number
    error = refused(float(number))
    assert error.messages == [str(MSG_ID_NUMERIC)]
    assert "被存成了数字" in error.messages[0]


def test_wrong_length_refused():
    error = refused(valid_id_number()[:17])
    assert error.messages == [str(MSG_ID_LENGTH % {"length": 17})]
    assert error.messages == ["身份证号应为18位，当前为17位。"]


def test_bad_check_digit_names_the_expected_char():
    number = valid_id_number()
    wrong = "0" if number[-1] != "0" else "1"
    error = refused(number[:17] + wrong)
    assert error.messages == [str(MSG_ID_CHECK % {"expected": number[-1]})]
    assert f"应为“{number[-1]}”" in error.messages[0]


def test_impossible_birth_date_refused():
    body = "370827" + "19850230" + "123"
    error = refused(body + id_check_char(body))
    assert error.messages == [str(MSG_ID_BIRTH % {"birth": "19850230"})]
    assert "“19850230”不是有效日期" in error.messages[0]


def test_mask_keeps_first_six_and_last_four():
    number = valid_id_number()
    assert mask_id_number(number) == number[:6] + "********" + number[-4:]
    assert len(mask_id_number(number)) == 18


def test_a_region_code_no_province_uses_is_refused():
    body = "00000019850312123"
    assert refused(body + id_check_char(body)).messages == ["身份证号前两位“00”不是任何省级行政区的代码，请核对。"]
    body = "99082719850312123"
    assert "“99”" in refused(body + id_check_char(body)).messages[0]


def test_a_birth_date_in_the_future_is_refused():
    body = "37082721000101123"
    assert refused(body + id_check_char(body)).messages == ["身份证号中的出生日期2100-01-01晚于今天，请核对。"]
