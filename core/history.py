"""Row history of park-owned tables, kept by PostgreSQL triggers (django-pghistory).

`track_history()` decorates a park-owned model: a trigger writes a snapshot of the row into the
model's event table (`<Model>History`) on every insert, on every update that changes a field (a save
that changes nothing, or only an `auto_now` time, writes none) and on every delete (the row as it
was). Because the database writes them, a `bulk_update`, a queryset `update()`, raw SQL and `COPY`
are recorded as a form's save is; no code path can forget.

The triggers are statement-level: one `INSERT … SELECT` from the statement's transition table per
statement, not one per row, so a bulk write of thousands of rows costs little more than without
history (benchmarks/README.md: row-level triggers doubled a bulk insert and tripled an `update()`).
pghistory's statement-level triggers also upsert the context into its own `pghistory_context`
table once per statement (user id and path; no business data, and nothing here reads it).

The event tables stay behind the tenancy wall like every park-owned table: each row carries the
park (the snapshot's own `park_id`), the default manager is `ScopedManager(park=...)`, and the one
index leads with `park_id` (park, object, event). Foreign keys in a snapshot are unconstrained and
unindexed (pghistory's defaults index every one of them; a history is read per object, never
joined by them). Events are append-only: a trigger refuses UPDATE and DELETE on them.

Who did it: the context (`pgh_context`, JSON on the event row itself rather than pghistory's shared
context table, which would mix the parks) holds the acting user's id and the request path for web
and API writes (`pghistory.middleware.HistoryMiddleware`, POST/PUT/PATCH/DELETE only), the job's
name for Celery tasks (`orgs.tenancy.ParkTask`) and the command's for management commands
(`manage.py`).

The business events stay in `audit.AuditEntry` (what was done, in the service's words); this is
the row-level record beneath it. Pages read it through `audit.history`.
"""

import pghistory
from django.db import models
from django_scopes import ScopedManager

# Fields never copied into a snapshot: ciphertexts (a history would keep them under a key after it
# is rotated away) and keyed hashes only pickers use. Per model label.
NEVER_SNAPSHOT = {
    "members.Member": ["id_cipher", "id_tail_hash"],
    "services.Policy": ["search"],
}


def track_history(*, exclude: tuple[str, ...] = ()):
    """Class decorator: keep the row history of a park-owned model (see the module's docstring)."""

    def decorate(model):
        label = model._meta.label
        excluded = [*exclude, *NEVER_SNAPSHOT.get(label, [])]
        name = model._meta.model_name
        return pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude_auto=True)),
            pghistory.DeleteEvent(),
            exclude=excluded,
            model_name=f"{model.__name__}History",  # not pghistory's "…Event": services.DemandEvent exists
            obj_field=pghistory.ObjForeignKey(db_index=False, related_name="+", related_query_name="+"),
            context_field=pghistory.ContextJSONField(),
            append_only=True,
            level=pghistory.Statement,  # one INSERT … SELECT per statement: bulk writes (benchmarks/README.md)
            attrs={"objects": ScopedManager(park="park")},
            meta={
                "verbose_name": f"{model._meta.verbose_name}修改记录",
                "verbose_name_plural": f"{model._meta.verbose_name}修改记录",
                "indexes": [models.Index(fields=["park", "pgh_obj", "pgh_id"], name=f"hist_{name}"[:30])],
            },
        )(model)

    return decorate


def event_model(model):
    """The event model of a tracked model, or None."""
    return getattr(model, "pgh_event_model", None)
