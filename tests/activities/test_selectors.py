"""Compliance: which required meetings each branch held, the gaps, and a constant query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities import selectors
from activities.models import ActivityKind
from activities.selectors import compliance_gaps
from core.periods import Period
from core.tenancy.scoping import park_scope
from orgs.models import Organisation
from tests.activities.factories import ActivityFactory, CycleSettingsFactory
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = date(2027, 5, 20)


def held(branch, kind, day):
    return ActivityFactory(branch=branch, kind=kind, held_on=day, topic="学习")


def test_matrix_for_a_quarter(world):
    other_branch = OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.FALLBACK, name="乙支部")
    for _ in range(7):  # 7 full members: a committee, which owes a 支委会 each month
        MemberFactory(park=world.park, branch=world.branch)
    held(world.branch, ActivityKind.COMMITTEE, date(2027, 4, 8))
    held(world.branch, ActivityKind.COMMITTEE, date(2027, 4, 22))
    held(world.branch, ActivityKind.ASSEMBLY, date(2027, 5, 6))
    held(other_branch, ActivityKind.THEME_DAY, date(2027, 6, 1))  # June: not yet due on 20 May, but counted
    with park_scope(world.park):
        columns, rows = selectors.compliance_matrix(park=world.park, year=2027, quarter=2, today=TODAY)
    labels = [c.label for c in columns]
    assert labels[:4] == ["支部党员大会（本季度）", "支委会（4月）", "支委会（5月）", "支委会（6月）"]
    table = {branch.name: {c.label: cell for c, cell in zip(columns, cells)} for branch, cells in rows}
    mine = table[world.branch.name]
    assert (mine["支委会（4月）"].held, mine["支委会（5月）"].gap, mine["支委会（6月）"].gap) == (2, True, False)
    assert (mine["支部党员大会（本季度）"].held, mine["党课（本季度）"].gap) == (1, True)
    assert table["乙支部"]["主题党日（6月）"].held == 1
    assert not table["乙支部"]["支委会（5月）"].required  # no members, so no committee to meet
    assert set(table) == {world.branch.name, "乙支部"}  # the work committee is not a branch


def test_frequencies_are_park_settings(world):
    CycleSettingsFactory(park=world.park, committee_period=Period.QUARTER)
    with park_scope(world.park):
        columns, _ = selectors.compliance_matrix(park=world.park, year=2027, quarter=2, today=TODAY)
    assert "支委会（本季度）" in [c.label for c in columns]


def test_query_count_does_not_grow_with_branches(world):
    def measure():
        with park_scope(world.park), CaptureQueriesContext(connection) as ctx:
            selectors.compliance_matrix(park=world.park, year=2027, quarter=2, today=TODAY)
        return len(ctx.captured_queries)

    small = measure()
    for n in range(30):
        branch = OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.FALLBACK)
        held(branch, ActivityKind.COMMITTEE, date(2027, 4, 1 + n % 28))
    assert measure() == small == 5


def test_group_meetings_are_owed_only_by_branches_with_groups(world):
    with park_scope(world.park):
        kinds = {g.kind for g in compliance_gaps(world.park, TODAY) if g.branch == world.branch}
        assert "group" not in kinds
        OrganisationFactory(park=world.park, parent=world.branch, kind=Organisation.Kind.GROUP, formation="", name="第一党小组")
        kinds = {g.kind for g in compliance_gaps(world.park, TODAY) if g.branch == world.branch}
        assert "group" in kinds
        columns, rows = selectors.compliance_matrix(park=world.park, year=2027, quarter=2, today=TODAY)
    cells = dict(zip([c.label for c in columns], rows[0][1]))
    assert cells["党小组会（4月）"].required and cells["党小组会（4月）"].gap
