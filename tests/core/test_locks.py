"""core.locks: each kind of work waits only on its own kind."""

import pytest
from django.db import connection

from core.locks import NAMESPACES, transaction_lock


def test_every_kind_has_its_own_namespace():
    assert len(set(NAMESPACES.values())) == len(NAMESPACES)


@pytest.mark.django_db
def test_the_lock_is_held_in_its_namespace_until_the_transaction_ends():
    transaction_lock("dues_books", 42)
    with connection.cursor() as cursor:
        cursor.execute("SELECT classid, objid FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        held = cursor.fetchall()
    assert (NAMESPACES["dues_books"], 42) in held
