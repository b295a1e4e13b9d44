"""Benchmarks run on their own database of the same server, so they never touch development data."""

from config.django.base import *  # noqa: F401,F403

DEBUG = False
DATABASES["default"]["NAME"] = "hongfan_bench"  # noqa: F405
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405  (dashboard_bench renders pages with the test client)
