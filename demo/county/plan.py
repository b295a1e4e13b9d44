"""The shape of each synthetic park, drawn from its own random.Random before anything is written:
enterprises (ownership, size, zone, who moves in or out during the history), how many members
each has, and the organisations that cover them (单独组建, a 党总支 over a large enterprise, 联合组建
of small ones, 挂靠, 兜底, a 临时党支部, 党小组). Pure data: setup.py writes it through the services."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from demo.names import ZONE_INDUSTRIES, credit_code, enterprise_name, mobile, person
from orgs.models import Enterprise, Organisation

PLACES = [
    ("鱼台", "yutai", "370827"), ("金乡", "jinxiang", "370828"), ("嘉祥", "jiaxiang", "370829"), ("汶上", "wenshang", "370830"),
    ("泗水", "sishui", "370831"), ("梁山", "liangshan", "370832"), ("微山", "weishan", "370826"), ("曲阜", "qufu", "370881"),
    ("邹城", "zoucheng", "370883"), ("兖州", "yanzhou", "370812"), ("任城", "rencheng", "370811"), ("枞阳", "zongyang", "340722"),
    ("桐城", "tongcheng", "340881"), ("怀宁", "huaining", "340822"), ("潜山", "qianshan", "340882"), ("太湖", "taihu", "340825"),
    ("宿松", "susong", "340826"), ("望江", "wangjiang", "340827"), ("岳西", "yuexi", "340828"), ("庐江", "lujiang", "340124"),
]
OWNERSHIP = [(Enterprise.Ownership.PRIVATE, 68), (Enterprise.Ownership.FOREIGN, 10), (Enterprise.Ownership.STATE, 8),
             (Enterprise.Ownership.COLLECTIVE, 6), (Enterprise.Ownership.SOCIAL, 8)]
# How strongly each kind of unit tends to have Party members, per employee.
MEMBER_AFFINITY = {"private": 1.0, "foreign": 0.6, "state": 2.2, "collective": 1.6, "social": 1.2}
EMPLOYEES = [(8, 6), (15, 10), (25, 12), (40, 14), (60, 14), (90, 12), (150, 10), (260, 9), (480, 6), (900, 4), (1800, 3)]
GENERAL_BRANCH_FROM = 30  # a unit with this many members has a 党总支 over two or three branches
SINGLE_FROM = 3  # 支部工作条例 Art. 4: three full members form a branch of their own
TEMPORARY_MEMBERS = 4
FALLBACK_SHARE = 0.05  # members held by the park committee's 兜底 branch, outside any enterprise's


@dataclass
class EnterprisePlan:
    name: str
    credit_code: str
    ownership: str
    industry: str
    employees: int
    zone: str
    moved_in_on: date
    legal_representative: str
    contact_name: str
    contact_phone: str
    arrives: bool = False  # moves in during the history (created then)
    leaves_on: date | None = None  # moves out during the history
    members: int = 0  # members working there when the park comes onto the platform

    def row(self) -> dict:
        return {"name": self.name, "credit_code": self.credit_code, "ownership": self.ownership, "industry": self.industry,
                "employees": self.employees, "legal_representative": self.legal_representative, "address": "",
                "contact_name": self.contact_name, "contact_phone": self.contact_phone, "moved_in_on": self.moved_in_on}


@dataclass
class OrgPlan:
    name: str
    kind: str
    parent: str | None
    formation: str = ""
    units: list[int] = field(default_factory=list)  # indexes into ParkPlan.enterprises
    members: int = 0
    founded_on: date | None = None
    ends_on: date | None = None
    groups: int = 0  # 党小组 under it


@dataclass
class ParkPlan:
    index: int
    code: str
    name: str
    place: str
    region: str
    zones: list[str]
    enterprises: list[EnterprisePlan]
    organisations: list[OrgPlan]
    instructors: int
    loose_members: int  # members in the 兜底 branch without a work unit of the park's roster


def park_identity(index: int) -> tuple[str, str, str, str]:
    """(code, name, place, region code) of the index-th park; past the list, numbered again."""
    place, code, region = PLACES[index % len(PLACES)]
    round_ = index // len(PLACES)
    if round_ == 0:
        return code, f"{place}经济开发区", place, region
    return f"{code}{round_ + 1}", f"{place}第{round_ + 1}产业园", place, f"{region[:2]}99{index % 100:02d}"


def plan_park(index: int, *, seed: int, enterprises: int, members: int, start: date, until: date) -> ParkPlan:
    rng = random.Random(seed * 1000 + index)
    code, name, place, region = park_identity(index)
    zone_names = list(ZONE_INDUSTRIES)
    zones = [zone_names[(index + k) % len(zone_names)] for k in range(2 + index % 3)]
    units = _enterprises(rng, place, region, zones, enterprises, start, until)
    loose = round(members * FALLBACK_SHARE)
    _share_members(rng, units, members - loose - TEMPORARY_MEMBERS)
    organisations = _organisations(rng, name, units, loose, start, until)
    return ParkPlan(index, code, name, place, region, zones, units, organisations, max(2, enterprises // 7), loose)


def _enterprises(rng, place, region, zones, count, start, until) -> list[EnterprisePlan]:
    units, taken, codes = [], set(), set()
    span = (until - start).days
    for n in range(count):
        zone = zones[n % len(zones)]
        industry = rng.choice(ZONE_INDUSTRIES[zone])
        code = credit_code(rng, region)
        while code in codes:
            code = credit_code(rng, region)
        codes.add(code)
        arrives = n >= 4 and rng.random() < 0.08
        moved_in = start + timedelta(days=rng.randint(30, max(31, span - 30))) if arrives else \
            date(rng.randint(2006, start.year - 1), rng.randint(1, 12), rng.randint(1, 28))
        unit = EnterprisePlan(
            name=enterprise_name(rng, place, industry, taken), credit_code=code,
            ownership=rng.choices([o for o, _ in OWNERSHIP], weights=[w for _, w in OWNERSHIP])[0], industry=industry,
            employees=rng.choices([e for e, _ in EMPLOYEES], weights=[w for _, w in EMPLOYEES])[0], zone=zone,
            moved_in_on=moved_in, legal_representative=person(rng), contact_name=person(rng), contact_phone=mobile(rng),
            arrives=arrives,
        )
        if not arrives and n >= 4 and rng.random() < 0.07:
            unit.leaves_on = start + timedelta(days=rng.randint(60, max(61, span - 15)))
        units.append(unit)
    return units


def _share_members(rng, units: list[EnterprisePlan], total: int) -> None:
    """Members by each unit's size and kind (largest remainders); a third of the small private and
    foreign firms have none yet, and firms that move in later start with none."""
    weights = []
    for unit in units:
        none_yet = unit.arrives or (unit.ownership in ("private", "foreign") and unit.employees < 60 and rng.random() < 0.35)
        weights.append(0.0 if none_yet else unit.employees ** 0.6 * MEMBER_AFFINITY[unit.ownership])
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    for k in sorted(range(len(units)), key=lambda k: (counts[k] - shares[k], k))[: total - sum(counts)]:
        counts[k] += 1
    for unit, count in zip(units, counts):
        unit.members = count


def _organisations(rng, park_name, units, loose, start, until) -> list[OrgPlan]:
    top = OrgPlan(f"{park_name}党工委", Organisation.Kind.WORK_COMMITTEE, None, founded_on=date(2006, 3, 1))
    committee = OrgPlan(f"{park_name}综合党委", Organisation.Kind.COMPREHENSIVE_COMMITTEE, top.name, founded_on=date(2012, 7, 1))
    orgs = [top, committee]
    founded = lambda: date(rng.randint(2010, start.year - 1), rng.randint(1, 12), 1)  # noqa: E731
    small = []
    for k, unit in enumerate(units):
        short = unit.name.removesuffix("有限公司")
        if unit.members >= GENERAL_BRANCH_FROM:
            orgs += _general_branch(rng, short, k, unit.members, committee.name, founded())
        elif unit.members >= SINGLE_FROM:
            formation = Organisation.Formation.ATTACHED if unit.ownership == "social" else Organisation.Formation.SINGLE
            orgs.append(OrgPlan(f"{short}党支部", Organisation.Kind.BRANCH, committee.name, formation, [k], unit.members, founded()))
        elif unit.members:
            small.append(k)
    orgs += _joint_branches(rng, units, small, committee.name, start)
    fallback = OrgPlan(f"{park_name}非公企业兜底党支部", Organisation.Kind.BRANCH, committee.name, Organisation.Formation.FALLBACK,
                       [k for k in small if not any(k in o.units for o in orgs)], loose, date(2015, 7, 1))
    fallback.members += sum(units[k].members for k in fallback.units)
    orgs.append(fallback)
    ends = start + timedelta(days=rng.randint(150, max(151, min(330, (until - start).days - 10))))
    orgs.append(OrgPlan(f"{park_name}标准化厂房项目临时党支部", Organisation.Kind.BRANCH, committee.name, Organisation.Formation.TEMPORARY,
                        [], TEMPORARY_MEMBERS, start - timedelta(days=120), ends_on=ends))
    for org in orgs:
        if org.kind == Organisation.Kind.BRANCH and org.members >= 15:
            org.groups = 1 + (org.members >= 25)
    return orgs


def _general_branch(rng, short, unit, members, parent, founded) -> list[OrgPlan]:
    """A 党总支 over a large unit, its members in two or three branches (each below 50)."""
    parts = 2 + (members > 80)
    general = OrgPlan(f"{short}党总支", Organisation.Kind.GENERAL_BRANCH, parent, Organisation.Formation.SINGLE, [unit], 0, founded)
    ordinals = "一二三"
    sizes = [members // parts + (1 if p < members % parts else 0) for p in range(parts)]
    return [general] + [
        OrgPlan(f"{short}第{ordinals[p]}党支部", Organisation.Kind.BRANCH, general.name, Organisation.Formation.SINGLE, [unit], sizes[p], founded)
        for p in range(parts)
    ]


def _joint_branches(rng, units, small: list[int], parent: str, start) -> list[OrgPlan]:
    """Small units of one zone, two to five to a 联合党支部, while at least three members share it."""
    branches, by_zone = [], {}
    for k in small:
        by_zone.setdefault(units[k].zone, []).append(k)
    for zone, members in by_zone.items():
        while len(members) >= 2:
            size = min(len(members), rng.randint(2, 5))
            chosen, members = members[:size], members[size:]
            total = sum(units[k].members for k in chosen)
            if total < SINGLE_FROM:
                continue  # left to the 兜底 branch
            branches.append(OrgPlan(f"{zone}第{len(branches) + 1}联合党支部", Organisation.Kind.BRANCH, parent, Organisation.Formation.JOINT,
                                    chosen, total, date(rng.randint(2016, start.year - 1), 7, 1)))
    return branches

