"""党费: what a member owes a month, by the 2008 rules — the one place this rule lives.

中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号), part 一 (党费的交纳):
- 在职党员 pay on their after-tax monthly pay (税后月收入): ≤3000 元 0.5%; 3000–5000 元 1%;
  5000–10000 元 1.5%; above 10000 元 2%. Each bracket includes its upper bound: 3000.00 pays 0.5%,
  3000.01 pays 1%.
- 离退休党员 on their pension: ≤5000 元 0.5%; above 5000 元 1%.
- 农民党员 0.2–1 元 a month (the branch records the amount agreed with the member); 学生党员,
  下岗失业党员, and those living on relief, a survivor's pension or the 最低生活保障 (here 其他)
  0.2 元.
- A member may pay more of their own accord (自愿多交), recorded as such.
- 预备党员 pay from the month the branch meeting admits them (Member.joined_on).
- Back payment (补交) covers at most six months (BACK_PAY_MONTHS), as docs/domain.md records.
党章 第九条: six months in a row without paying, without good reason, counts as leaving the Party of
one's own accord (自行脱党) — the branch is told at ARREARS_FLAG_MONTHS so it talks to the member first.

Amounts are Decimal and rounded to the fen half up (四舍五入到分), as offices compute them by hand.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.periods import month_start

FEN = Decimal("0.01")
BACK_PAY_MONTHS = 6
ARREARS_FLAG_MONTHS = 6


class DuesCategory(models.TextChoices):
    EMPLOYED = "employed", _("在职")
    RETIRED = "retired", _("离退休")
    FARMER = "farmer", _("农民")
    STUDENT = "student", _("学生")
    UNEMPLOYED = "unemployed", _("下岗失业")
    OTHER = "other", _("其他（抚恤、救济、低保）")


# Income brackets: (upper bound included, or None for the rest; rate).
BRACKETS = {
    DuesCategory.EMPLOYED: ((Decimal("3000"), Decimal("0.005")), (Decimal("5000"), Decimal("0.01")),
                            (Decimal("10000"), Decimal("0.015")), (None, Decimal("0.02"))),
    DuesCategory.RETIRED: ((Decimal("5000"), Decimal("0.005")), (None, Decimal("0.01"))),
}
FLAT = {DuesCategory.STUDENT: Decimal("0.20"), DuesCategory.UNEMPLOYED: Decimal("0.20"), DuesCategory.OTHER: Decimal("0.20")}
FARMER_RANGE = (Decimal("0.20"), Decimal("1.00"))
ON_INCOME = frozenset(BRACKETS)
OWING_STAGES = ("probationary", "full")  # Member.Stage values that owe dues

MSG_BASE = _("“%(category)s”党员按税后月收入计算党费，请填写月收入。")
MSG_BASE_RANGE = _("税后月收入应在 0 到 1,000,000 元之间。")
MSG_FARMER = _("农民党员每月交纳党费 0.2 元至 1 元，请在此范围内填写约定的金额。")
MSG_VOLUNTARY = _("自愿多交的金额不能少于按标准应交的 %(standard)s 元。")
MAX_BASE = Decimal("1000000")


def rate_for(category: str, base: Decimal) -> Decimal:
    """The rate of an income-based category for a monthly income."""
    for upper, rate in BRACKETS[category]:
        if upper is None or base <= upper:
            return rate
    raise AssertionError("the last bracket has no upper bound")


def monthly_dues(category: str, *, base: Decimal | None = None, agreed: Decimal | None = None) -> Decimal:
    """The standard monthly amount (标准应缴) for a category; `base` is the after-tax monthly income
    (在职, 离退休), `agreed` the farmer's amount. Raises ValueError with the Chinese reason."""
    if category in ON_INCOME:
        if base is None:
            raise ValueError(str(MSG_BASE % {"category": DuesCategory(category).label}))
        if not base.is_finite() or base < 0 or base > MAX_BASE:
            raise ValueError(str(MSG_BASE_RANGE))
        return (base * rate_for(category, base)).quantize(FEN, rounding=ROUND_HALF_UP)
    if category == DuesCategory.FARMER:
        low, high = FARMER_RANGE
        if agreed is None or not agreed.is_finite() or not low <= agreed <= high:
            raise ValueError(str(MSG_FARMER))
        return agreed.quantize(FEN, rounding=ROUND_HALF_UP)
    return FLAT[category]


def amount_due(standard: Decimal, voluntary: Decimal | None) -> Decimal:
    """What the member pays: the standard amount, or more of their own accord."""
    if voluntary is None:
        return standard
    if not voluntary.is_finite() or voluntary < standard:
        raise ValueError(str(MSG_VOLUNTARY % {"standard": standard}))
    return voluntary.quantize(FEN, rounding=ROUND_HALF_UP)


def owes_in(*, stage: str, on_roll: bool, joined_on: date | None, month: date) -> bool:
    """Whether a member owes dues for a month: full and probationary members on the roll, from the
    month the branch meeting admitted them (a roster without 入党日期 owes from the start)."""
    if stage not in OWING_STAGES or not on_roll:
        return False
    return joined_on is None or month_start(joined_on) <= month_start(month)


def may_back_pay(*, month: date, paid_on: date) -> bool:
    """A payment may settle a month at most BACK_PAY_MONTHS before the month it is paid in."""
    months_back = (paid_on.year - month.year) * 12 + paid_on.month - month.month
    return months_back <= BACK_PAY_MONTHS


# What returned dues (党费返还) and special funds may be spent on — 中组发〔2008〕3号, part 三
# (党费的使用): Party activities only; anything else is refused.
class FundUse(models.TextChoices):
    TRAINING = "training", _("培训党员")
    MATERIALS = "materials", _("订阅、购买党员教育报刊资料和设备")
    COMMENDATION = "commendation", _("表彰先进基层党组织、优秀党员和党务工作者")
    HARDSHIP = "hardship", _("补助生活困难党员")
    DISASTER = "disaster", _("补助受灾党员、修缮受灾党员教育设施")


def allowed_use(category: str) -> bool:
    return category in FundUse.values
