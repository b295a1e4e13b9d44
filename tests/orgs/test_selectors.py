"""Coverage figures and the gap list: right numbers, and a query count independent of size."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.tenancy.scoping import park_scope
from members.selectors import coverage_gaps
from orgs import rules, selectors
from orgs.models import Coverage, Enterprise, Organisation
from tests.orgs.factories import (
    CoverageFactory,
    EnterpriseFactory,
    InstructorAssignmentFactory,
    InstructorFactory,
    OrganisationFactory,
    ZoneFactory,
    valid_credit_code,
)

TODAY = date(2026, 11, 21)


@pytest.fixture
def small_park(world):
    """Eight active enterprises and one moved out:

    - e0, e1 covered by a live branch; e2 by a dissolved branch (not covered); e3 by a temporary
      branch that ended (not covered)
    - e2 has an instructor (work-covered); e4 had one whose assignment ended (not work-covered)
    - e5, e6 uncovered in the same zone; e7 uncovered alone in no zone; e8 moved out (not counted)
    """
    park = world.park
    zone = ZoneFactory(park=park, name="东区")
    e = [EnterpriseFactory(park=park, zone=zone if i in (5, 6) else None, name=f"企业{i}") for i in range(8)]
    EnterpriseFactory(park=park, status=Enterprise.Status.MOVED_OUT, moved_out_on=date(2025, 1, 1))
    live = OrganisationFactory(park=park, parent=world.work_committee, formation="joint")
    CoverageFactory(organisation=live, enterprise=e[0])
    CoverageFactory(organisation=live, enterprise=e[1])
    gone = OrganisationFactory(park=park, parent=world.work_committee, dissolved_on=date(2026, 1, 1))
    CoverageFactory(organisation=gone, enterprise=e[2])
    ended = OrganisationFactory(park=park, parent=world.work_committee, formation="temporary", ends_on=date(2026, 6, 30))
    CoverageFactory(organisation=ended, enterprise=e[3])
    instructor = InstructorFactory(park=park)
    InstructorAssignmentFactory(instructor=instructor, enterprise=e[2], starts_on=date(2025, 1, 1))
    InstructorAssignmentFactory(instructor=instructor, enterprise=e[4], starts_on=date(2025, 1, 1), ends_on=date(2026, 1, 1))
    return e


def test_coverage_figures(world, small_park):
    with park_scope(world.park):
        figures = selectors.coverage_summary(park=world.park, on=TODAY)
    assert (figures.enterprises, figures.org_covered, figures.work_covered) == (8, 2, 3)
    assert (figures.org_rate, figures.work_rate, figures.uncovered) == (25.0, 37.5, 6)


def test_gap_list_with_suggestions(world, small_park):
    with park_scope(world.park):
        gaps = {e.name: e for e in coverage_gaps(park=world.park, on=TODAY)}
    assert sorted(gaps) == ["企业2", "企业3", "企业4", "企业5", "企业6", "企业7"]
    assert gaps["企业2"].suggestions == [rules.SUGGEST_FALLBACK]  # has an instructor already
    assert gaps["企业5"].suggestions == [rules.SUGGEST_INSTRUCTOR, rules.SUGGEST_JOINT]
    assert gaps["企业7"].suggestions == [rules.SUGGEST_INSTRUCTOR, rules.SUGGEST_FALLBACK]


def test_empty_park_has_no_rate(world):
    with park_scope(world.park):
        figures = selectors.coverage_summary(park=world.park)
    assert (figures.enterprises, figures.org_rate, figures.work_rate) == (0, None, None)


def test_county_figures_cover_every_park_in_one_query(world, other, small_park):
    with park_scope([world.park, other.park]), CaptureQueriesContext(connection) as ctx:
        figures = selectors.coverage_by_park(parks=[world.park, other.park], on=TODAY)
    assert len(ctx.captured_queries) == 1
    assert figures[world.park.pk].org_covered == 2
    assert figures[other.park.pk].enterprises == 0


def grow(world, n):
    """n more enterprises, a third of them covered and a third with an instructor."""
    park = world.park
    branch = OrganisationFactory(park=park, parent=world.work_committee, formation="fallback")
    instructor = InstructorFactory(park=park)
    zones = [ZoneFactory(park=park) for _ in range(3)]
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(park=park, name=f"规模企业{n}-{i}", credit_code=valid_credit_code(), zone=zones[i % 3])
            for i in range(n)
        ]
    )
    Coverage.objects.bulk_create(
        [Coverage(park=park, organisation=branch, enterprise=e) for e in enterprises[::3]]
    )
    from orgs.models import InstructorAssignment

    InstructorAssignment.objects.bulk_create(
        [
            InstructorAssignment(park=park, instructor=instructor, enterprise=e, starts_on=timezone.localdate() - timedelta(days=9))
            for e in enterprises[1::3]
        ]
    )


def count_queries(world):
    with park_scope(world.park), CaptureQueriesContext(connection) as ctx:
        summary = selectors.coverage_summary(park=world.park)
        gaps = coverage_gaps(park=world.park)
        tree = selectors.flatten_tree(selectors.organisation_tree(park=world.park))
        [e.zone for e in gaps]  # the page shows each gap's zone
    return len(ctx.captured_queries), summary, len(gaps), len(tree)


def test_query_count_is_the_same_for_10_and_1000_enterprises(world):
    grow(world, 10)
    small = count_queries(world)
    grow(world, 990)
    large = count_queries(world)
    assert small[1].enterprises == 10 and large[1].enterprises == 1000
    assert large[1].org_covered == 4 + 330
    assert large[2] == 1000 - 334
    assert small[0] == large[0] == 3


def test_tree_nests_and_filters_to_visible_subtrees(world):
    group = OrganisationFactory(park=world.park, parent=world.branch, kind=Organisation.Kind.GROUP, formation="")
    sibling = OrganisationFactory(park=world.park, parent=world.work_committee)
    with park_scope(world.park):
        full = selectors.flatten_tree(selectors.organisation_tree(park=world.park))
        mine = selectors.flatten_tree(selectors.organisation_tree(park=world.park, visible_ids={world.branch.pk, group.pk}))
    assert [(n.organisation, n.depth) for n in full][0] == (world.work_committee, 0)
    assert {(n.organisation, n.depth) for n in full} >= {(world.branch, 1), (group, 2), (sibling, 1)}
    assert [(n.organisation, n.depth) for n in mine] == [(world.branch, 0), (group, 1)]


def test_three_full_members_suggest_a_branch_of_their_own(world, small_park):
    from tests.members.factories import MemberFactory

    for _ in range(3):
        MemberFactory(park=world.park, branch=world.branch, enterprise=small_park[7])
    MemberFactory(park=world.park, branch=world.branch, enterprise=small_park[6], stage="probationary", full_on=None)
    with park_scope(world.park):
        gaps = {e.name: e for e in coverage_gaps(park=world.park, on=TODAY)}
    assert gaps["企业7"].suggestions == [rules.SUGGEST_INSTRUCTOR, rules.SUGGEST_SINGLE]
    assert rules.SUGGEST_SINGLE not in gaps["企业6"].suggestions  # a probationary member does not count
