"""core.cache.ForgivingRedisCache against a port where no Redis listens: every operation answers as
a miss or a dropped write, with one warning line each, and nothing raises."""

import logging

import pytest

from core.cache import ForgivingRedisCache
from tests.support import free_port


@pytest.fixture
def unreachable():
    port = free_port()  # a port just freed: nothing listens there
    return ForgivingRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 1}})


@pytest.fixture
def cache_warnings():
    """The records of the core.cache logger, caught by a handler of its own: what reaches the root
    logger depends on what earlier tests in this process did to it (a Celery worker's log setup
    replaces the root's handlers), and once in CI caplog saw none of these."""
    logger = logging.getLogger("core.cache")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    level, disabled = logger.level, logger.disabled
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.disabled = False
    yield records
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.disabled = disabled


def test_a_cache_that_is_down_misses_and_drops_writes(unreachable, cache_warnings):
    assert unreachable.get("k") is None and unreachable.get("k", "fallback") == "fallback"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("k") is False
    assert unreachable.set("k", 1) is None
    assert unreachable.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert unreachable.add("k", 1) is False and unreachable.incr("k") is None and unreachable.touch("k") is False
    assert unreachable.delete("k") is False and unreachable.delete_many(["a"]) is None
    assert unreachable.get_or_set("k", "computed") == "computed"
    messages = [r.getMessage() for r in cache_warnings]
    assert len(messages) == 14, messages  # one a call; get_or_set is a get, an add and a get
    assert all(m.startswith("cache unavailable (ConnectionError): ") for m in messages), messages
    assert all("\n" not in r.getMessage() and r.exc_info is None for r in cache_warnings)


def test_errors_that_are_not_the_servers_still_raise(unreachable):
    with pytest.raises(TypeError):
        unreachable.get_many(None)  # a caller's mistake is not a cache that is down
