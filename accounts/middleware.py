"""Turns the tenancy scope on for each request, from the URL and the signed-in user's roles.

URLs under /p/<park>/ run inside that park's scope, those under /county/<county>/ inside the scope
of the county's parks. A park the user's roles do not cover answers 404, exactly as a park that does
not exist; a read-only role's writes are refused before any view runs. Every other URL runs with no
scope, so a query on park-owned data there raises ScopeError.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from accounts.access import county_parks, park_access
from core.http import SAFE_METHODS, is_api, json_error
from core.tenancy.scoping import park_scope
from orgs.models import County, Park

MSG_SIGN_IN = _("请先登录，或在请求头中提供令牌（Authorization: Bearer …）。")
MSG_NOT_FOUND = _("未找到。")
MSG_READ_ONLY = _("只读角色不能修改数据。")


def _sign_in(request):
    if is_api(request):  # the API answers a missing sign-in with 401, never a redirect to a page
        return json_error(401, MSG_SIGN_IN, WWW_Authenticate='Bearer realm="api"')
    return redirect_to_login(request.get_full_path())


def _not_found(request):
    if is_api(request):
        return json_error(404, MSG_NOT_FOUND)
    raise Http404("park not found")


def _read_only(request):
    if is_api(request):
        return json_error(403, MSG_READ_ONLY)
    raise PermissionDenied("read-only role")


def reads_by_post(match, request) -> bool:
    """A view whose POST only reads (the member search box posts so an ID number stays out of the
    URL) says so with `post_only_reads`; a read-only role may use it."""
    view_class = getattr(match.func, "view_class", None)
    return request.method == "POST" and bool(getattr(view_class, "post_only_reads", False))


class ParkScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.park = request.access = request.county = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)

        if "park" in match.kwargs:
            if not request.user.is_authenticated:
                return _sign_in(request)
            park = Park.objects.filter(code=match.kwargs["park"], is_active=True).first()
            access = park_access(request.user, park) if park else None
            if access is None:
                return _not_found(request)
            if access.read_only and request.method not in SAFE_METHODS and not reads_by_post(match, request):
                return _read_only(request)
            request.park, request.access = park, access
            with park_scope(park):
                return self.get_response(request)

        if "county" in match.kwargs:
            if not request.user.is_authenticated:
                return _sign_in(request)
            county = County.objects.filter(code=match.kwargs["county"]).first()
            parks = county_parks(request.user, county) if county else None
            if parks is None:
                return _not_found(request)
            if request.method not in SAFE_METHODS:
                return _read_only(request)
            request.county, request.county_parks = county, parks
            with park_scope(parks):
                return self.get_response(request)

        # The Django admin is the platform operators' tool: superusers see every park.
        if match.namespace == "admin" and request.user.is_active and request.user.is_superuser:
            with scopes_disabled():
                return self.get_response(request)
        return self.get_response(request)
