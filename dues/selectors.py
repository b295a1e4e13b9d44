"""党费 reads: which basis applies, each member's run of unpaid months, and collection figures
(应缴 / 实缴 / 欠缴 / 收缴率) — each in a fixed number of queries whatever the park's size."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from core.periods import add_months, month_start
from dues.models import DuesBasis, DuesLine, DuesPayment, LedgerEntry
from members.dues import ARREARS_FLAG_MONTHS

ZERO = Decimal("0.00")
ARREARS_WINDOW = 24  # months looked back for a run of unpaid months (a run longer than this shows as 24+)


def bases_at(*, park, member_ids, month: date) -> dict[int, DuesBasis]:
    """member id → the basis in force in the month (the latest from that month or before); one query."""
    if not member_ids:
        return {}
    rows = (
        DuesBasis.objects.filter(park=park, member_id__in=list(member_ids), effective_from__lte=month_start(month))
        .order_by("member_id", "-effective_from", "-pk")
        .distinct("member_id")
    )
    return {basis.member_id: basis for basis in rows}


@dataclass(frozen=True)
class Arrears:
    months: int  # months owed and not paid in full, in the window
    run: int  # of those, how many in a row up to the latest sheet (0 when the latest is paid)


def arrears(*, park, member_ids, until: date) -> dict[int, Arrears]:
    """member id → their arrears over the ARREARS_WINDOW months up to `until`; one query. A month
    whose amount is not yet set (no basis) is the branch's to settle and counts against no one."""
    if not member_ids:
        return {}
    rows = (
        DuesLine.objects.filter(park=park, member_id__in=list(member_ids), month__lte=month_start(until),
                                month__gt=add_months(month_start(until), -ARREARS_WINDOW))
        .order_by("member_id", "-month")
        .values_list("member_id", "due", "paid")
    )
    months: dict[int, int] = {}
    runs: dict[int, int] = {}
    broken: set[int] = set()
    for member_id, due, paid in rows:
        months.setdefault(member_id, 0)
        runs.setdefault(member_id, 0)
        if due is None:
            continue
        if paid < due:
            months[member_id] += 1
            if member_id not in broken:
                runs[member_id] += 1
        else:
            broken.add(member_id)
    return {member_id: Arrears(months[member_id], runs[member_id]) for member_id in months}


def flagged(found: dict[int, Arrears]) -> set[int]:
    """Members with ARREARS_FLAG_MONTHS or more unpaid months in a row (党章 第九条: 连续六个月)."""
    return {member_id for member_id, a in found.items() if a.run >= ARREARS_FLAG_MONTHS}


@dataclass(frozen=True)
class Collection:
    label: str
    members: int
    unset: int  # lines without an amount yet (基数待核定)
    due: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return max(self.due - self.paid, ZERO)

    @property
    def rate(self) -> float | None:
        return None if not self.due else float(min(self.paid, self.due) / self.due * 100)


def collection_by_branch(*, park, month: date, branch_ids=None) -> list[tuple[int, str, int, Collection]]:
    """(sheet id, branch name, branch id, figures) per branch for the month; one query."""
    lines = DuesLine.objects.filter(park=park, month=month_start(month))
    if branch_ids is not None:
        lines = lines.filter(sheet__branch_id__in=list(branch_ids))
    rows = (
        lines.values("sheet_id", "sheet__branch_id", "sheet__branch__name")
        .annotate(
            members=Count("pk"), unset=Count("pk", filter=Q(due__isnull=True)),
            due_sum=Coalesce(Sum("due"), ZERO), paid_sum=Coalesce(Sum("paid"), ZERO),
        )
        .order_by("sheet__branch__name")
    )
    return [
        (r["sheet_id"], r["sheet__branch__name"], r["sheet__branch_id"],
         Collection(r["sheet__branch__name"], r["members"], r["unset"], r["due_sum"], r["paid_sum"]))
        for r in rows
    ]


def collection_by_month(*, park, year: int, branch_ids=None) -> list[Collection]:
    """The year's twelve months (those with sheets) for the park or the given branches; one query."""
    lines = DuesLine.objects.filter(park=park, month__year=year)
    if branch_ids is not None:
        lines = lines.filter(sheet__branch_id__in=list(branch_ids))
    rows = (
        lines.values("month")
        .annotate(members=Count("pk"), unset=Count("pk", filter=Q(due__isnull=True)),
                  due_sum=Coalesce(Sum("due"), ZERO), paid_sum=Coalesce(Sum("paid"), ZERO))
        .order_by("month")
    )
    return [Collection(f"{r['month'].month}月", r["members"], r["unset"], r["due_sum"], r["paid_sum"]) for r in rows]


def collection_by_park(*, parks, year: int) -> dict[int, list[Collection]]:
    """park id → the year's months with sheets, for the county's parks side by side; one query."""
    rows = (
        DuesLine.objects.filter(park__in=list(parks), month__year=year)
        .values("park_id", "month")
        .annotate(members=Count("pk"), unset=Count("pk", filter=Q(due__isnull=True)),
                  due_sum=Coalesce(Sum("due"), ZERO), paid_sum=Coalesce(Sum("paid"), ZERO))
        .order_by("park_id", "month")
    )
    found: dict[int, list[Collection]] = {park.pk: [] for park in parks}
    for r in rows:
        found[r["park_id"]].append(Collection(f"{r['month'].month}月", r["members"], r["unset"], r["due_sum"], r["paid_sum"]))
    return found


def total(rows: list[Collection], label: str = "合计") -> Collection:
    return Collection(label, sum(r.members for r in rows), sum(r.unset for r in rows),
                      sum((r.due for r in rows), ZERO), sum((r.paid for r in rows), ZERO))


def balances(*, park, organisation_ids, books=("collection", "fund")) -> dict[int, dict[str, Decimal]]:
    """organisation id → {"collection": …, "fund": …}: the collection book is its members' payments
    less what it remitted; the fund book its returns and grants less its spending. One query a book."""
    ids = list(organisation_ids)
    found = {pk: {book: ZERO for book in books} for pk in ids}
    if "collection" in books:
        # A line's `paid` is the sum of its payments (kept by dues.services in the same transaction).
        paid = (DuesLine.objects.filter(park=park, sheet__branch_id__in=ids)
                .values("sheet__branch_id").annotate(total=Sum("paid")).values_list("sheet__branch_id", "total"))
        for pk, amount in paid:
            found[pk]["collection"] += amount
    entries = (LedgerEntry.objects.filter(park=park, organisation_id__in=ids, book__in=list(books))
               .values("organisation_id", "book").annotate(total=Sum("amount")).values_list("organisation_id", "book", "total"))
    for pk, book, amount in entries:
        found[pk][book] += amount
    return found


def collected_by_month(*, park, organisation_id: int, year: int) -> list[tuple[date, Decimal]]:
    """(month, members' payments received that month) for the year: the collection book's income."""
    rows = (
        DuesPayment.objects.filter(park=park, line__sheet__branch_id=organisation_id, paid_on__year=year)
        .annotate(month=TruncMonth("paid_on")).values("month").annotate(total=Sum("amount")).order_by("month")
        .values_list("month", "total")
    )
    return list(rows)


def balances_before(*, park, organisation_id: int, day: date) -> dict[str, Decimal]:
    """Both books' balances at the start of `day` (carried over into a year's ledger)."""
    found = {"collection": collected_before(park=park, day=day, organisation_ids=[organisation_id]).get(organisation_id, ZERO), "fund": ZERO}
    for book, total in (LedgerEntry.objects.filter(park=park, organisation_id=organisation_id, on__lt=day)
                        .values("book").annotate(total=Sum("amount")).values_list("book", "total")):
        found[book] += total
    return found


def collected_before(*, park, day: date, organisation_ids=None) -> dict[int, Decimal]:
    """organisation id → its members' payments received before `day` (every organisation, or the
    ones named); one query."""
    payments = DuesPayment.objects.filter(park=park, paid_on__lt=day)
    if organisation_ids is not None:
        payments = payments.filter(line__sheet__branch_id__in=list(organisation_ids))
    return dict(payments.values("line__sheet__branch_id").annotate(total=Sum("amount")).values_list("line__sheet__branch_id", "total"))
