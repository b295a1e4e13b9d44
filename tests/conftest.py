"""Shared fixtures: park A with one user per role, and park B whose data must never show to them."""

from dataclasses import dataclass
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from core.roles import Role
from core.tenancy.scoping import park_scope
from orgs.models import Organisation
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.demo_data import load_demo
from tests.orgs.factories import CountyFactory, OrganisationFactory, ParkFactory


@dataclass
class ParkWorld:
    """A park with its top committee, one branch and a user for each park role."""

    park: object
    work_committee: object
    branch: object
    admin: object
    inspector: object
    secretary: object
    instructor_user: object


def make_park_world(county, code: str) -> ParkWorld:
    park = ParkFactory(county=county, code=code, name=f"{code}经济开发区")
    top = OrganisationFactory(park=park, name=f"{code}党工委", kind=Organisation.Kind.WORK_COMMITTEE, formation="")
    branch = OrganisationFactory(park=park, name=f"{code}第一党支部", parent=top, formation=Organisation.Formation.FALLBACK)
    users = {}
    for role in (Role.PARK_ADMIN, Role.INSPECTOR, Role.BRANCH_SECRETARY, Role.INSTRUCTOR):
        user = UserFactory(username=f"{code}_{role}")
        RoleAssignmentFactory(
            user=user,
            role=role,
            county=county,
            park=park,
            organisation=branch if role == Role.BRANCH_SECRETARY else None,
        )
        users[role] = user
    return ParkWorld(
        park=park,
        work_committee=top,
        branch=branch,
        admin=users[Role.PARK_ADMIN],
        inspector=users[Role.INSPECTOR],
        secretary=users[Role.BRANCH_SECRETARY],
        instructor_user=users[Role.INSTRUCTOR],
    )


@pytest.fixture
def county(db):
    return CountyFactory(code="demo", name="示范县")


@pytest.fixture
def world(county) -> ParkWorld:
    return make_park_world(county, "alpha")


@pytest.fixture
def other(county) -> ParkWorld:
    """Park B, in the same county: nothing of it may show to park A's users."""
    return make_park_world(county, "bravo")


@pytest.fixture
def county_viewer(county):
    user = UserFactory(username="county_viewer")
    RoleAssignmentFactory(user=user, role=Role.COUNTY_VIEWER, county=county)
    return user


@pytest.fixture
def in_park(world):
    """Run the test body inside park A's scope, as a request to park A would."""
    with park_scope(world.park):
        yield world.park


@pytest.fixture
def demo(db):
    """The database holding the demo (seed_demo on an empty database) and nothing else: seeded once
    per test process, copied back for each later test (tests/demo_data.py). It replaces whatever
    the database held, so fixtures that add rows come after it."""
    load_demo()
    yield
    # A plain django_db test's rollback brings back the content types the demo's copy replaced.
    ContentType.objects.clear_cache()


@pytest.fixture
def holiday_calendar(request, db):
    """The working-day calendar as the data migration loads it. A transactional test (the browser
    tests) empties every table when it ends, data migrations' rows included, so a test that counts
    working days loads them again rather than depend on the order tests run in."""
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")  # first: it empties the tables
    import_module("members.migrations.0005_holidays_2025_2026").load(apps, None)
