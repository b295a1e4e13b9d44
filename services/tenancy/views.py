"""Base views for park pages: they own the park, the permission check and the queryset.

A subclass names the roles that may open it and, for object pages, narrows what a role may see in
`restrict()`; it never writes get_queryset itself, so no page can forget the park filter.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role

ALL_ROLES = frozenset(Role.values)
PARK_STAFF = frozenset({Role.PARK_ADMIN, Role.INSPECTOR, Role.COUNTY_VIEWER})
ADMIN_ONLY = frozenset({Role.PARK_ADMIN})


class ParkViewMixin(LoginRequiredMixin):
    allowed_roles: frozenset = PARK_STAFF

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "park", None) is None:  # only reachable if a URL lacks <park>
            raise Http404
        self.park = request.park
        self.access = request.access
        if not self.access.has_any(self.allowed_roles):
            raise PermissionDenied
        self.prepare()
        return super().dispatch(request, *args, **kwargs)

    def prepare(self):
        """Runs after the park and role checks, before the handler: load what the page is about."""


class ParkObjectMixin(ParkViewMixin):
    """For pages about one object or a list: the queryset is the park's rows, narrowed by role."""

    model = None

    def restrict(self, queryset):
        """Narrow the park's rows to what this user's roles may see; the default keeps them all."""
        return queryset

    def get_queryset(self):
        return self.restrict(self.model.objects.filter(park=self.park))

    def get_object(self, queryset=None):
        obj = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise Http404
        return obj


class ParkObjectFormMixin(ParkObjectMixin):
    """Form pages about one existing object: it is loaded (or 404) before the form is built."""

    def prepare(self):
        self.object = self.get_object()

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)


class CountyViewMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "county", None) is None:
            raise Http404
        self.county = request.county
        self.parks = request.county_parks
        return super().dispatch(request, *args, **kwargs)
