"""The dashboards' figures, cached per park and period (Redis when configured, the local cache
otherwise), so a county of many parks is not recomputed on every view.

A park's cached figures are dropped as soon as a write to one of its records commits: every save or
delete of a park-owned row bumps the park's version, and the version is part of the key. Writes
that send no signal (the roster import's COPY, bulk updates) are caught by the short lifetime: no
figure is older than FRESH_SECONDS. A cache that is down is a slower page, never an error.
"""

from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.db import replica_reads
from core.periods import ReportPeriod
from dashboards.figures import ParkBreakdown, compute

FRESH_SECONDS = 60


def _version_key(park_id: int) -> str:
    return f"dashboards:v:{park_id}"


def breakdowns(parks, period: ReportPeriod, today: date) -> dict[int, ParkBreakdown]:
    """Each park's figures for the period: from the cache where fresh, the rest computed at once
    (on the read replica when one is configured)."""
    park_ids = [p if isinstance(p, int) else p.pk for p in parks]
    versions = cache.get_many([_version_key(pk) for pk in park_ids])  # a cache that is down misses (core.cache)
    keys = {pk: f"dashboards:{pk}:{period.key}:{today.isoformat()}:{versions.get(_version_key(pk), 0)}" for pk in park_ids}
    found = cache.get_many(list(keys.values()))
    result = {pk: found[keys[pk]] for pk in park_ids if keys[pk] in found}
    missing = [pk for pk in park_ids if pk not in result]
    if missing:
        with replica_reads():
            computed = compute(missing, period, today)
        result.update(computed)
        cache.set_many({keys[pk]: computed[pk] for pk in missing}, timeout=FRESH_SECONDS)
    return result


def forget(park_id: int) -> None:
    """Drop the park's cached figures (its version moves on)."""
    key = _version_key(park_id)
    cache.add(key, 0, timeout=None)
    cache.incr(key)


def _changed(sender, instance, **kwargs):
    park_id = getattr(instance, "park_id", None)
    if isinstance(park_id, int):
        transaction.on_commit(lambda: forget(park_id), using=kwargs.get("using"))


def connect() -> None:
    """Called from DashboardsConfig.ready(): every model with a park, now and to come."""
    post_save.connect(_changed, dispatch_uid="dashboards.changed.save")
    post_delete.connect(_changed, dispatch_uid="dashboards.changed.delete")
