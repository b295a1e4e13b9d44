"""members.rules.check_member: the rules of member development, as {field: [messages]}."""

from datetime import date

from core.validators import parse_id_number
from members import rules
from members.rules import check_member
from tests.members.factories import valid_id_number

TODAY = date(2024, 6, 1)


def person(birth="19850312", n=1):  # n odd: male
    return parse_id_number(valid_id_number(birth=birth, n=n))


def check(*, id_info=None, gender="M", stage="full", **dates):
    return check_member(id_info=id_info or person(), gender=gender, stage=stage, today=TODAY, **dates)


def test_clean_full_member_has_no_errors():
    assert check(applied_on=date(2008, 3, 1), activist_on=date(2008, 6, 1), candidate_on=date(2009, 7, 1),
                 joined_on=date(2010, 7, 1), full_on=date(2011, 7, 1)) == {}


def test_applicant_under_18():
    errors = check(id_info=person("20070101"), stage="applicant", applied_on=date(2024, 5, 1))
    assert errors == {"applied_on": [str(rules.MSG_APPLICANT_AGE % {"birth": date(2007, 1, 1), "applied": date(2024, 5, 1)})]}
    assert "申请入党须年满18周岁" in errors["applied_on"][0]
    assert check(id_info=person("20060101"), stage="applicant", applied_on=date(2024, 1, 1)) == {}


def test_born_on_29_february():
    leapling = person("20000229")
    assert leapling.birth_date == date(2000, 2, 29)
    too_young = check(id_info=leapling, stage="applicant", applied_on=date(2018, 2, 27))
    assert list(too_young) == ["applied_on"]
    # The rule stated in docs/domain.md: in a year with no 29 February, the birthday is the 28th.
    assert check(id_info=leapling, stage="applicant", applied_on=date(2018, 2, 28)) == {}
    assert check(id_info=leapling, stage="applicant", applied_on=date(2018, 3, 1)) == {}
    # Joined on 29 February: a year of probation ends on 28 February of the next year.
    assert check(id_info=person("19900101"), joined_on=date(2020, 2, 29), full_on=date(2021, 2, 28)) == {}
    assert "full_on" in check(id_info=person("19900101"), joined_on=date(2020, 2, 29), full_on=date(2021, 2, 27))


def test_candidate_less_than_a_year_after_activist():
    errors = check(stage="candidate", activist_on=date(2023, 3, 1), candidate_on=date(2023, 12, 1))
    assert errors == {"candidate_on": [str(rules.MSG_ACTIVIST_ONE_YEAR % {"activist": date(2023, 3, 1), "earliest": date(2024, 3, 1)})]}
    assert check(stage="candidate", activist_on=date(2023, 3, 1), candidate_on=date(2024, 3, 1)) == {}


def test_full_on_is_the_last_day_of_the_probation_in_force():
    joined = date(2015, 7, 1)
    assert check(joined_on=joined, full_on=date(2016, 7, 1)) == {}
    early = check(joined_on=joined, full_on=date(2016, 6, 30))
    message = str(rules.MSG_PROBATION_END % {"end": date(2016, 7, 1), "joined": joined, "length": "一年（未延长）"})
    assert early == {"full_on": [message]}
    # A later date is no longer accepted on its own: only an extension on record moves the end.
    assert "full_on" in check(joined_on=joined, full_on=date(2017, 7, 1))
    assert check(joined_on=joined, full_on=date(2017, 1, 1), extension_months=6) == {}
    assert check(joined_on=joined, full_on=date(2017, 7, 1), extension_months=12) == {}
    extended = check(joined_on=joined, full_on=date(2016, 7, 1), extension_months=6)
    assert "延长6个月" in extended["full_on"][0] and "2017-01-01" in extended["full_on"][0]


def test_probation_end_with_an_extension():
    assert rules.probation_end(date(2024, 2, 29)) == date(2025, 2, 28)
    assert rules.probation_end(date(2023, 8, 31), 6) == date(2025, 2, 28)
    assert rules.probation_end(date(2023, 1, 15), 12) == date(2025, 1, 15)


def test_probationary_with_full_on():
    errors = check(stage="probationary", joined_on=date(2023, 7, 1), full_on=date(2024, 5, 1))
    assert str(rules.MSG_FULL_ON_PROBATIONARY) in errors["full_on"]


def test_probationary_more_than_two_years_after_joining():
    errors = check(stage="probationary", joined_on=date(2022, 5, 1))
    assert errors == {"stage": [str(rules.MSG_PROBATION_OVERDUE % {"joined": date(2022, 5, 1)})]}
    assert check(stage="probationary", joined_on=date(2023, 7, 1)) == {}


def test_full_member_joined_less_than_a_year_ago_without_full_on():
    errors = check(stage="full", joined_on=date(2023, 12, 1))
    assert errors == {"stage": [str(rules.MSG_FULL_TOO_SOON % {"joined": date(2023, 12, 1)})]}
    assert "预备期未满一年，不能是正式党员" in errors["stage"][0]


def test_joined_stage_needs_joined_on():
    assert check(stage="full") == {"joined_on": [str(rules.MSG_JOINED_REQUIRED)]}
    assert check(stage="probationary") == {"joined_on": ["预备党员和正式党员须填写入党日期。"]}


def test_earlier_stages_must_not_have_joined_on():
    errors = check(stage="activist", joined_on=date(2020, 1, 1))
    assert errors == {"joined_on": ["入党积极分子尚未入党，不应填写入党日期。"]}


def test_dates_out_of_order():
    errors = check(stage="activist", applied_on=date(2020, 5, 1), activist_on=date(2020, 4, 1))
    assert errors == {"activist_on": [str(rules.MSG_ORDER % {"later": "确定积极分子日期", "earlier": "申请入党日期"})]}
    assert errors["activist_on"] == ["确定积极分子日期不能早于申请入党日期。"]


def test_dates_in_the_future():
    errors = check(stage="applicant", applied_on=date(2024, 6, 2))
    assert errors == {"applied_on": ["申请入党日期不能晚于今天。"]}
    assert errors["applied_on"] == [str(rules.MSG_FUTURE % {"field": "申请入党日期"})]


def test_gender_mismatch():
    errors = check(id_info=person(n=2), gender="M", joined_on=date(2010, 7, 1), full_on=date(2011, 7, 1))
    assert errors == {"gender": [str(rules.MSG_GENDER_MISMATCH % {"expected": "女"})]}
    assert errors["gender"] == ["性别与身份证号不符：按身份证号应为“女”。"]
