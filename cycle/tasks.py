"""The 四个一 jobs on Celery: thin tasks over cycle.jobs, one park at a time, inside its scope."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from cycle.jobs import CREATES, REMINDS, job_names, run_jobs
from orgs.tenancy import ParkTask, active_park_ids


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


@shared_task(base=ParkTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def cycle_park_day(self, park, day: str | None = None, jobs: list[str] | None = None) -> dict[str, int]:
    """Run the cycle's jobs due on `day` for one park (idempotent: safe to run again)."""
    return run_jobs(park, _day(day), jobs)


@shared_task
def cycle_all_parks(day: str | None = None) -> int:
    """Daily at 00:10: the creation jobs for every active park, one task each."""
    for park_id in active_park_ids():
        cycle_park_day.delay(park_id, day or timezone.localdate().isoformat(), job_names(CREATES))
    return len(active_park_ids())


@shared_task(base=ParkTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def park_reminders(self, park, day: str | None = None) -> dict[str, int]:
    """At the park's reminder hour (its own beat entry): compliance, overdue tasks, late reports."""
    return run_jobs(park, _day(day), job_names(REMINDS))
