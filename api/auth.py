"""How the API knows who is calling: a bearer token (devices, systems) or the browser's session.

The token is read by a middleware, before the park scope middleware, so that a token's user meets the
same park wall as a signed-in page: the scope, the role checks and 404 for another park's objects all
come from accounts.middleware. A read-only token is refused any write here, before any view runs.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import SimpleRateThrottle

from api.tokens import token_for_key
from core.http import SAFE_METHODS, is_api, json_error

MSG_BAD_TOKEN = _("令牌无效、已过期或已被撤销。")
MSG_READ_ONLY = _("只读令牌不能修改数据。")


def bearer_key(request) -> str | None:
    scheme, _sep, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None


class ApiTokenMiddleware:
    """Signs in the token's user for this one request (no session is made)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.api_token = None
        if is_api(request) and (key := bearer_key(request)) is not None:
            token = token_for_key(key)
            if token is None:
                return json_error(401, MSG_BAD_TOKEN, WWW_Authenticate='Bearer realm="api"')
            if token.read_only and request.method not in SAFE_METHODS:
                return json_error(403, MSG_READ_ONLY)
            request.user, request.api_token = token.user, token
        return self.get_response(request)


class BearerTokenAuthentication(BaseAuthentication):
    """Hands DRF the user the middleware found; with it first, an anonymous call answers 401."""

    def authenticate(self, request):
        token = getattr(request._request, "api_token", None)
        return None if token is None else (token.user, token)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


# --- Throttles -----------------------------------------------------------------------------------
class _SettingsRateThrottle(SimpleRateThrottle):
    """Rates from settings.HONGFAN_API_RATES, read at each request (so a test or a deployment can
    change them without reloading DRF's settings). The counts live in the cache: while Redis is down
    nothing is counted and calls go through (core.cache); sign-in stays guarded by django-axes,
    whose counters are in the database."""

    def get_rate(self):
        return settings.HONGFAN_API_RATES[self.scope]


class PerUserThrottle(_SettingsRateThrottle):
    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": f"ip:{self.get_ident(request)}"}
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class PerTokenThrottle(_SettingsRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        token = getattr(request._request, "api_token", None)
        return None if token is None else self.cache_format % {"scope": self.scope, "ident": token.pk}


class SignInThrottle(_SettingsRateThrottle):
    """Token sign-in, per address (django-axes counts wrong passwords per account and address too)."""

    scope = "signin"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
