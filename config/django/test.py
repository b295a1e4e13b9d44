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

# The replica alias, as a test mirror of the default database: the router test turns
# HONGFAN_READ_REPLICA on; the rest of the suite reads and writes `default` only.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
HONGFAN_READ_REPLICA = None

# The API's rates stay out of the way of the suite (its schemathesis run makes many calls a minute);
# the throttling tests set their own low rates and a fresh address or user.
HONGFAN_API_RATES = {"user": "100000/min", "token": "100000/min", "signin": "100000/min"}

# Each test process keeps its own cache keys (pytest-xdist workers share one Redis in CI's second
# pass, and their databases number users from 1 alike: a throttle counted per user must not mix them).
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
