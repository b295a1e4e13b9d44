"""Reads that may go to a read replica: the dashboards' figures, when `DATABASE_REPLICA_URL` names
one (settings add it as the `replica` alias). Everything else, and every write, stays on `default`;
without a replica the context changes nothing."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads():
    """Inside it, reads go to the replica when one is configured (HONGFAN_READ_REPLICA)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Sends the reads made inside replica_reads() to the replica; says nothing otherwise."""

    def db_for_read(self, model, **hints):
        if _replica_reads.get() and settings.HONGFAN_READ_REPLICA:
            return settings.HONGFAN_READ_REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a replica follows the primary; migrations run on the primary only


def plain_rows(queryset) -> list[tuple]:
    """A values() or values_list() queryset's rows as the database driver returns them, columns in
    the SQL's order (the values, then the annotations), without Django's converter on every value
    of every row: for integer counts, text and dates, which psycopg already returns as Python
    values. The county dashboards read thousands of such rows per page (benchmarks/README.md)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
