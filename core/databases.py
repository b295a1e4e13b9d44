"""Throw-away databases on the configured PostgreSQL server: drop, create and migrate one by name,
and point the default connection at it for a while — the benchmarks' database and the synthetic
county's (demo.county), never the development database, whose data they must not touch.

Switching the default connection is what pytest-django does for its test database: close the
connection, change its NAME, and let the next query connect to the other database.

Migrating from nothing takes tens of seconds (every app's migrations rendered and run), so a fresh
database is copied from a migrated template kept on the server (CREATE DATABASE … TEMPLATE), one per
set of migrations: its name carries a digest of every migration file, so a changed or added
migration makes (and migrates) a new template, and the superseded one is dropped.
"""

import hashlib
import re
import sys
from contextlib import contextmanager

from django.conf import settings
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections

TEMPLATE_PREFIX = "hongfan_template_"
TEMPLATE_LOCK = (7010, 0)  # an advisory lock on the maintenance database: one template build at a time

NAME_RULE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")  # a plain PostgreSQL identifier, never quoted tricks
RESERVED = frozenset({"postgres", "template0", "template1"})


def check_database_name(name: str) -> str:
    """The name, if it is one this module may drop and create; ValueError otherwise."""
    if not NAME_RULE.match(name or "") or name in RESERVED:
        raise ValueError(f"not a database name this tool may drop and re-create: {name!r}")
    return name


def _server_connection():
    """A connection to the server's maintenance database, with the default connection's credentials."""
    import psycopg2

    db = settings.DATABASES["default"]
    admin = psycopg2.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or None)
    admin.autocommit = True
    return admin


def recreate_database(name: str, *, template: str | None = None) -> None:
    """Drop the database (its other sessions forced out) and create it, empty or as a copy of `template`."""
    check_database_name(name)
    admin = _server_connection()
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{check_database_name(template)}"' if template else ""))
    finally:
        admin.close()


def exists(name: str) -> bool:
    """Whether the server holds a database of that name."""
    check_database_name(name)
    admin = _server_connection()
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        admin.close()


def drop_database(name: str) -> None:
    check_database_name(name)
    admin = _server_connection()
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


@contextmanager
def database(name: str, *, using: str = "default"):
    """Inside the block, `using` (the default connection) works on database `name`; afterwards on
    the one it had. The connection is closed on the way in and out, so no transaction spans both."""
    connection = connections[using]
    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous


def migrations_digest() -> str:
    """A digest of every migration file of every installed app (Django's own included)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        digest.update(f"{app}.{name}\n".encode())
        with open(sys.modules[migration.__module__].__file__, "rb") as source:
            digest.update(source.read())
    return digest.hexdigest()


def _migrate(name: str) -> None:
    from django.core.management import call_command

    with database(name):
        call_command("migrate", verbosity=0, interactive=False)


def migrated_template() -> str:
    """The name of a database migrated to the code's migrations, built (once per set of migrations)
    under a temporary name and renamed when complete, so a failed build is never used."""
    name = TEMPLATE_PREFIX + migrations_digest()[:16]
    admin = _server_connection()
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", TEMPLATE_LOCK)
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [TEMPLATE_PREFIX + "%"])
            existing = {row[0] for row in cursor.fetchall()}
            if name not in existing:
                building = name + "_wip"
                recreate_database(building)
                _migrate(building)
                cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            for old in sorted(existing - {name}):  # superseded by changed migrations
                cursor.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
    finally:
        admin.close()  # and with it the advisory lock
    return name


def fresh_database(name: str) -> None:
    """Drop and re-create the database `name`, migrated (a copy of the migrated template); the
    default connection is left as it was.

    The copy then gets the post_migrate signal, as a migrate and a flush send it: what receivers
    keep in line with the code rather than with the migrations (the same-park triggers,
    orgs/same_park.py; content types and permissions) may have changed since the template was built,
    and the template's name follows the migrations only."""
    recreate_database(name, template=migrated_template())
    with database(name) as connection:
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
