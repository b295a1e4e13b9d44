"""党费 writes: a member's basis, the month's sheet, payments and their reversal. Every write is
audited; a payment is never edited — a wrong one is reversed by a new payment of the opposite
amount, and the line's paid total moves with it in the same transaction."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_entry, audit_record
from core.locks import transaction_lock
from core.periods import month_end, month_start, next_month
from core.uploads import check_uploads, store_upload
from core.validators import normalize_text
from dues.models import (
    DuesBasis,
    DuesLine,
    DuesPayment,
    DuesSheet,
    LedgerEntry,
    LedgerEvidence,
)
from dues.selectors import balances, bases_at
from members.dues import (
    FEN,
    ON_INCOME,
    OWING_STAGES,
    FundUse,
    allowed_use,
    amount_due,
    may_back_pay,
    monthly_dues,
)
from members.models import Member

MSG_NO_BASIS = _("%(name)s尚未核定党费基数，请先核定再登记交纳。")
MSG_SETTLED = _("%(name)s %(month)s 的党费已交清。")
MSG_BACK_PAY = _("%(name)s %(month)s 的党费已超过补交期限（补交一般不超过6个月），不能再登记。")
MSG_FUTURE = _("交纳日期不能晚于今天。")
MSG_BEFORE_MONTH = _("交纳日期不能早于 %(month)s。")
MSG_NOTHING = _("请勾选要登记交纳的党员。")
MSG_REVERSED = _("这笔交纳已经撤销过了。")
MSG_REVERSAL = _("撤销记录本身不能再撤销。")
MSG_REASON = _("请填写撤销原因。")
MSG_NOT_OWING = _("%(name)s目前不是正式党员或预备党员，不需要交纳党费。")
MSG_EFFECTIVE_RANGE = _("起始月份应在 2000 年到明年之间。")
MSG_EFFECTIVE_PAST = _("起始月份不能早于 %(month)s：已交纳月份的应缴金额不再改动。")


def _label(month: date) -> str:
    return f"{month.year}年{month.month}月"


# --- Basis -----------------------------------------------------------------------------------------
def basis_check(*, member: Member, category: str, effective_from: date, base: Decimal | None = None, agreed: Decimal | None = None,
                voluntary: Decimal | None = None, last_paid: date | None, today: date) -> tuple[Decimal | None, dict[str, list[str]]]:
    """The standard monthly amount a basis gives, and every rule it breaks: the one set of rules for
    the form and the payroll import. `last_paid` is the member's latest month with a payment."""
    if member.stage not in OWING_STAGES:
        return None, {"category": [str(MSG_NOT_OWING % {"name": member.name})]}
    errors, standard = {}, None
    try:
        standard = monthly_dues(category, base=base, agreed=agreed)
    except ValueError as exc:
        errors["agreed" if category == "farmer" else "base"] = [str(exc)]
    else:
        try:
            amount_due(standard, voluntary)
        except ValueError as exc:
            errors["voluntary"] = [str(exc)]
    effective_from = month_start(effective_from)
    if not 2000 <= effective_from.year <= today.year + 1:
        errors["effective_from"] = [str(MSG_EFFECTIVE_RANGE)]
    if last_paid and effective_from <= last_paid:
        errors["effective_from"] = [str(MSG_EFFECTIVE_PAST % {"month": _label(next_month(last_paid))})]
    return standard, errors


def last_paid_months(*, park, member_ids=None) -> dict[int, date]:
    """member id → the latest month with a payment on its line: a basis starts after it."""
    lines = DuesLine.objects.filter(park=park, paid__gt=0)
    if member_ids is not None:
        lines = lines.filter(member_id__in=list(member_ids))
    return dict(lines.order_by("member_id", "-month").distinct("member_id").values_list("member_id", "month"))


@transaction.atomic
def basis_record(*, park, actor, member: Member, category: str, effective_from: date, base: Decimal | None = None,
                 agreed: Decimal | None = None, voluntary: Decimal | None = None, note: str = "") -> DuesBasis:
    """A new basis for the member from a month on; the unpaid lines of that month and later are
    priced by it (a paid month keeps what it was paid on)."""
    standard, errors = basis_check(member=member, category=category, effective_from=effective_from, base=base, agreed=agreed,
                                   voluntary=voluntary, last_paid=last_paid_months(park=park, member_ids=[member.pk]).get(member.pk),
                                   today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    [basis] = bases_create(park=park, actor=actor, bases=[dict(
        member=member, effective_from=effective_from, category=category, base=base, agreed=agreed, voluntary=voluntary,
        standard=standard, note=note)])
    return basis


def bases_create(*, park, actor, bases: list[dict]) -> list[DuesBasis]:
    """Write checked bases (basis_check) and price each member's unpaid lines from its month on by
    them; one audit entry per member, as recording it on the form leaves. Set-wise: a payroll of
    hundreds is a few queries, not a few per member."""
    created = DuesBasis.objects.bulk_create([
        DuesBasis(park=park, member=b["member"], effective_from=month_start(b["effective_from"]), category=b["category"],
                  base=b["base"] if b["category"] in ON_INCOME else None, agreed=b["agreed"] if b["category"] == "farmer" else None,
                  voluntary=b["voluntary"], standard=b["standard"], note=b.get("note", ""), recorded_by=actor)
        for b in bases
    ], batch_size=1000)
    repriced = _reprice(park=park, since={basis.member_id: basis.effective_from for basis in created})
    AuditEntry.objects.bulk_create([
        audit_entry(park=park, actor=actor, action="dues.basis", target=basis.member, changes={
            "category": [None, basis.category], "base": [None, str(basis.base) if basis.base is not None else None],
            "standard": [None, str(basis.standard)], "voluntary": [None, str(basis.voluntary) if basis.voluntary is not None else None],
            "from": [None, basis.effective_from.isoformat()], "repriced_lines": [None, repriced.get(basis.member_id, 0)],
        })
        for basis in created
    ], batch_size=1000)
    return created


def _reprice(*, park, since: dict[int, date]) -> dict[int, int]:
    """Price each member's unpaid lines from their month on by the basis in force in each line's
    month (a query per month touched); member id → lines repriced."""
    if not since:
        return {}
    candidates = DuesLine.objects.select_for_update().filter(park=park, member_id__in=list(since), month__gte=min(since.values()), paid=0)
    lines = [line for line in candidates.order_by("month", "member_id", "pk") if line.month >= since[line.member_id]]
    by_month = defaultdict(list)
    for line in lines:
        by_month[line.month].append(line)
    for month, month_lines in by_month.items():
        in_force = bases_at(park=park, member_ids={line.member_id for line in month_lines}, month=month)
        for line in month_lines:
            _price(line, in_force.get(line.member_id))
    DuesLine.objects.bulk_update(lines, ["basis", "category", "due", "voluntary"], batch_size=1000)
    counted = defaultdict(int)
    for line in lines:
        counted[line.member_id] += 1
    return counted


def _price(line: DuesLine, basis: DuesBasis | None) -> None:
    line.basis = basis
    line.category = basis.category if basis else ""
    line.due = basis.monthly if basis else None
    line.voluntary = bool(basis and basis.voluntary is not None)


# --- The month's sheet ---------------------------------------------------------------------------
def owing_members(*, park, month: date):
    """Members who owe dues for the month: full and probationary members on the roll, admitted by
    the month's end (members.dues.owes_in, as a query)."""
    return Member.objects.filter(park=park, stage__in=OWING_STAGES, status__in=Member.ON_ROLL).filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=month_end(month))
    )


@transaction.atomic
def sheets_draft(*, park, month: date) -> int:
    """The month's sheet for every branch with members who owe, and a line per such member not yet
    on it; idempotent (unique sheet per branch and month, line per sheet and member). Returns the
    number of lines added."""
    month = month_start(month)
    on_sheet = DuesLine.objects.filter(park=park, month=month).values("member_id")
    new = list(owing_members(park=park, month=month).exclude(pk__in=on_sheet).values_list("pk", "branch_id"))
    if not new:  # the daily run, once the month is drafted: one query
        return 0
    branch_ids = {branch for _, branch in new}
    DuesSheet.objects.bulk_create([DuesSheet(park=park, branch_id=b, month=month) for b in branch_ids], ignore_conflicts=True)
    sheets = dict(DuesSheet.objects.filter(park=park, month=month, branch_id__in=branch_ids).values_list("branch_id", "pk"))
    bases = bases_at(park=park, member_ids=[pk for pk, _ in new], month=month)
    lines = []
    for pk, branch in new:
        line = DuesLine(park=park, sheet_id=sheets[branch], member_id=pk, month=month)
        _price(line, bases.get(pk))
        lines.append(line)
    created = DuesLine.objects.bulk_create(lines, ignore_conflicts=True)
    return len(created)


# --- Payments --------------------------------------------------------------------------------------
def check_paid_on(*, sheet: DuesSheet, paid_on: date, today: date) -> None:
    if paid_on > today:
        raise ValidationError({"paid_on": [str(MSG_FUTURE)]})
    if paid_on < sheet.month:
        raise ValidationError({"paid_on": [str(MSG_BEFORE_MONTH % {"month": _label(sheet.month)})]})


def check_lines_payable(lines, *, paid_on: date) -> None:
    """Each line (with its member) owes something that may still be paid on `paid_on`."""
    problems = []
    for line in lines:
        what = {"name": line.member.name, "month": _label(line.month)}
        if line.due is None:
            problems.append(str(MSG_NO_BASIS % what))
        elif line.paid >= line.due:
            problems.append(str(MSG_SETTLED % what))
        elif not may_back_pay(month=line.month, paid_on=paid_on):
            problems.append(str(MSG_BACK_PAY % what))
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def payments_record(*, park, actor, sheet: DuesSheet, line_ids, paid_on: date, method: str, today: date) -> list[DuesPayment]:
    """Record the outstanding amount of each chosen line as paid; all or nothing."""
    if not line_ids:
        raise ValidationError(str(MSG_NOTHING))
    check_paid_on(sheet=sheet, paid_on=paid_on, today=today)
    lines = list(
        DuesLine.objects.select_for_update().filter(park=park, sheet=sheet, pk__in=list(line_ids)).select_related("member").order_by("member__name", "pk")
    )
    check_lines_payable(lines, paid_on=paid_on)
    payments = []
    for line in lines:
        amount = line.due - line.paid
        payments.append(DuesPayment(park=park, line=line, amount=amount, paid_on=paid_on, method=method, recorded_by=actor))
        line.paid = line.due
    DuesPayment.objects.bulk_create(payments)
    DuesLine.objects.bulk_update(lines, ["paid"])
    audit_record(park=park, actor=actor, action="dues.pay", target=sheet, changes={
        "members": [None, len(lines)], "amount": [None, str(sum((p.amount for p in payments), Decimal(0)))],
        "paid_on": [None, paid_on.isoformat()], "method": [None, method],
    })
    return payments


def _reversal_reason(record, reason: str) -> str:
    """The rules every reversal keeps (a payment's, a book entry's): a reversal is not itself
    reversed, a record is reversed once, and the reason is given. Returns the reason, trimmed."""
    if record.reverses_id is not None:
        raise ValidationError(str(MSG_REVERSAL))
    if type(record).objects.filter(park_id=record.park_id, reverses=record).exists():
        raise ValidationError(str(MSG_REVERSED))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [str(MSG_REASON)]})
    return reason


@transaction.atomic
def payment_reverse(*, park, actor, payment: DuesPayment, reason: str, today: date) -> DuesPayment:
    """Reverse a payment recorded in error: a new payment of the opposite amount, audited."""
    payment = DuesPayment.objects.select_for_update().get(park=park, pk=payment.pk)
    reason = _reversal_reason(payment, reason)
    line = DuesLine.objects.select_for_update().select_related("sheet__branch").get(park=park, pk=payment.line_id)
    _lock_books(line.sheet.branch)
    _refuse_overdraw(park, line.sheet.branch, LedgerEntry.Book.COLLECTION, -payment.amount, what="撤销")
    reversal = DuesPayment.objects.create(park=park, line=line, amount=-payment.amount, paid_on=today, method=payment.method,
                                          reverses=payment, note=reason[:200], recorded_by=actor)
    line.paid -= payment.amount
    line.save(update_fields=["paid"])
    audit_record(park=park, actor=actor, action="dues.reverse", target=line.sheet, changes={
        "payment": [None, payment.pk], "amount": [str(payment.amount), str(-payment.amount)], "reason": [None, reason[:200]],
    })
    return reversal


# --- The books -------------------------------------------------------------------------------------
BOOK_OF = {
    LedgerEntry.Kind.REMIT: (LedgerEntry.Book.COLLECTION, -1),
    LedgerEntry.Kind.RETURNED: (LedgerEntry.Book.FUND, 1),
    LedgerEntry.Kind.GRANT: (LedgerEntry.Book.FUND, 1),
    LedgerEntry.Kind.SPEND: (LedgerEntry.Book.FUND, -1),
}
MAX_AMOUNT = Decimal("10000000")
MSG_AMOUNT = _("金额应大于 0 且不超过 1000 万元。")
MSG_KIND = _("请选择账目类型。")
MSG_USE = _("党费返还和专项经费只能用于：%(uses)s。")
MSG_EVIDENCE = _("支出须上传凭证（发票、名单或照片）。")
MSG_OVERDRAWN = _("%(book)s余额为 %(balance)s 元，不足以%(what)s %(amount)s 元。")
MSG_DATE = _("日期应在 2000 年之后，且不晚于今天。")


def _lock_books(organisation) -> None:
    """One writer at a time on an organisation's books: balances are read, then written."""
    transaction_lock("dues_books", organisation.pk)


@transaction.atomic
def ledger_record(*, park, actor, organisation, kind: str, amount: Decimal, on: date, today: date, use: str = "",
                  counterpart: str = "", note: str = "", files=()) -> LedgerEntry:
    if kind not in BOOK_OF:
        raise ValidationError({"kind": [str(MSG_KIND)]})
    book, sign = BOOK_OF[kind]
    errors = {}
    if amount is None or not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        errors["amount"] = [str(MSG_AMOUNT)]
    if on is None or on > today or on.year < 2000:
        errors["on"] = [str(MSG_DATE)]
    if kind == LedgerEntry.Kind.SPEND:
        if not allowed_use(use):
            errors["use"] = [str(MSG_USE % {"uses": "、".join(str(label) for label in FundUse.labels)})]
        if not files:
            errors["files"] = [str(MSG_EVIDENCE)]
    else:
        use = ""
    if problems := check_uploads(files, photo=False):
        errors["files"] = problems
    if errors:
        raise ValidationError(errors)
    amount = amount.quantize(FEN)
    _lock_books(organisation)
    _refuse_overdraw(park, organisation, book, sign * amount, what=LedgerEntry.Kind(kind).label)
    entry = LedgerEntry.objects.create(
        park=park, organisation=organisation, book=book, kind=kind, amount=sign * amount, on=on, use=use,
        counterpart=normalize_text(counterpart)[:100], note=normalize_text(note)[:200], recorded_by=actor,
    )
    for upload in files:
        store_upload(LedgerEvidence, upload, park=park, entry=entry)
    audit_record(park=park, actor=actor, action="dues.ledger", target=organisation, changes={
        "book": [None, book], "kind": [None, kind], "amount": [None, str(entry.amount)], "on": [None, on.isoformat()], "use": [None, use],
    })
    return entry


def _refuse_overdraw(park, organisation, book: str, change: Decimal, *, what) -> None:
    if change >= 0:
        return
    balance = balances(park=park, organisation_ids=[organisation.pk], books=(book,))[organisation.pk][book]
    if balance + change < 0:
        raise ValidationError({"amount": [str(MSG_OVERDRAWN % {
            "book": LedgerEntry.Book(book).label, "balance": balance, "what": what, "amount": -change,
        })]})


@transaction.atomic
def ledger_reverse(*, park, actor, entry: LedgerEntry, reason: str, today: date) -> LedgerEntry:
    """Reverse an entry made in error: a new entry of the opposite amount, audited; refused if the
    book would go below zero (a spent return cannot be taken back)."""
    organisation = entry.organisation
    _lock_books(organisation)
    entry = LedgerEntry.objects.get(park=park, pk=entry.pk)
    reason = _reversal_reason(entry, reason)
    _refuse_overdraw(park, organisation, entry.book, -entry.amount, what="撤销")
    reversal = LedgerEntry.objects.create(
        park=park, organisation=organisation, book=entry.book, kind=entry.kind, amount=-entry.amount, on=today, use=entry.use,
        counterpart=entry.counterpart, note=f"撤销：{reason}"[:200], reverses=entry, recorded_by=actor,
    )
    audit_record(park=park, actor=actor, action="dues.ledger_reverse", target=organisation, changes={
        "entry": [None, entry.pk], "amount": [str(entry.amount), str(reversal.amount)], "reason": [None, reason[:200]],
    })
    return reversal
