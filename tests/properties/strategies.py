"""Hostile values for the property-based tests, and the settings every one of them runs with.

Example counts stay modest (the suite runs twice in CI); derandomize=True and no example database
make every run try the same examples, so a failure is the same failure on every machine."""

import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each test in tests/properties runs under this (a decorator, not a loaded profile: the
# schemathesis tests of the API keep their own settings).
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])

# What the security review typed, and what offices paste: NUL, direction overrides, formulas,
# non-numbers, years 1 and 9999, impossible days, full-width digits, huge numbers, blanks.
SPECIALS = [
    "\x00", "张\x00三", "\u202e", "abc\u202egpj.exe", "\u2066x\u2069", "\ufeff", "\x7f", "\x85", "\r\n", "\t",
    "NaN", "nan", "sNaN", "inf", "-inf", "Infinity", "-Infinity", "1e309", "-1e309", "1e999999", "9" * 400, "-1", "-0.01",
    "0001-01-01", "9999-12-31", "2026-02-30", "0000-00", "9999-99", "2026-13", "20261301", "99999", "1900-01-01",
    "２０２０－０７－０１", "１２３", "=HYPERLINK(\"http://e.cn\",\"x\")", "'=1+1", "+1", "@SUM(A1)", " ", "\u3000", "",
    "99999999999999999999", "3.14159", "1,200", "5200元", "￥5200", "是", "否", "预备党员", "本科", "长" * 300,
]

# Any Unicode but surrogates (which no request or file carries as text).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
HOSTILE_TEXT = st.one_of(
    st.sampled_from(SPECIALS),
    TEXT,
    st.tuples(TEXT, st.sampled_from(SPECIALS), TEXT).map("".join),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
)
# What a spreadsheet cell holds once openpyxl or the CSV reader has read it.
CELL = st.one_of(st.none(), st.booleans(), HOSTILE_TEXT, NUMBERS, st.dates(), st.datetimes())

_CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(message) -> bool:
    """A message a user can read: it has Chinese in it."""
    return bool(_CJK.search(str(message)))
