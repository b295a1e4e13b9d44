"""Settings for the load benchmark (benchmarks/load.py) and the gunicorn it starts.

They follow config/django/production.py where serving is concerned: DEBUG off, HTTPS behind a proxy
(the load tool sends the proxy's X-Forwarded-Proto header, as the compose healthcheck does),
hashed static files from whitenoise, and the cache in Redis. The keys are NOT production's: they stay
the configured ones (development defaults unless DJANGO_SECRET_KEY / HONGFAN_ID_KEY are set), so the
sessions load.py makes and the ID numbers generate_county encrypted read the same under gunicorn.

HONGFAN_LOAD_DB names the synthetic county's database; load.py sets it for gunicorn only. Without it
the configured database stays the default (load.py builds the county from there, and generate_county
never writes into the configured database).
"""

import os

from config.django.base import *  # noqa: F401,F403
from config.env import env

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
if os.environ.get("HONGFAN_LOAD_DB"):
    DATABASES["default"]["NAME"] = os.environ["HONGFAN_LOAD_DB"]  # noqa: F405

# As production.py (minus the keys and hosts above).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
for _database in DATABASES.values():  # noqa: F405
    _database.setdefault("CONN_MAX_AGE", 60)
    _database.setdefault("CONN_HEALTH_CHECKS", True)
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
STATIC_ROOT = VAR_DIR / "load" / "staticfiles"  # noqa: F405  (load.py runs collectstatic into it)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Redis as in docker-compose.yml. The prefix keeps these keys apart from any other user of the server;
# load.py deletes the keys under it before each run, so every run starts with an empty cache.
CACHES = {
    "default": {
        "BACKEND": "core.cache.ForgivingRedisCache",
        "LOCATION": env("REDIS_URL", default="redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": "hongfan-load",
    }
}
