"""Shared benchmark plumbing: a fresh benchmark database and a forked child with its peak RSS."""

import os
import pickle
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"


def fresh_database():
    """Drop and re-create the benchmark database, migrated (core.databases.fresh_database)."""
    import django

    django.setup()
    from django.conf import settings

    from core import databases

    databases.fresh_database(settings.DATABASES["default"]["NAME"])


def in_child(function, *args):
    """Run function(*args) in a forked process; returns (its result, its peak RSS in MB)."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        try:
            result = function(*args)
            payload = pickle.dumps(("ok", result))
        except BaseException as exc:  # report, never continue in the child
            payload = pickle.dumps(("error", repr(exc)))
        with os.fdopen(write, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as source:
        status, result = pickle.loads(source.read())
    _, _, usage = os.wait4(pid, 0)
    if status != "ok":
        raise RuntimeError(f"benchmark child failed: {result}")
    return result, usage.ru_maxrss / 1024  # Linux reports kilobytes


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def self_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
