"""Each park's member roster and payroll as its office keeps them, loaded through the roster import
(imports.services.import_direct: every row checked by the member and dues rules, members written
by COPY, one audit entry): the fast route for thousands of members that still takes each rule."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.spreadsheets import write_csv
from demo.county.plan import ParkPlan
from demo.names import EDUCATION, ETHNICITIES, id_number, mobile, person
from imports.export import export_headers
from imports.services import import_direct
from members.dues import DuesCategory
from members.models import Member
from members.rules import add_years

STAGE_LABELS = {"full": "正式党员", "probationary": "预备党员", "candidate": "发展对象", "activist": "入党积极分子", "applicant": "入党申请人"}
POST_LABELS = {"secretary": "书记", "deputy": "副书记", "committee": "委员", "": ""}
PAY = [2800, 3000, 3600, 4200, 4800, 5000, 5600, 6500, 7200, 8800, 10000, 12500, 16000]


@dataclass
class Person:
    name: str
    gender: str
    birth: date
    id_number: str
    stage: str
    joined_on: date | None
    full_on: date | None
    post: str
    status: str
    branch: str
    enterprise: str


class People:
    """Draws the park's people: unique ID numbers, stage dates that keep the 细则's rules on `today`."""

    def __init__(self, rng: random.Random, region: str, today: date):
        self.rng, self.region, self.today = rng, region, today
        self.numbers: set[str] = set()
        self.serial = 0

    def draw(self, *, branch: str, enterprise: str, stage: str, post: str = "") -> Person:
        rng = self.rng
        gender = "M" if rng.random() < 0.68 else "F"
        birth = date(rng.randint(1962, self.today.year - (23 if stage in ("full", "probationary") else 19)), rng.randint(1, 12), rng.randint(1, 28))
        number = ""
        while not number or number in self.numbers:
            self.serial += 1
            number = id_number(rng, self.region, birth, self.serial, gender)
        self.numbers.add(number)
        joined = full = None
        if stage == "full":
            earliest = max(add_years(birth, 18), date(1985, 1, 1))
            joined = earliest + timedelta(days=rng.randint(0, max(0, (self.today - timedelta(days=400) - earliest).days)))
            full = add_years(joined, 1)
        elif stage == "probationary":
            joined = self.today - timedelta(days=rng.randint(15, 350))
        status = Member.Status.MOBILE if not post and rng.random() < 0.03 else Member.Status.ACTIVE
        return Person(person(rng), gender, birth, number, stage, joined, full, post, status, branch, enterprise)

    def stage(self) -> str:
        roll = self.rng.random()
        return "full" if roll < 0.84 else "probationary" if roll < 0.90 else "candidate" if roll < 0.93 else \
            "activist" if roll < 0.965 else "applicant"


def branch_people(people: People, branch: str, units: list[tuple[str, int]], loose: int) -> list[Person]:
    """A branch's members: its secretary first (a full member), a deputy and two committee members
    where it is large enough to elect a committee, then the rest; `units` are (enterprise, members)."""
    where = [name for name, count in units for _ in range(count)] + [""] * loose
    total = len(where)
    posts = ["secretary"] + (["deputy", "committee", "committee"] if total >= 9 else [])
    found = []
    for n, enterprise in enumerate(where):
        post = posts[n] if n < len(posts) else ""
        found.append(people.draw(branch=branch, enterprise=enterprise, stage="full" if post else people.stage(), post=post))
    return found


def roster_csv(persons: list[Person], rng: random.Random) -> bytes:
    rows = [
        [p.name, "男" if p.gender == "M" else "女", rng.choice(ETHNICITIES), p.id_number, rng.choice(EDUCATION), mobile(rng), p.branch,
         p.enterprise, STAGE_LABELS[p.stage], p.joined_on, p.full_on, POST_LABELS[p.post], "流动" if p.status == "mobile" else "在册"]
        for p in persons
    ]
    return write_csv(export_headers("members"), rows)


def payroll_csv(persons: list[Person], rng: random.Random, month: date) -> bytes:
    """The payroll an office hands in for 党费基数: most of the owing members (a few are still 待核定)."""
    rows = []
    for p in persons:
        if p.stage not in ("full", "probationary") or rng.random() < 0.03:
            continue
        category, base, agreed = payroll_basis(rng)
        rows.append([p.name, p.id_number, DuesCategory(category).label, base or "", agreed or "", "", f"{month:%Y-%m}"])
    return write_csv(export_headers("dues_bases"), rows)


def payroll_basis(rng: random.Random) -> tuple[str, Decimal | None, Decimal | None]:
    roll = rng.random()
    if roll < 0.86:
        return DuesCategory.EMPLOYED, Decimal(rng.choice(PAY)), None
    if roll < 0.91:
        return DuesCategory.RETIRED, Decimal(rng.choice([3200, 4500, 5000, 6100])), None
    if roll < 0.95:
        return DuesCategory.FARMER, None, Decimal(rng.choice(["0.20", "0.50", "1.00"]))
    return rng.choice([DuesCategory.UNEMPLOYED, DuesCategory.STUDENT, DuesCategory.OTHER]), None, None


def load(park, actor, *, kind: str, data: bytes, filename: str) -> int:
    """One file through the import; a rejected row is a bug of the generator, never skipped."""
    plan = import_direct(park=park, actor=actor, kind=kind, data=data, filename=filename)
    if plan.errors:
        raise RuntimeError(f"{filename} rejected: " + "; ".join(e.line() for e in plan.errors[:5]))
    return len(plan.creates) + len(plan.updates)


def park_people(plan: ParkPlan, rng: random.Random, today: date) -> list[Person]:
    people = People(rng, plan.region, today)
    persons = []
    for org in plan.organisations:
        if not org.members:
            continue
        units = [(plan.enterprises[k].name, plan.enterprises[k].members) for k in org.units]
        if org.formation == "single" and len(units) == 1:
            units = [(units[0][0], org.members)]  # a 党总支's branches share their unit's members
        loose = org.members - sum(count for _, count in units)
        persons += branch_people(people, org.name, units, loose)
    return persons
