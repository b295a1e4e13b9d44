"""Coverage figures and the gap list: right numbers, and a query count independent of size."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.tenancy.scoping import park_scope
from members.selectors import coverage_gaps
from orgs import selectors
from orgs.models import Coverage, Enterprise, Organisation, OrganisationRow
from tests.orgs.factories import (
    InstructorFactory,
    OrganisationFactory,
    ZoneFactory,
    valid_credit_code,
)
from tests.orgs.helpers import build_small_park

TODAY = date(2026, 11, 21)


@pytest.fixture
def small_park(world):
    return build_small_park(world)


def test_coverage_figures(world, small_park):
    with park_scope(world.park):
        figures = selectors.coverage_summary(park=world.park, on=TODAY)
    assert (figures.enterprises, figures.org_covered, figures.work_covered) == (8, 2, 3)
    assert (figures.org_rate, figures.work_rate, figures.uncovered) == (25.0, 37.5, 6)


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


@pytest.mark.django_db
def test_organisation_rows_read_as_the_models_do(world):
    """orgs.selectors.organisation_rows: the county dashboards' plain rows answer the rules as the
    model instances do (the same names, the same active_on), for every kind of date."""
    day = date
    made = [
        OrganisationFactory(park=world.park, parent=world.work_committee, founded_on=day(2020, 1, 1), elected_on=day(2023, 5, 1)),
        OrganisationFactory(park=world.park, parent=world.work_committee, dissolved_on=day(2025, 6, 30)),
        OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.TEMPORARY,
                            ends_on=day(2026, 3, 31)),
        OrganisationFactory(park=world.park, parent=world.work_committee, kind=Organisation.Kind.GENERAL_BRANCH),
    ]
    with park_scope(world.park):
        ordered = list(Organisation.objects.filter(park=world.park).order_by("park_id", "name"))
        rows = selectors.organisation_rows([world.park.pk])
    models = {o.pk: o for o in ordered}
    assert [r.pk for r in rows] == [o.pk for o in ordered]  # the database's order of names
    assert set(OrganisationRow._fields) - {"pk"} <= {f.attname for f in Organisation._meta.concrete_fields}
    for row in rows:
        model = models[row.pk]
        assert all(getattr(row, name) == getattr(model, name) for name in OrganisationRow._fields)
        assert row.is_branch_level == model.is_branch_level
        for on in (day(2019, 12, 31), day(2020, 1, 1), day(2025, 6, 30), day(2026, 3, 31), day(2026, 4, 1)):
            assert row.is_active_on(on) == model.is_active_on(on), (model.name, on)
    assert len(made) == 4
