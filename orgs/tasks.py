"""Daily organisation jobs: thin tasks over orgs.services, run per park inside its scope."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from orgs import services
from orgs.tenancy import ParkTask, active_park_ids


@shared_task(base=ParkTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def dissolve_ended_branches(self, park, today: str | None = None) -> int:
    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.organisations_dissolve_ended(park=park, today=day)


@shared_task
def dissolve_ended_branches_all_parks(today: str | None = None) -> int:
    """Fan out to one task per active park (scheduled daily by beat)."""
    park_ids = active_park_ids()
    for park_id in park_ids:
        dissolve_ended_branches.delay(park_id, today)
    return len(park_ids)
