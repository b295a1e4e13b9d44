"""core.http.year_param: the one reader of ?year= for every page that takes one."""

from datetime import date

import pytest
from django.http import Http404
from django.test import RequestFactory

from core.http import year_param

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize("raw, year", [("", 2026), ("2026", 2026), ("2000", 2000), ("2027", 2027), ("２０２６", 2026)])
def test_a_year_or_this_year(raw, year):
    assert year_param(RequestFactory().get("/", {"year": raw} if raw else {}), TODAY) == year


@pytest.mark.parametrize("raw", ["1999", "2028", "99999", "-1", "2026\x00", "abc", "20 26", "0002026"])
def test_anything_else_is_404_not_500(raw):
    with pytest.raises(Http404):
        year_param(RequestFactory().get("/", {"year": raw}), TODAY)
