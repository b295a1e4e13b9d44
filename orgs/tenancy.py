"""Background work in a park (the tenant lives in orgs): a Celery base task that loads the park by id
and runs the body inside its scope, and the list of parks a daily job fans out to."""

from celery import Task
from django_scopes import scopes_disabled

from core.tenancy.scoping import park_scope
from orgs.models import Park


class ParkTask(Task):
    """Tasks built on this take `park_id` first and receive the Park instance instead."""

    def __call__(self, park_id, *args, **kwargs):
        with scopes_disabled():
            park = Park.objects.get(pk=park_id)
        with park_scope(park):
            return super().__call__(park, *args, **kwargs)


def active_park_ids() -> list[int]:
    return list(Park.objects.filter(is_active=True).values_list("pk", flat=True))
