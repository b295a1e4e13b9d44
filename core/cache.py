"""The platform's Redis cache: a cache that is down is a slower page, never an error.

Everything kept in the cache can be done without it: the dashboards' figures are computed again,
an API throttle that cannot count lets the call through (sign-in lockout counts in the database),
a version bump that cannot be made leaves figures to expire within a minute. So while Redis is
unreachable, a read misses, a write is dropped and a warning line says which operation was skipped;
the same client reconnects by itself once Redis is back (tests/faults/test_redis_down.py). Errors
that are not the server's (a value that cannot be pickled, a bad key) still raise.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


def _forgiving(name: str, missed):
    """RedisCache's `name`, answering `missed(*args, **kwargs)` when the server cannot be reached."""
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as exc:
            log.warning("cache unavailable (%s): %s skipped", exc.__class__.__name__, name)
            return missed(*args, **kwargs)

    return call


class ForgivingRedisCache(RedisCache):
    get = _forgiving("get", lambda key, default=None, version=None: default)
    get_many = _forgiving("get_many", lambda keys, version=None: {})
    has_key = _forgiving("has_key", lambda key, version=None: False)
    set = _forgiving("set", lambda *args, **kwargs: None)
    set_many = _forgiving("set_many", lambda data, *args, **kwargs: list(data))  # the keys not set
    add = _forgiving("add", lambda *args, **kwargs: False)
    touch = _forgiving("touch", lambda *args, **kwargs: False)
    incr = _forgiving("incr", lambda key, delta=1, version=None: None)
    delete = _forgiving("delete", lambda *args, **kwargs: False)
    delete_many = _forgiving("delete_many", lambda *args, **kwargs: None)
    clear = _forgiving("clear", lambda: False)
