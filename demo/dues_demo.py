"""党费 in the demo: a basis for most members from January (a few left 待核定, as an office finds
them), then, after the cycle has drafted the year's sheets, the payments of past months — most paid
around the 10th, a few behind, and in each park one member with nothing paid all year, whom the
sheet flags. Through the platform's own services; idempotent (a park with bases keeps them)."""

import random
from datetime import date
from decimal import Decimal

from core.periods import month_start
from dues.models import DuesBasis, DuesLine, DuesPayment, DuesSheet
from dues.services import basis_record, payments_record
from members.dues import OWING_STAGES, DuesCategory
from members.models import Member
from orgs.models import Organisation

CATEGORIES = [(DuesCategory.EMPLOYED, 86), (DuesCategory.RETIRED, 4), (DuesCategory.FARMER, 4),
              (DuesCategory.UNEMPLOYED, 3), (DuesCategory.STUDENT, 1), (DuesCategory.OTHER, 2)]
METHODS = [DuesPayment.Method.WECHAT, DuesPayment.Method.WECHAT, DuesPayment.Method.PAYROLL, DuesPayment.Method.CASH,
           DuesPayment.Method.ALIPAY]


def seed_dues_bases(*, park, today: date, seed: int) -> int:
    if DuesBasis.objects.filter(park=park).exists():
        return 0
    rng = random.Random(seed)
    start = date(today.year, 1, 1)
    members = Member.objects.filter(park=park, stage__in=OWING_STAGES, status__in=Member.ON_ROLL).order_by("pk")
    created = 0
    for member in members:
        if rng.random() < 0.04:
            continue  # 基数待核定: the branch has not asked yet
        category = rng.choices([c for c, _ in CATEGORIES], weights=[w for _, w in CATEGORIES])[0]
        base = agreed = None
        if category == DuesCategory.EMPLOYED:
            base = Decimal(rng.choice([2800, 3000, 3600, 4200, 4800, 5000, 5600, 6500, 7200, 8800, 10000, 12500, 16000]))
        elif category == DuesCategory.RETIRED:
            base = Decimal(rng.choice([3200, 4500, 5000, 6100]))
        elif category == DuesCategory.FARMER:
            agreed = Decimal(rng.choice(["0.20", "0.50", "1.00"]))
        since = max(start, month_start(member.joined_on)) if member.joined_on else start
        basis_record(park=park, actor=None, member=member, category=category, effective_from=since, base=base, agreed=agreed)
        created += 1
    return created


def seed_dues_payments(*, park, today: date, seed: int) -> int:
    if DuesPayment.objects.filter(park=park).exists():
        return 0
    rng = random.Random(seed)
    first = Organisation.objects.filter(park=park, kind=Organisation.Kind.BRANCH, formation="single").order_by("pk").first()
    behind = (DuesLine.objects.filter(park=park, sheet__branch=first, due__isnull=False)
              .order_by("member_id").values_list("member_id", flat=True).first())
    created = 0
    for sheet in DuesSheet.objects.filter(park=park, month__lt=month_start(today)).order_by("month", "pk"):
        lines = [pk for pk, member in DuesLine.objects.filter(park=park, sheet=sheet, due__isnull=False).values_list("pk", "member_id")
                 if member != behind and rng.random() < 0.95]
        if lines:
            paid_on = sheet.month.replace(day=rng.randint(5, 20))
            created += len(payments_record(park=park, actor=None, sheet=sheet, line_ids=lines, paid_on=paid_on,
                                           method=rng.choice(METHODS), today=today))
    return created
