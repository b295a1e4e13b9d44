"""Cell values as offices type them: dates, integers, text."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from imports.values import parse_date, parse_int, text


@pytest.mark.parametrize(
    "value",
    [
        datetime(2020, 7, 1),  # a real Excel date cell, as openpyxl reads it
        date(2020, 7, 1),
        44013,  # Excel serial number
        44013.0,
        "44013",
        "2020-07-01",
        "2020/7/1",
        "2020.07.01",
        "2020年7月1日",
        " 2020年07月01日 ",
        "２０２０－０７－０１",  # full-width
        "2020-07-01 00:00:00",
        "20200701",
        20200701,
        "202007",
        202007,
        "2020-07",
        "2020年7月",
    ],
)
def test_parse_date_accepts_the_ways_offices_write_a_date(value):
    assert parse_date(value) == date(2020, 7, 1)


def test_excel_serial_40360_is_1_july_2010():
    assert parse_date(40360) == date(2010, 7, 1)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_date_blank_is_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["2020-13-01", "2020-02-30", "去年七月", "07/01/2020", "abc", "202013"])
def test_unparseable_date_gives_chinese_message_naming_the_value(value):
    with pytest.raises(ValidationError) as info:
        parse_date(value)
    message = info.value.messages[0]
    assert "无法识别的日期" in message
    assert f"“{value.strip()}”" in message


@pytest.mark.parametrize("value", ["1899-12-31", "2100-01-01", datetime(9999, 12, 31), 2958465, "99999"])
def test_a_date_outside_the_forms_range_is_refused_with_the_forms_message(value):
    """One rule for forms, API and import (core.validators.date_range_error): 1900 to ten years
    ahead. Before, the import took anything up to 2100."""
    with pytest.raises(ValidationError) as info:
        parse_date(value)
    assert "不在合理范围内：应在1900年至" in info.value.messages[0]


def test_ten_years_ahead_is_the_last_year_an_import_takes():
    last = timezone.localdate().year + 10
    assert parse_date(f"{last}-12-31") == date(last, 12, 31)
    with pytest.raises(ValidationError):
        parse_date(f"{last + 1}-01-01")


@pytest.mark.parametrize("value", [2958466, 10**12])
def test_a_serial_past_the_calendar_is_no_date(value):
    with pytest.raises(ValidationError) as info:
        parse_date(value)
    assert "无法识别的日期" in info.value.messages[0]


@pytest.mark.parametrize("value", ["2010", 2010])
def test_a_bare_year_is_not_silently_read_as_an_excel_serial(value):
    with pytest.raises(ValidationError):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(50, 50), (50.0, 50), ("50", 50), (" 50 ", 50), ("1,200", 1200), ("50人", 50), ("３０", 30), (None, None), ("", None)],
)
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", ["abc", "50.5", 50.5, "-3", "约50"])
def test_parse_int_rejects_non_integers_in_chinese(value):
    with pytest.raises(ValidationError) as info:
        parse_int(value)
    assert "应为整数" in info.value.messages[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (12.0, "12"),
        (12, "12"),
        (1.5, "1.5"),
        ("  张三 ", "张三"),
        ("ＡＢＣ１２３", "ABC123"),
        (datetime(2020, 7, 1, 8, 30), "2020-07-01"),
        (date(2020, 7, 1), "2020-07-01"),
        ("'=SUM(A1)", "=SUM(A1)"),  # the export's formula neutralisation is undone
        ("'-5", "-5"),
        ("'abc", "'abc"),  # an ordinary apostrophe is kept
    ],
)
def test_text(value, expected):
    assert text(value) == expected
