"""What the fault tests break things with: a Redis server of their own, and a hook that stops a
writer at a chosen row of a table until the test has killed it.

The hook is a row trigger the test installs (and removes): the n-th row written to the table takes a
shared advisory lock that the test's own connection holds exclusively, so the writer waits there,
mid-transaction, with n − 1 rows written, until the test kills its process or its connection.
"""

import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager

import psycopg2
import pytest
import redis
from django.conf import settings

from tests.support import free_port

HOOK_LOCK = 74_2026  # the advisory lock key the hooked row waits on
needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or not shutil.which("redis-server"),
    reason="needs Redis (a redis-server of its own): runs in CI's second pass, where REDIS_URL is set",
)


class RedisServer:
    """A redis-server on a spare port, started and SIGKILLed by the test (no persistence: what it
    held is gone when it dies, as with CI's server and the compose file's)."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=1)


def raw_connection():
    """A connection of the test's own to the test database, outside Django's (autocommit)."""
    db = settings.DATABASES["default"]
    connection = psycopg2.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None,
                                  host=db["HOST"] or None, port=db["PORT"] or None)
    connection.autocommit = True
    return connection


class RowHook:
    def __init__(self, control):
        self.control = control

    def blocked_backend(self, timeout: float = 30.0) -> int:
        """The pid of the backend waiting at the hooked row (it has written the rows before it)."""
        deadline = time.monotonic() + timeout
        with self.control.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = %s"
                    " AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                    [HOOK_LOCK],
                )
                row = cursor.fetchone()
                if row:
                    return row[0]
                time.sleep(0.02)
        raise AssertionError("no writer reached the hooked row")

    def backend_gone(self, pid: int, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        with self.control.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s AND datname = current_database()", [pid])
                if cursor.fetchone() is None:
                    return True
                time.sleep(0.02)
        return False

    def terminate(self, pid: int) -> None:
        """Drop the backend's connection from the server's side, as a network cut or a restart would."""
        with self.control.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    def release(self) -> None:
        with self.control.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")


@contextmanager
def row_hook(table: str, nth: int):
    """Writers stop at the nth row written to `table` (counted across statements) while in the block."""
    control = raw_connection()
    name = f"fault_hook_{table}"
    with control.cursor() as cursor:
        cursor.execute(f"CREATE SEQUENCE {name}_rows")
        cursor.execute(f"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('{name}_rows') = {int(nth)} THEN
                    PERFORM pg_advisory_xact_lock_shared({HOOK_LOCK});
                END IF;
                RETURN NEW;
            END $$""")
        cursor.execute(f"CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
        cursor.execute("SELECT pg_advisory_lock(%s)", [HOOK_LOCK])
    try:
        yield RowHook(control)
    finally:
        with control.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            cursor.execute(f"DROP SEQUENCE IF EXISTS {name}_rows")
        control.close()
