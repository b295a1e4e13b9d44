"""Settings shared by every environment; production.py and test.py adjust them."""

from datetime import timedelta

import pghistory
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, VAR_DIR, env

# --- Core ----------------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdef")
# Off unless asked for by name: DJANGO_DEBUG=1 (make run sets it for the development server). A server
# started on these settings without it shows no traceback, no settings and no SQL to a visitor.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "config.admin.PlatformAdminConfig",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "import_export",
    "pgtrigger",
    "pghistory",
    "accounts",
    "orgs",
    "audit",
    "members",
    "points",
    "activities",
    "cycle",
    "assessment",
    "services",
    "dues",
    "imports",
    "dashboards",
    "api",
    "demo",
    "config",  # its management commands: backup, restore, rotate_id_key (operations, above every layer)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An API call with a bearer token runs as the token's user, so the park wall below applies to it.
    "api.auth.ApiTokenMiddleware",
    # Row history (core/history.py): who (user id) and where (path) for the triggers' snapshots of
    # this request's writes. After the token middleware, so an API call carries its token's user.
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Must come after authentication: it reads request.user to decide the park scope.
    "accounts.middleware.ParkScopeMiddleware",
    # Last, as django-axes asks: answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for an account, or from an
# address, sign-in is refused for the cool-down, or until a park admin unlocks the account
# (accounts:users). Every authenticate() goes through the axes backend first.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("HONGFAN_SIGNIN_FAILURES", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("HONGFAN_SIGNIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
# A lockout answers the page with accounts/locked.html and the API with JSON, both 429.
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.tenancy",
                "cycle.context_processors.notifications",
            ],
            "builtins": ["core.template_filters"],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------
# PostgreSQL everywhere. With DATABASE_URL that server; without it an embedded server under var/.
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from config.embedded_db import embedded_database_settings

    DATABASES = {"default": embedded_database_settings(VAR_DIR / "pgdata")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A read replica for the dashboards' figures (core.db.replica_reads); without it they read `default`.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
HONGFAN_READ_REPLICA = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["core.db.ReplicaRouter"]

# --- Row history (django-pghistory, core/history.py) ---------------------------------------------
# https://django-pghistory.readthedocs.io/en/stable/settings/
# Context only for writes: a GET never writes, so it needs none.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# A snapshot's foreign keys: unconstrained (history outlives rows) and unindexed — every index on a
# park-owned table leads with park_id; the one the history page reads is declared in track_history.
PGHISTORY_FOREIGN_KEY_FIELD = pghistory.ForeignKey(db_index=False)
# Triggers come and go with migrations (pgtrigger's default). Pruning touches only triggers named
# pgtrigger_*, never the project's own (e.g. hongfan_same_park_*, the payout line guard).
PGTRIGGER_INSTALL_ON_MIGRATE = False

# --- Personal data ------------------------------------------------------------------------------
# Key for encrypting ID numbers (services/crypto.py); production must set its own, kept apart
# from SECRET_KEY so rotating that does not make the stored numbers unreadable.
HONGFAN_ID_KEY = env("HONGFAN_ID_KEY", default=SECRET_KEY)

# --- Cache ---------------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/cache/
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.cache.ForgivingRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication ------------------------------------------------------------------------------
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]  # overrides of Django's Chinese: a label ends in "：" (locale/zh_Hans)
USE_TZ = True

# --- Static files --------------------------------------------------------------------------------
# https://whitenoise.readthedocs.io/
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Uploads over 2.5 MB stream to a temporary file; none is kept past the largest size allowed.
FILE_UPLOAD_HANDLERS = [
    "core.uploads.UploadSizeCap",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# In development and tests static files come straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Django REST framework -----------------------------------------------------------------------
# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    # The bearer first: an anonymous call then answers 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.BearerTokenAuthentication", "rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.PerUserThrottle", "api.auth.PerTokenThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend", "rest_framework.filters.OrderingFilter"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "api.schema.HongfanAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # Proxies in front of the server; 0 trusts no X-Forwarded-For, so a client cannot pick its own
    # address to escape the sign-in throttle. Behind one reverse proxy set HONGFAN_PROXIES=1.
    "NUM_PROXIES": env.int("HONGFAN_PROXIES", default=0),
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
}
# Requests per minute: each user, each token, and token sign-in per address (the sign-in page's
# django-axes lockout applies to token sign-in too).
HONGFAN_API_RATES = {
    "user": env("HONGFAN_API_RATE_USER", default="600/min"),
    "token": env("HONGFAN_API_RATE_TOKEN", default="300/min"),
    "signin": env("HONGFAN_API_RATE_SIGNIN", default="10/min"),
}
HONGFAN_API_TOKEN_DAYS = env.int("HONGFAN_API_TOKEN_DAYS", default=90)
# How long an Idempotency-Key's first answer is kept for a retry (api.tasks purges older ones daily).
HONGFAN_IDEMPOTENCY_HOURS = env.int("HONGFAN_IDEMPOTENCY_HOURS", default=48)
HONGFAN_API_TOKEN_MAX_DAYS = env.int("HONGFAN_API_TOKEN_MAX_DAYS", default=366)
SPECTACULAR_SETTINGS = {
    "TITLE": "红帆 API",
    "DESCRIPTION": "园区党建平台接口。园区数据在 /api/v1/p/{园区代码}/ 下，县级数据在 /api/v1/county/{区县代码}/ 下；"
                   "令牌由 POST /api/v1/auth/token/ 取得，请求头 Authorization: Bearer <令牌>。错误以 JSON 返回："
                   "{\"detail\": \"…\"} 或 {\"字段\": [\"…\"]}。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # vendored (drf-spectacular-sidecar): no CDN, works on an intranet
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "orgs.models.Organisation.Kind",
        "ActivityKindEnum": "activities.models.ActivityKind",
        "NoticeKindEnum": "services.models.Notice.Kind",
    },
}

# --- E-mail -------------------------------------------------------------------------------------
# EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.com:587) turns on e-mailed reminders;
# without it reminders stay in the in-app list. https://django-environ.readthedocs.io/
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
    REMINDER_EMAILS = True
else:
    REMINDER_EMAILS = False
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="红帆 <noreply@localhost>")

# --- Logging -------------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/logging/
# One handler, on the root logger: every record is printed once. Django's own default config gives
# the "django" and "django.server" loggers handlers of their own as well, so without the overrides
# below each of their records would print twice (theirs, then the root's through propagation).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_without_traceback": {"()": "config.logging.ClientErrorWithoutTraceback"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_without_traceback"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

from config.settings.celery import *  # noqa: E402,F401,F403
