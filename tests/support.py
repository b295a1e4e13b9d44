"""Small helpers shared by test modules."""

import logging
import socket
import time
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as clock_time
from unittest import mock
from zoneinfo import ZoneInfo

from celery.contrib.testing.worker import start_worker

from config.celery import app


@contextmanager
def on_day(day: date, hour: int = 10):
    """Run as if it were `hour` o'clock on `day` in Asia/Shanghai: timezone.now() (and so localdate,
    auto_now fields and every service's "today") reads it, as the synthetic county's clock does."""
    moment = datetime.combine(day, clock_time(hour), ZoneInfo("Asia/Shanghai"))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on just now (a server a test starts, or a port to find closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout: float = 30.0) -> bool:
    """Poll until predicate() is true (a worker thread's work landing), or give up after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@contextmanager
def celery_worker():
    """A real worker in a thread, on the configured broker.

    The task queues are declared first, from this thread: kombu's filesystem transport creates an
    exchange's table file and only then locks it, so a worker binding the queue while the test
    publishes to it could read the empty file and stop (JSONDecodeError, seen once in ~50 runs).
    """
    with app.connection_for_write() as connection:
        for queue in app.amqp.queues.values():
            queue(connection.default_channel).declare()
    # start_worker sets Celery's logging up as a worker process would: the root logger at its
    # loglevel ("error"), with handlers of its own. Left so, every later test in this process lost
    # its WARNING records (caplog saw none from core.cache, once in CI). The root logger is put back.
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
