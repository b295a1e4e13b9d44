"""Celery base task for park work: loads the park by id and runs the body inside its scope."""

from celery import Task
from django_scopes import scopes_disabled

from orgs.models import Park
from services.tenancy.scoping import park_scope


class ParkTask(Task):
    """Tasks built on this take `park_id` first and receive the Park instance instead."""

    def __call__(self, park_id, *args, **kwargs):
        with scopes_disabled():
            park = Park.objects.get(pk=park_id)
        with park_scope(park):
            return super().__call__(park, *args, **kwargs)


def active_park_ids() -> list[int]:
    return list(Park.objects.filter(is_active=True).values_list("pk", flat=True))
