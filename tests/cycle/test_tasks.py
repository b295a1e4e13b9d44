"""The cycle on a real Celery worker, through the configured broker (filesystem, or Redis in CI)."""


import pytest
from django_scopes import scopes_disabled

from cycle.models import InspectionRound, MonthlyMeeting, Notification
from cycle.tasks import cycle_all_parks, park_reminders
from tests.support import celery_worker, wait_for


@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_daily_cycle_for_every_park_and_the_reminders(world, other):
    with celery_worker():
        cycle_all_parks.delay("2027-03-01")
        cycle_all_parks.delay("2027-03-01")  # delivered twice: still one of each

        def created():
            with scopes_disabled():
                return MonthlyMeeting.objects.count() == 2 and InspectionRound.objects.count() == 2

        assert wait_for(created), "the worker did not create the March meetings and rounds"
        park_reminders.delay(world.park.pk, "2027-03-21")  # ten days before the quarter ends

        def reminded():
            with scopes_disabled():
                return Notification.objects.filter(user=world.secretary, key__startswith="compliance").exists()

        assert wait_for(reminded), "the worker did not send the compliance reminders"
    with scopes_disabled():
        assert MonthlyMeeting.objects.count() == 2
        assert not Notification.objects.filter(park=other.park, key__startswith="compliance").exists()  # only park A's reminders ran
        assert Notification.objects.filter(key__startswith="round-open:").count() == 2  # each park's round was announced once
