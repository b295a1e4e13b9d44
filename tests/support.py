"""Small helpers shared by test modules."""

import time
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker

from config.celery import app


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
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield
