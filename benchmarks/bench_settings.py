"""Benchmarks run on their own database of the same server, so they never touch development data."""

import os

from config.django.base import *  # noqa: F401,F403

DEBUG = False
# HONGFAN_BENCH_DB: another name, so two benchmarks on one server never drop each other's database.
DATABASES["default"]["NAME"] = os.environ.get("HONGFAN_BENCH_DB", "hongfan_bench")  # noqa: F405
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405  (dashboard_bench renders pages with the test client)
