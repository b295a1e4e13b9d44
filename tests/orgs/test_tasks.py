"""The daily job on a real Celery worker, through the configured broker (filesystem or Redis)."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from orgs.models import Organisation
from orgs.tasks import dissolve_ended_branches_all_parks
from tests.orgs.factories import OrganisationFactory
from tests.support import celery_worker, wait_for


@pytest.mark.django_db(transaction=True)
def test_worker_dissolves_ended_temporary_branches_in_every_park(world, other):
    ended = [
        OrganisationFactory(park=w.park, parent=w.work_committee, formation="temporary", ends_on=date(2026, 6, 30))
        for w in (world, other)
    ]
    running = OrganisationFactory(park=world.park, parent=world.work_committee, formation="temporary", ends_on=date(2027, 6, 30))

    with celery_worker():
        dissolve_ended_branches_all_parks.delay("2026-07-01")

        def all_dissolved():
            with scopes_disabled():
                return Organisation.objects.filter(pk__in=[o.pk for o in ended], dissolved_on__isnull=True).count() == 0

        assert wait_for(all_dissolved), "the worker did not dissolve the ended branches"

    with scopes_disabled():
        assert set(Organisation.objects.filter(dissolved_on=date(2026, 6, 30)).values_list("pk", flat=True)) == {
            o.pk for o in ended
        }
        running.refresh_from_db()
        assert running.dissolved_on is None
