"""A park comes onto the platform the day before the history starts: its office's accounts and
settings, zones, enterprises, organisation tree, instructors, member roster, payroll and policy
library — each through the service its page uses (the roster and payroll through the import)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import RoleAssignment, User
from assessment.scheme import settings_update
from core.roles import Role
from core.tenancy.scoping import park_scope
from cycle.services import cycle_settings_update
from demo.county.plan import ParkPlan
from demo.county.roster import load, park_people, payroll_csv, roster_csv
from demo.county.state import ParkWorld
from demo.names import INSTRUCTOR_UNITS, mobile, person
from demo.services_demo import LEVELS, POLICIES
from orgs import services as org_services
from orgs.models import County, Organisation, Park
from services.departments import department_save
from services.policies import policy_save

DEPARTMENTS = [("经济发展局", "李强"), ("人力资源和社会保障局", "赵敏"), ("规划建设局", "王涛"), ("应急管理局", "刘洋"), ("市场监督管理局", "陈静")]


def build_park(county: County, plan: ParkPlan, *, seed: int, password: str, today: date) -> ParkWorld:
    park = Park.objects.create(county=county, code=plan.code, name=plan.name)
    world = ParkWorld(park=park, plan=plan, rng=random.Random(seed * 1000 + 500 + plan.index), password=password)
    with park_scope(park):
        _office(world)
        _enterprises(world)
        persons = park_people(plan, world.rng, today)
        secretaries = {p.branch: p for p in persons if p.post == "secretary"}
        _organisations(world, secretaries, today)
        _instructors(world, today)
        load(park, world.admin, kind="members", data=roster_csv(persons, world.rng), filename=f"{plan.code}-党员花名册.csv")
        load(park, world.admin, kind="dues_bases", data=payroll_csv(persons, world.rng, today + timedelta(days=1)),
             filename=f"{plan.code}-党费基数.csv")
        _policies(world, today)
    return world


def _office(world: ParkWorld) -> None:
    """The office's accounts, its settings (varied across parks, as schemes differ) and departments."""
    code, n = world.park.code, world.plan.index
    world.admin, world.office, world.inspector = world.add_users([
        (f"{code}_admin", f"{world.plan.place}党建办 {person(world.rng)}", Role.PARK_ADMIN, None),
        (f"{code}_office", f"{world.plan.place}党建办 {person(world.rng)}", Role.PARK_ADMIN, None),
        (f"{code}_inspector", f"{world.plan.place}考核组 {person(world.rng)}", Role.INSPECTOR, None),
    ])
    cycle_settings_update(park=world.park, actor=world.admin, reminder_hour=8 + n % 3)
    world.reminder_minute = (8 + n % 3) * 60
    scheme = {"quota_star5": 10, "quota_star4": 40} if n % 3 == 1 else {}
    if n % 4 == 2:
        scheme |= {"pay_deputies": True, "allowance_5": Decimal("400"), "allowance_4": Decimal("250"), "allowance_3": Decimal("150")}
    settings_update(park=world.park, actor=world.admin, **scheme)
    handlers = world.add_users([(f"{code}_handler{k + 1}", f"{name} {contact}", Role.HANDLER, None)
                                for k, (name, contact) in enumerate(DEPARTMENTS[: 3 + n % 3])])
    for (name, contact), user in zip(DEPARTMENTS, handlers):
        department = department_save(park=world.park, actor=world.admin, name=name, contact_name=contact, phone=mobile(world.rng), user=user)
        world.handlers[department.pk] = user


def _enterprises(world: ParkWorld) -> None:
    zones = {name: org_services.zone_create(park=world.park, actor=world.admin, name=name) for name in world.plan.zones}
    for unit in world.plan.enterprises:
        made = None
        if not unit.arrives:
            made = org_services.enterprise_create(park=world.park, actor=world.admin, zone=zones[unit.zone], **unit.row())
        world.enterprises.append(made)
    world.zones = zones


def _organisations(world: ParkWorld, secretaries: dict, today: date) -> None:
    made: dict[str, Organisation] = {}
    for org in world.plan.organisations:
        secretary = secretaries.get(org.name)
        elected = today - timedelta(days=world.rng.randint(30, 3 * 365 - 20)) if org.kind == Organisation.Kind.BRANCH else None
        made[org.name] = org_services.organisation_create(
            park=world.park, actor=world.admin, name=org.name, kind=org.kind, parent=made.get(org.parent), formation=org.formation,
            founded_on=org.founded_on, ends_on=org.ends_on, elected_on=elected, secretary_name=secretary.name if secretary else "",
            secretary_phone=mobile(world.rng) if secretary else "", enterprises=[world.enterprises[k] for k in org.units],
        )
        for g in range(org.groups):
            org_services.organisation_create(park=world.park, actor=world.admin, name=f"{org.name}第{'一二'[g]}党小组",
                                             kind=Organisation.Kind.GROUP, parent=made[org.name], founded_on=org.founded_on)
    world.organisations = made
    for org in made.values():
        if org.kind == Organisation.Kind.BRANCH:
            world.secretary_for(org)


def _instructors(world: ParkWorld, today: date) -> None:
    """Instructors, each with an account; the enterprises without a branch of their own first, then
    a few covered ones (党的工作覆盖 before 党组织覆盖)."""
    rng, park = world.rng, world.park
    names = [person(rng) for _ in range(world.plan.instructors)]
    users = world.add_users([(f"{park.code}_i{k + 1:02d}", name, Role.INSTRUCTOR, None) for k, name in enumerate(names)])
    instructors = []
    for k, (name, user) in enumerate(zip(names, users)):
        instructor = org_services.instructor_create(park=park, actor=world.admin, name=name, phone=mobile(rng),
                                                    unit=INSTRUCTOR_UNITS[k % len(INSTRUCTOR_UNITS)], is_active=True, user=user)
        world.instructors[instructor.pk] = user
        instructors.append(instructor)
    covered = {k for org in world.plan.organisations for k in org.units}
    present = [k for k, e in enumerate(world.enterprises) if e is not None]
    chosen = [k for k in present if k not in covered and rng.random() < 0.7] + [k for k in present if k in covered and rng.random() < 0.15]
    chosen += [k for k in present if k not in chosen][: max(0, len(instructors) - len(chosen))]  # each instructor has one at least
    for n, k in enumerate(chosen):
        org_services.instructor_assign(park=park, actor=world.admin, instructor=instructors[n % len(instructors)],
                                       enterprise=world.enterprises[k], starts_on=today - timedelta(days=rng.randint(30, 700)))


def _policies(world: ParkWorld, today: date) -> None:
    for n, (title, level, issuer, body) in enumerate(POLICIES):
        issued = today - timedelta(days=60 + 37 * n)
        policy_save(park=world.park, actor=world.admin, title=title, issuer=issuer, level=LEVELS[level], body=body,
                    doc_number=f"〔{issued.year}〕{10 + n}号", issued_on=issued, category="惠企政策", tags="")


def county_viewer(county: County, password: str) -> User:
    user = User.objects.create(username="county", full_name=f"{county.name}委组织部", password=password, date_joined=timezone.now())
    RoleAssignment.objects.create(user=user, role=Role.COUNTY_VIEWER, county=county)
    return user
