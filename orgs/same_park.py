"""The tenancy wall in the database: a park-owned row never refers to another park's row.

Scopes keep each park's queries to its own rows, and the forms and services choose related rows
from the same park; this is the floor under them. For every foreign key (and one-to-one field) from
a park-owned table to another park-owned table, PostgreSQL itself refuses a row whose `park_id`
differs from the referenced row's — whatever wrote it: a view, a service with scopes disabled,
`bulk_create`, COPY, the Django admin or a hand-written query.

How: per foreign key, a PL/pgSQL function with the check written out (so its plan is cached) and
two constraint triggers on the referring table (`hongfan_same_park_<column>_ins_<hash>` after
INSERT, `…_upd_<hash>` after an UPDATE that changes the column or the park); per referenced table,
one trigger (`hongfan_same_park_moved_<hash>`, a generic function: parks rarely move) that refuses
moving a row to another park while rows of its old park refer to it. The triggers are DEFERRABLE
INITIALLY DEFERRED, as Django creates its own foreign keys: the check runs when Django's foreign-key check runs (at commit, or at
`SET CONSTRAINTS ALL IMMEDIATE`), so every insert order Django accepts is accepted, and a row whose
referenced row is inserted later in the transaction is still checked. Each check reads the row as
it is then, so a row changed or deleted later in the transaction is judged by what it ended as.
A violation raises SQLSTATE 23514 (check_violation), which Django raises as IntegrityError, naming
the table, the column, both rows and both parks.

Where it runs: a `post_migrate` receiver (orgs.apps), not a migration. Every `migrate` — a test
database's creation included — reads the model registry as the migrations left it and brings the
triggers in line: creates the missing ones, drops those no model asks for any more (a removed or
renamed field, a model that lost its park). A trigger's or function's name carries a hash of its
definition, so a changed definition is a new name: the comparison is by name alone, and adding a
model needs no migration. Foreign keys with `db_constraint=False` (history tables keep rows of
deleted objects) are left alone; a missing referenced row is the foreign key's business, not this check's.
Between a migration that renames a table and the end of that `migrate`, the functions still name
the old table: a data migration writing to it in the same run would fail until post_migrate has
rebuilt them (it does at the end of the run).

A park-owned model is a concrete model with a foreign key named `park` to orgs.Park. A model that
refers to a park-owned one must itself be park-owned (tests/core/test_same_park.py asserts it), so
no table without a park can join two parks' rows.
"""

import hashlib
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import connections

PREFIX = "hongfan_same_park_"
PARK_MODEL = "orgs.Park"


@dataclass(frozen=True)
class Link:
    """One foreign key from a park-owned table to a park-owned table."""

    table: str  # the referring table
    column: str  # its foreign-key column
    pk: str  # its primary-key column
    ref_table: str  # the referenced table
    ref_column: str  # the referenced column (the target's primary key, or to_field)
    ref_pk: str  # the referenced table's primary-key column


def is_park_owned(model) -> bool:
    if model._meta.abstract or model._meta.proxy or not model._meta.managed:
        return False
    return any(
        f.name == "park" and f.is_relation and f.many_to_one and f.related_model._meta.label == PARK_MODEL
        for f in model._meta.concrete_fields
    )


def links(registry=None) -> list[Link]:
    """Every checked foreign key between park-owned tables, from the registry (the global one, or
    the migration state post_migrate hands over)."""
    registry = registry or global_apps
    found = set()
    for model in registry.get_models(include_auto_created=True):
        if not is_park_owned(model):
            continue
        for field in model._meta.concrete_fields:
            if not (field.is_relation and (field.many_to_one or field.one_to_one)) or field.name == "park":
                continue
            target = field.related_model
            if not field.db_constraint or not is_park_owned(target):
                continue
            found.add(
                Link(
                    table=model._meta.db_table,
                    column=field.column,
                    pk=model._meta.pk.column,
                    ref_table=target._meta.db_table,
                    ref_column=field.target_field.column,
                    ref_pk=target._meta.pk.column,
                )
            )
    return sorted(found, key=lambda link: (link.table, link.column))


CHECK_FUNCTION = r"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
-- {table}.{column} → {ref_table}.{ref_column}: the row's park is the referenced row's. The
-- statement is written out (not EXECUTEd), so PostgreSQL plans it once per session.
-- The row is read as it is now: a deferred check may run after later changes in the transaction,
-- and a row since deleted, a NULL key or a missing referenced row (the foreign key's business) pass.
DECLARE
    row_key text;
    row_park bigint;
    ref_park bigint;
    ref_key text;
BEGIN
    SELECT t.{q_pk}::text, t.park_id, r.park_id, t.{q_column}::text INTO row_key, row_park, ref_park, ref_key
    FROM {q_table} t JOIN {q_ref_table} r ON r.{q_ref_column} = t.{q_column}
    WHERE t.{q_pk} = NEW.{q_pk} AND r.park_id IS DISTINCT FROM t.park_id;
    IF FOUND THEN
        RAISE EXCEPTION 'cross-park reference refused: %.% = % in the row with id % of park %, but %.% = % is a row of park %',
                TG_TABLE_NAME, TG_ARGV[0], ref_key, row_key, row_park, TG_ARGV[2], TG_ARGV[3], ref_key, ref_park
            USING ERRCODE = 'check_violation', TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0], CONSTRAINT = TG_NAME,
                  HINT = 'A park-owned row refers only to rows of its own park.';
    END IF;
    RETURN NULL;
END
$fn$
"""

MOVED_FUNCTION = r"""
CREATE OR REPLACE FUNCTION hongfan_same_park_moved() RETURNS trigger LANGUAGE plpgsql AS $fn$
-- A referenced park-owned row whose park changed. TG_ARGV: [0] this table's primary key, then per
-- referring foreign key three entries: its table, its column, the column of this table it refers to.
DECLARE
    i int := 1;
    row_key text;
    row_park bigint;
    ref_park bigint;
BEGIN
    WHILE i < TG_NARGS LOOP
        EXECUTE format(
            'SELECT t.%2$I::text, t.park_id, r.park_id FROM %1$I t JOIN %4$I r ON r.%3$I = t.%2$I'
            ' WHERE r.%5$I = ($1).%5$I AND t.park_id IS DISTINCT FROM r.park_id LIMIT 1',
            TG_ARGV[i], TG_ARGV[i + 1], TG_ARGV[i + 2], TG_TABLE_NAME, TG_ARGV[0]
        ) INTO row_key, row_park, ref_park USING NEW;
        IF row_key IS NOT NULL THEN
            RAISE EXCEPTION 'cross-park reference refused: the % row with id % moved to park %, but %.% refers to it from park %',
                    TG_TABLE_NAME, row_key, ref_park, TG_ARGV[i], TG_ARGV[i + 1], row_park
                USING ERRCODE = 'check_violation', TABLE = TG_ARGV[i], COLUMN = TG_ARGV[i + 1], CONSTRAINT = TG_NAME,
                      HINT = 'A park-owned row refers only to rows of its own park.';
        END IF;
        i := i + 3;
    END LOOP;
    RETURN NULL;
END
$fn$;
"""


FUNCTION_PREFIX = PREFIX + "fk_"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def _name(kind: str, column: str, definition: str) -> str:
    stem = f"{PREFIX}{column}_{kind}" if column else f"{PREFIX}{kind}"
    return f"{stem[: 63 - 9]}_{_digest(definition)}"  # PostgreSQL keeps 63 bytes of a name


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def check_function(link: Link) -> tuple[str, str]:
    """(name, CREATE statement) of the function checking one foreign key."""
    values = {
        "table": link.table, "column": link.column, "ref_table": link.ref_table, "ref_column": link.ref_column,
        "q_table": _q(link.table), "q_column": _q(link.column), "q_pk": _q(link.pk),
        "q_ref_table": _q(link.ref_table), "q_ref_column": _q(link.ref_column),
    }
    body = CHECK_FUNCTION.format(name="{name}", **values)
    name = f"{FUNCTION_PREFIX}{_digest(body)}"  # a changed body is a new function
    return name, body.replace("{name}", name)


def wanted_functions(found: list[Link]) -> dict[str, str]:
    """Function name → its CREATE statement: one per foreign key (the generic moved-check is apart)."""
    return dict(check_function(link) for link in found)


def wanted_triggers(found: list[Link]) -> dict[tuple[str, str], str]:
    """(table, trigger name) → its CREATE statement, for the given foreign keys."""
    wanted = {}

    def add(table, kind, column, body):
        name = _name(kind, column, f"{table}|{body}")
        wanted[(table, name)] = f"CREATE CONSTRAINT TRIGGER {_q(name)} {body.replace('{table}', _q(table))}"

    tail = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    for link in found:
        function, _ = check_function(link)
        call = f"EXECUTE FUNCTION {function}({', '.join(_lit(a) for a in (link.column, link.pk, link.ref_table, link.ref_column))})"
        col = _q(link.column)
        add(link.table, "ins", link.column, f"AFTER INSERT ON {{table}} {tail} WHEN (NEW.{col} IS NOT NULL) {call}")
        add(
            link.table,
            "upd",
            link.column,
            f"AFTER UPDATE OF {col}, park_id ON {{table}} {tail} "
            f"WHEN (NEW.{col} IS NOT NULL AND (OLD.{col} IS DISTINCT FROM NEW.{col} OR OLD.park_id IS DISTINCT FROM NEW.park_id)) "
            f"{call}",
        )
    referrers: dict[tuple[str, str], list[Link]] = {}
    for link in found:
        referrers.setdefault((link.ref_table, link.ref_pk), []).append(link)
    for (ref_table, ref_pk), refs in sorted(referrers.items()):
        args = [ref_pk] + [a for link in refs for a in (link.table, link.column, link.ref_column)]
        add(
            ref_table,
            "moved",
            "",
            f"AFTER UPDATE OF park_id ON {{table}} {tail} WHEN (OLD.park_id IS DISTINCT FROM NEW.park_id) "
            f"EXECUTE FUNCTION hongfan_same_park_moved({', '.join(_lit(a) for a in args)})",
        )
    return wanted


def installed_triggers(cursor) -> set[tuple[str, str]]:
    cursor.execute(
        """
        SELECT c.relname, t.tgname FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND NOT t.tgisinternal AND t.tgname LIKE %s
        """,
        [PREFIX.replace("_", r"\_") + "%"],
    )
    return set(cursor.fetchall())


def installed_functions(cursor) -> set[str]:
    cursor.execute(
        """
        SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND p.proname LIKE %s
        """,
        [FUNCTION_PREFIX.replace("_", r"\_") + "%"],
    )
    return {row[0] for row in cursor.fetchall()}


def _existing_columns(cursor) -> set[tuple[str, str]]:
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
    )
    return set(cursor.fetchall())


def install(using: str = "default", registry=None) -> dict[str, int]:
    """Bring the database's same-park triggers (and their functions) in line with the models:
    returns how many triggers were created and dropped. Idempotent; a second call changes nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return {"created": 0, "dropped": 0}
    with connection.cursor() as cursor:
        columns = _existing_columns(cursor)
        # A partly applied migration plan may leave a model's table or column absent: skip it.
        found = [
            link
            for link in links(registry)
            if {(link.table, link.column), (link.table, "park_id"), (link.ref_table, link.ref_column), (link.ref_table, "park_id")}
            <= columns
        ]
        wanted, functions = wanted_triggers(found), wanted_functions(found)
        have, have_functions = installed_triggers(cursor), installed_functions(cursor)
        cursor.execute(MOVED_FUNCTION)
        for name in sorted(functions.keys() - have_functions):
            cursor.execute(functions[name])
        for table, name in sorted(have - wanted.keys()):
            cursor.execute(f"DROP TRIGGER IF EXISTS {_q(name)} ON {_q(table)}")
        for key in sorted(wanted.keys() - have):
            cursor.execute(wanted[key])
        for name in sorted(have_functions - functions.keys()):
            cursor.execute(f"DROP FUNCTION IF EXISTS {_q(name)}()")
    return {"created": len(wanted.keys() - have), "dropped": len(have - wanted.keys())}


def install_after_migrate(sender, using="default", apps=None, verbosity=1, **kwargs):
    """post_migrate receiver (connected for the orgs app only, so once per migrate)."""
    counts = install(using, apps)
    if verbosity >= 2 and (counts["created"] or counts["dropped"]):
        print(f"  same-park triggers: created {counts['created']}, dropped {counts['dropped']}")
