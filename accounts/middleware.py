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
from django_scopes import scopes_disabled

from accounts.access import county_parks, park_access
from core.tenancy.scoping import park_scope
from orgs.models import County, Park

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


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
                return redirect_to_login(request.get_full_path())
            park = Park.objects.filter(code=match.kwargs["park"], is_active=True).first()
            access = park_access(request.user, park) if park else None
            if access is None:
                raise Http404("park not found")
            if access.read_only and request.method not in SAFE_METHODS:
                raise PermissionDenied("read-only role")
            request.park, request.access = park, access
            with park_scope(park):
                return self.get_response(request)

        if "county" in match.kwargs:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            county = County.objects.filter(code=match.kwargs["county"]).first()
            parks = county_parks(request.user, county) if county else None
            if parks is None:
                raise Http404("county not found")
            if request.method not in SAFE_METHODS:
                raise PermissionDenied("read-only role")
            request.county, request.county_parks = county, parks
            with park_scope(parks):
                return self.get_response(request)

        # The Django admin is the platform operators' tool: superusers see every park.
        if match.namespace == "admin" and request.user.is_active and request.user.is_superuser:
            with scopes_disabled():
                return self.get_response(request)
        return self.get_response(request)
