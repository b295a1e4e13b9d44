"""Production settings: secrets and hosts come from the environment; HTTPS everywhere."""

from config.django.base import *  # noqa: F401,F403
from config.env import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
HONGFAN_ID_KEY = env("HONGFAN_ID_KEY")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Persistent connections: a gunicorn worker keeps its database connection for a minute instead of
# opening one per request, and a connection the server dropped is noticed before a request uses it.
# DATABASE_URL's ?conn_max_age=… overrides (0: a connection per request, as in development).
for _database in DATABASES.values():  # noqa: F405
    _database.setdefault("CONN_MAX_AGE", 60)
    _database.setdefault("CONN_HEALTH_CHECKS", True)
