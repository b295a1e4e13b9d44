"""Small helpers shared by test modules."""

import time


def wait_for(predicate, timeout: float = 30.0) -> bool:
    """Poll until predicate() is true (a worker thread's work landing), or give up after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
