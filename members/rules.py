"""Rules of member development (发展党员工作细则), shared by forms, API and the roster import.

check_member returns {field: [messages]} instead of raising, so the importer can collect every
row's errors in one pass; services raise them as one ValidationError.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from core.periods import add_months
from core.validators import IdNumber
from members.models import Member

Stage = Member.Stage

MSG_GENDER_MISMATCH = _("性别与身份证号不符：按身份证号应为“%(expected)s”。")
MSG_APPLICANT_AGE = _("申请入党须年满18周岁：出生于%(birth)s，%(applied)s申请时未满18周岁。")
MSG_JOIN_AGE = _("入党须年满18周岁：出生于%(birth)s，%(joined)s入党时未满18周岁。")
MSG_ORDER = _("%(later)s不能早于%(earlier)s。")
MSG_ACTIVIST_ONE_YEAR = _("入党积极分子须经一年以上培养才能列为发展对象：%(activist)s确定为积极分子，最早%(earliest)s。")
MSG_PROBATION_END = _("转正日期应为预备期满之日%(end)s：%(joined)s入党，预备期%(length)s（发展党员工作细则第三十二条）。")
MSG_PROBATION_OVERDUE = _("%(joined)s入党的预备党员，预备期已超过两年仍未转正，请核实党员类别或转正日期。")
MSG_JOINED_REQUIRED = _("预备党员和正式党员须填写入党日期。")
MSG_NOT_YET_JOINED = _("%(stage)s尚未入党，不应填写%(field)s。")
MSG_FULL_ON_PROBATIONARY = _("预备党员不应有转正日期；已转正的请把党员类别改为正式党员。")
MSG_FUTURE = _("%(field)s不能晚于今天。")
MSG_FULL_TOO_SOON = _("%(joined)s入党，预备期未满一年，不能是正式党员。")

DATE_FIELDS = ["applied_on", "activist_on", "candidate_on", "joined_on", "full_on"]


def add_years(day: date, years: int) -> date:
    """The same day `years` later (28 February for a 29th in a year without one); a result beyond
    the calendar (year 9999 plus a year, typed into a form) is the calendar's last or first day."""
    year = day.year + years
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=year, day=28)


# 发展党员工作细则 Art. 32: probation is one year; the branch may extend it, once, by 6 to 12 months.
PROBATION_YEARS = 1
ACTIVIST_YEARS = 1  # 细则 Art. 13: trained and examined a year or more before becoming a development target
EXTENSION_MONTHS = (6, 12)


def earliest_candidate_on(activist_on: date) -> date:
    """The first day an activist may be made a development target (细则 Art. 13)."""
    return add_years(activist_on, ACTIVIST_YEARS)


def probation_end(joined_on: date, extension_months: int = 0) -> date:
    """The last day of the probation in force: the day 转正 is dated."""
    return add_months(add_years(joined_on, PROBATION_YEARS), extension_months)


def _label(field: str) -> str:
    return str(Member._meta.get_field(field).verbose_name)


def check_member(
    *,
    id_info: IdNumber | None,
    gender: str,
    stage: str,
    applied_on: date | None = None,
    activist_on: date | None = None,
    candidate_on: date | None = None,
    joined_on: date | None = None,
    full_on: date | None = None,
    extension_months: int = 0,
    today: date,
) -> dict[str, list[str]]:
    """`extension_months`: the probation extension on record for this member (0: none)."""
    errors: dict[str, list[str]] = {}

    def add(target, message, **params):
        errors.setdefault(target, []).append(str(message) % params if params else str(message))

    dates = {
        "applied_on": applied_on,
        "activist_on": activist_on,
        "candidate_on": candidate_on,
        "joined_on": joined_on,
        "full_on": full_on,
    }
    for field, value in dates.items():
        if value and value > today:
            add(field, MSG_FUTURE, field=_label(field))

    if id_info is not None:
        if gender and gender != id_info.gender:
            add("gender", MSG_GENDER_MISMATCH, expected=Member.Gender(id_info.gender).label)
        if applied_on and applied_on < add_years(id_info.birth_date, 18):
            add("applied_on", MSG_APPLICANT_AGE, birth=id_info.birth_date, applied=applied_on)
        if joined_on and joined_on < add_years(id_info.birth_date, 18):
            add("joined_on", MSG_JOIN_AGE, birth=id_info.birth_date, joined=joined_on)

    # Each stage's date comes after the one before it.
    present = [(f, d) for f, d in dates.items() if d]
    for (earlier, earlier_day), (later, later_day) in zip(present, present[1:]):
        if later_day < earlier_day:
            add(later, MSG_ORDER, later=_label(later), earlier=_label(earlier))
    if activist_on and candidate_on and candidate_on < earliest_candidate_on(activist_on):
        add("candidate_on", MSG_ACTIVIST_ONE_YEAR, activist=activist_on, earliest=earliest_candidate_on(activist_on))

    if stage in Member.PARTY_STAGES:
        if joined_on is None:
            add("joined_on", MSG_JOINED_REQUIRED)
    else:
        for field in ("joined_on", "full_on"):
            if dates[field]:
                add(field, MSG_NOT_YET_JOINED, stage=Stage(stage).label, field=_label(field))
    if stage == Stage.PROBATIONARY:
        if full_on:
            add("full_on", MSG_FULL_ON_PROBATIONARY)
        elif joined_on and today > add_years(joined_on, 2):
            add("stage", MSG_PROBATION_OVERDUE, joined=joined_on)
    if stage == Stage.FULL and joined_on and not full_on and today < probation_end(joined_on, extension_months):
        add("stage", MSG_FULL_TOO_SOON, joined=joined_on)
    if stage == Stage.FULL and joined_on and full_on:
        end = probation_end(joined_on, extension_months)
        if full_on != end:  # 转正 on the day the probation in force ends, no other
            length = f"一年，延长{extension_months}个月" if extension_months else "一年（未延长）"
            add("full_on", MSG_PROBATION_END, end=end, joined=joined_on, length=length)
    return errors
