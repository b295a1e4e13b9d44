"""Benchmarks run on their own database of the same server, so they never touch development data."""

from config.django.base import *  # noqa: F401,F403

DEBUG = False
DATABASES["default"]["NAME"] = "hongfan_bench"  # noqa: F405
