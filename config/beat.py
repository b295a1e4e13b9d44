"""Celery beat's scheduler: django-celery-beat's, with a heartbeat file for the health check.

Beat's loop calls tick() at least every few seconds (DatabaseScheduler's max_interval); each tick
touches HONGFAN_BEAT_HEARTBEAT (var/beat-heartbeat), so a beat whose loop hangs or keeps failing (its database gone)
shows a stale file, which `python -m config.healthcheck beat` reports as unhealthy.
"""

from django_celery_beat.schedulers import DatabaseScheduler

from config.healthcheck import BEAT_HEARTBEAT


class Scheduler(DatabaseScheduler):
    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        BEAT_HEARTBEAT.touch()  # after the tick: a tick that raises or hangs leaves the file to go stale
        return interval
