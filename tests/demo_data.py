"""The demo data for tests: seed_demo runs once per test process, every later test gets a copy back.

seed_demo takes half a minute or more, a dozen tests (the browser tests above all) start from it, and each
transactional test ends by emptying every table. So the first `demo` fixture of a process flushes
the database as a transactional test's teardown does, runs seed_demo and keeps every table's rows
(COPY … TO STDOUT, binary) and the sequences' values in memory; each later one empties the tables
and copies the rows back: the same rows under the same ids, in about a second.

Outside the database: the demo's uploaded files (a receipt per park) stay under MEDIA_ROOT, which
no flush empties; any that have gone are written again. seed_demo puts nothing in the cache.
A snapshot is of one day (the demo is built up to today): a run past midnight seeds afresh.
"""

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone
from django_scopes import scopes_disabled


@dataclass
class Snapshot:
    day: date
    tables: dict[str, bytes]  # table name: its rows in COPY's binary format
    sequences: dict[str, int]  # sequence name: its last value
    files: dict[str, bytes]  # name under MEDIA_ROOT: content


_snapshot: Snapshot | None = None


def load_demo() -> None:
    """Leave the database holding exactly what seed_demo makes of an empty (flushed) database."""
    global _snapshot
    if _snapshot is None or _snapshot.day != timezone.localdate():
        _snapshot = _seed()
    else:
        _restore(_snapshot)


def _seed() -> Snapshot:
    day = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        connection.check_constraints()  # no checks left pending: TRUNCATE refuses a table with some
        call_command("flush", interactive=False, verbosity=0)  # what a transactional test leaves behind
        call_command("seed_demo", stdout=io.StringIO())
        tables = {}
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            rows = io.BytesIO()
            cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT (FORMAT BINARY)", rows)
            tables[table] = rows.getvalue()
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        )
        sequences = dict(cursor.fetchall())
    files = {name: Path(default_storage.path(name)).read_bytes() for name in _stored_files()}
    return Snapshot(day=day, tables=tables, sequences=sequences, files=files)


def _restore(snapshot: Snapshot) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        connection.check_constraints()  # no checks left pending: TRUNCATE refuses a table with some
        cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in snapshot.tables))
        # Triggers off while the rows go back, as pg_restore does: the foreign keys' (the rows were
        # consistent) and the guard on a paid payout batch's lines. This needs a superuser, as CI has.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table, rows in snapshot.tables.items():
            cursor.copy_expert(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)", io.BytesIO(rows))
        cursor.execute("SET LOCAL session_replication_role = origin")  # a plain django_db test goes on in this transaction
        # Never back: sequences are not transactional, and a rolled-back test (plain django_db) keeps
        # the rows it had before, which may have higher ids than the snapshot's.
        cursor.execute(
            "SELECT setval(format('%%I.%%I', schemaname, sequencename), GREATEST(last_value, s.value))"
            " FROM pg_sequences JOIN unnest(%s::text[], %s::bigint[]) AS s(name, value) ON s.name = sequencename"
            " WHERE schemaname = current_schema()",
            [list(snapshot.sequences), list(snapshot.sequences.values())],
        )
    ContentType.objects.clear_cache()  # its ids are the snapshot's again, not those the last flush made
    for name, content in snapshot.files.items():
        path = Path(default_storage.path(name))
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def _stored_files() -> set[str]:
    """The names in every file field of every row: the files the demo stored under MEDIA_ROOT."""
    names = set()
    with scopes_disabled():
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.FileField):
                    stored = model._base_manager.exclude(**{field.attname: ""}).exclude(**{f"{field.attname}__isnull": True})
                    names.update(stored.values_list(field.attname, flat=True))
    return names
