"""党费 in the demo: a basis for most members from January (a few left 待核定, as an office finds
them), then, after the cycle has drafted the year's sheets, the payments of past months — most paid
around the 10th, a few behind, and in each park one member with nothing paid all year, whom the
sheet flags — and the books: remittances to the park's committee, one 返还 and one spend. Bases and
books through the platform's services, payments in bulk; idempotent (a park with payments keeps them)."""

import random
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from core.periods import month_start
from dues.models import DuesBasis, DuesLine, DuesPayment, DuesSheet, LedgerEntry
from dues.selectors import collected_before
from dues.services import basis_record, ledger_record
from members.dues import OWING_STAGES, DuesCategory, FundUse
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
    # Written in bulk, as the demo's meetings are (a year of payments one sheet at a time through
    # payments_record would be 600 transactions on every seed); the amounts are the lines' own.
    lines = list(DuesLine.objects.filter(park=park, month__lt=month_start(today), due__isnull=False)
                 .exclude(member_id=behind).select_related("sheet").order_by("month", "sheet_id", "pk"))
    days = {}
    payments = []
    for line in lines:
        if rng.random() >= 0.95:
            continue  # a few behind
        paid_on = days.setdefault(line.sheet_id, line.month.replace(day=rng.randint(5, 20)))
        payments.append(DuesPayment(park=park, line=line, amount=line.due, paid_on=paid_on, method=rng.choice(METHODS)))
        line.paid = line.due
    DuesPayment.objects.bulk_create(payments, batch_size=2000)
    DuesLine.objects.bulk_update([p.line for p in payments], ["paid"], batch_size=2000)
    created = len(payments)
    with connection.cursor() as cursor:  # fresh statistics for the planner: the books below sum these tables
        cursor.execute(f"ANALYZE {DuesLine._meta.db_table}, {DuesPayment._meta.db_table}, {DuesSheet._meta.db_table}")
    return created + _books(park=park, today=today, first=first)


def _books(*, park, today: date, first) -> int:
    """Each branch remits what it collected up to the last quarter's end to the park's committee; the
    first branch has this year's 党费返还 and one spend on training, with its receipt."""
    top = Organisation.objects.filter(park=park, kind=Organisation.Kind.WORK_COMMITTEE).first()
    quarter_end = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    created = 0
    if quarter_end.month == 1:
        return 0
    held = collected_before(park=park, day=quarter_end)
    for branch_id, amount in held.items():
        if amount > 0:
            ledger_record(park=park, actor=None, organisation=Organisation.objects.get(pk=branch_id), kind=LedgerEntry.Kind.REMIT,
                          amount=amount, on=quarter_end, today=today, counterpart=top.name if top else "", note="上缴党费")
            created += 1
    if first is not None:
        ledger_record(park=park, actor=None, organisation=first, kind=LedgerEntry.Kind.RETURNED, amount=Decimal("600"),
                      on=date(today.year, 3, 20), today=today, counterpart=top.name if top else "", note=f"{today.year - 1}年度党费返还")
        ledger_record(park=park, actor=None, organisation=first, kind=LedgerEntry.Kind.SPEND, amount=Decimal("240"), use=FundUse.TRAINING,
                      on=date(today.year, 4, 15), today=today, note="购买党员培训教材",
                      files=[SimpleUploadedFile("教材发票.pdf", b"%PDF-1.4\n% demo receipt\n")])
        created += 2
    return created
