"""The import's cell cleaners (imports.values) and every kind's row parser (imports.kinds): whatever a
cell holds — text with NUL or U+202E, any number, NaN and infinities, dates, booleans, None — the
answer is a value or the project's ValidationError in Chinese, never another exception; and a row
the parser accepts fits the columns it will be written to (no database error on confirm)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import given
from hypothesis import strategies as st

from imports.columns import COLUMNS, ENTERPRISE_STATUS_WORDS
from imports.kinds import IMPORTERS, BranchImporter
from imports.values import parse_choice, parse_date, parse_int, parse_money, prose, text
from tests.properties.strategies import CELL, PROPERTY, chinese

CLEANERS = {
    "text": text,
    "prose": prose,
    "parse_date": parse_date,
    "parse_int": parse_int,
    "parse_money": parse_money,
    "parse_choice": lambda value: parse_choice(value, ENTERPRISE_STATUS_WORDS, "入驻、迁出"),
}


@pytest.mark.parametrize("name", CLEANERS)
@PROPERTY
@given(value=CELL)
def test_a_cleaner_answers_a_value_or_a_chinese_validation_error(name, value):
    try:
        result = CLEANERS[name](value)
    except ValidationError as error:
        assert error.messages and all(chinese(m) for m in error.messages), error.messages
        return
    if name in ("text", "prose"):
        assert isinstance(result, str)
    elif name == "parse_date":
        assert result is None or (isinstance(result, date) and 1900 <= result.year <= date.today().year + 10)
    elif name == "parse_money":
        assert result is None or (isinstance(result, Decimal) and result.is_finite() and result.as_tuple().exponent >= -2)
    elif name == "parse_int":
        assert result is None or isinstance(result, int)


def importer_for(kind, park):
    importer = IMPORTERS[kind](park=park, fields={c.field for c in COLUMNS[kind]}, today=date(2026, 11, 1))
    importer.load()
    return importer


def fits(field, value) -> bool:
    """Whether PostgreSQL takes the value into the column (the write would fail otherwise)."""
    if value is None or isinstance(value, models.Model):
        return True
    if isinstance(field, models.CharField) and isinstance(value, str):
        return field.max_length is None or len(value) <= field.max_length
    if isinstance(field, (models.IntegerField, models.SmallIntegerField)) and isinstance(value, int):
        return -(2**31) <= value < 2**31
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
        digits = value.as_tuple()
        return value.is_finite() and len(digits.digits) + min(digits.exponent, 0) <= field.max_digits
    if isinstance(field, models.DateField) and isinstance(value, date):
        return 1 <= value.year <= 9999
    return True


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
@PROPERTY
@given(data=st.data())
def test_a_row_parser_answers_chinese_errors_or_values_that_fit_their_columns(kind, data, world, in_park):
    importer = importer_for(kind, in_park)
    raw = {column.field: data.draw(CELL, label=column.field) for column in COLUMNS[kind]}
    if isinstance(importer, BranchImporter):
        importer.prescan([raw])
    values, errors = importer.parse(raw)
    for field, messages in errors.items():
        assert messages and all(chinese(m) for m in messages), (field, messages)
    if not errors:
        model_fields = {f.name: f for f in importer.model._meta.concrete_fields}
        for name, value in values.items():
            if name in model_fields:
                assert fits(model_fields[name], value), (name, value)
