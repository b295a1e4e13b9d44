"""党费 over the history: the cycle drafts each month's sheets (its dues_sheets job); each branch's
secretary records the month's payments on one day (a few members pay weeks later, within the six
months back payment allows; about one member in a hundred pays nothing for a year, so the sheet
flags them); each January the office imports the payroll again (a new basis where pay changed);
twice a year every branch remits what it collected, and some branches get dues returned."""

from datetime import date, timedelta
from decimal import Decimal

from core.spreadsheets import write_csv
from demo.county.rhythm import minute
from demo.county.roster import load, payroll_basis
from demo.county.state import ParkWorld
from demo.dues_demo import METHODS
from dues.models import DuesLine, LedgerEntry
from dues.selectors import balances
from dues.services import ledger_record
from imports.export import export_headers
from members.dues import DuesCategory
from members.models import Member
from orgs.models import Organisation
from orgs.selectors import live_party_branches

REMIT_MONTHS = (1, 7)


def lapsed(member_id: int, year: int) -> bool:
    """About one member in a hundred pays nothing all year (党章 Art. 9's mark is reached)."""
    return (member_id * 31 + year) % 97 == 0


def plan_payments(world: ParkWorld, month: date) -> None:
    """Each sheet of the month (drafted by the cycle at 00:10): paid on the secretary's day, a few late."""
    rng = world.rng
    by_sheet: dict[int, list[tuple[int, int, int]]] = {}
    for pk, sheet_id, member_id, branch_id in (DuesLine.objects.filter(park=world.park, month=month, due__isnull=False)
                                               .order_by("sheet_id", "pk").values_list("pk", "sheet_id", "member_id", "sheet__branch_id")):
        by_sheet.setdefault(sheet_id, []).append((pk, member_id, branch_id))
    for sheet_id, lines in by_sheet.items():
        user = world.secretaries.get(lines[0][2])
        if user is None:
            continue
        day = month.replace(day=rng.randint(5, 20))
        paying = [pk for pk, member_id, _ in lines if not lapsed(member_id, month.year)]
        late = [pk for pk in paying if rng.random() < 0.04]
        on_time = [pk for pk in paying if pk not in late]
        if on_time:
            world.backlog.add("payments", (day, minute(world), sheet_id, on_time, rng.choice(METHODS), user))
        if late:
            world.backlog.add("payments", (day + timedelta(days=rng.randint(20, 75)), minute(world), sheet_id, late, rng.choice(METHODS), user))


def remit(world: ParkWorld, day: date) -> None:
    """Every branch sends what its book holds to the park's committee (上缴)."""
    top = Organisation.objects.filter(park=world.park, kind=Organisation.Kind.WORK_COMMITTEE).first()
    branches = list(live_party_branches(park=world.park, on=day).order_by("pk"))
    held = balances(park=world.park, organisation_ids=[b.pk for b in branches], books=("collection",))
    for branch in branches:
        amount = held[branch.pk]["collection"]
        user = world.secretaries.get(branch.pk)
        if amount > 0 and user is not None:
            ledger_record(park=world.park, actor=user, organisation=branch, kind=LedgerEntry.Kind.REMIT, amount=amount, on=day,
                          today=day, counterpart=top.name, note=f"上缴{day.year if day.month > 1 else day.year - 1}年党费")


def dues_returned(world: ParkWorld, day: date) -> None:
    """The committee returns part of last year's dues to a few branches for their activities."""
    branches = list(live_party_branches(park=world.park, on=day).order_by("pk"))
    for branch in world.rng.sample(branches, min(len(branches), max(1, len(branches) // 6))):
        user = world.secretaries.get(branch.pk)
        if user is not None:
            ledger_record(park=world.park, actor=user, organisation=branch, kind=LedgerEntry.Kind.RETURNED,
                          amount=Decimal(world.rng.choice([300, 500, 600, 800])), on=day, today=day,
                          counterpart=f"{world.park.name}党工委", note=f"{day.year - 1}年度党费返还")


def payroll(world: ParkWorld, day: date) -> None:
    """January's payroll: everyone who owes dues, with this year's pay (most unchanged)."""
    rng = world.rng
    rows = []
    members = Member.objects.filter(park=world.park, stage__in=("full", "probationary"), status__in=Member.ON_ROLL).order_by("pk")
    for member in members.only("pk", "name", "id_cipher"):
        if rng.random() < 0.7:
            continue  # pay unchanged: the office leaves the row out
        category, base, agreed = payroll_basis(rng)
        rows.append([member.name, member.id_number, DuesCategory(category).label, base or "", agreed or "", "", f"{day:%Y-%m}"])
    if rows:
        load(world.park, world.admin, kind="dues_bases", data=write_csv(export_headers("dues_bases"), rows),
             filename=f"{world.park.code}-{day.year}年党费基数.csv")
