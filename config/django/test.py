"""Test settings: fast hashing, eager nothing (tests that need a worker start a real one)."""

import os

from config.django.base import *  # noqa: F401,F403
from config.env import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = str(VAR_DIR / "test-media")  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Keep the tests' filesystem broker apart from a development worker's queue.
if not REDIS_URL:  # noqa: F405
    _folder = VAR_DIR / "celery-test" / f"{os.getpid()}"  # noqa: F405
    for _sub in ("queue", "processed", "control"):
        (_folder / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_folder / "queue"),
        "data_folder_out": str(_folder / "queue"),
        "data_folder_processed": str(_folder / "processed"),
        "control_folder": str(_folder / "control"),
    }

# Separate test databases for test runs side by side on one machine (pytest-django's default otherwise).
if env("HONGFAN_TEST_DB", default=""):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": env("HONGFAN_TEST_DB")}  # noqa: F405
