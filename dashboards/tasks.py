"""The 六个清 survey on Celery: a daily task that, on a county's survey day, takes the snapshot of
each of its active parks (one task per park, inside its scope). Idempotent: safe to run again."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from dashboards.survey import parks_surveying_on, take_snapshots
from orgs.tenancy import ParkTask


@shared_task(base=ParkTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def survey_park(self, park, day: str) -> int:
    """One park's snapshot for the day (none taken twice)."""
    return take_snapshots(parks=[park], day=date.fromisoformat(day))


@shared_task
def survey_all_parks(day: str | None = None) -> int:
    """Daily: on the survey days of each county (SurveySettings; 1 January and 1 July by default),
    one snapshot task per active park of that county; on any other day nothing. Returns the number
    of parks sent."""
    on = date.fromisoformat(day) if day else timezone.localdate()
    parks = parks_surveying_on(on)
    for park in parks:
        survey_park.delay(park.pk, on.isoformat())
    return len(parks)
