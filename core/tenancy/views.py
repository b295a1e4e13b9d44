"""Base views for park pages: they own the park, the permission check and the queryset.

A subclass names the roles that may open it and, for object pages, narrows what a role may see in
`restrict()`; it never writes get_queryset itself, so no page can forget the park filter.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from core.forms import add_service_errors
from core.http import content_disposition
from core.roles import PARK_STAFF


def park_and_access(request, allowed_roles):
    """The request's park and the user's access to it, once the user holds one of `allowed_roles`
    there. Pages (ParkViewMixin) and the API's base viewset both ask this, so they keep one wall."""
    if getattr(request, "park", None) is None:  # only reachable if a URL lacks <park>
        raise Http404
    if not request.access.has_any(allowed_roles):
        raise PermissionDenied
    return request.park, request.access


class ParkViewMixin(LoginRequiredMixin):
    allowed_roles: frozenset = PARK_STAFF

    def dispatch(self, request, *args, **kwargs):
        self.park, self.access = park_and_access(request, self.allowed_roles)
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            return self.http_method_not_allowed(request, *args, **kwargs)  # before anything is loaded
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


class StoredFileView(ParkObjectMixin, View):
    """Serves one stored upload (a model with file, name, content_type, is_photo): photos inline, other
    files as downloads, never sniffed. A subclass names the model and narrows it in `restrict()`."""

    def get(self, request, *args, **kwargs):
        stored = self.get_object()
        response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
        response["Content-Disposition"] = content_disposition(stored.name, inline=stored.is_photo)
        response["X-Content-Type-Options"] = "nosniff"
        return response


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


class ServiceFormView(ParkViewMixin, FormView):
    """A form page whose valid input goes to one service call.

    The subclass writes `perform(form)` (the service call) and names where to go next; a
    ValidationError from the service lands on the form, field by field, and the page is shown again.
    """

    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return self.success_message

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        self.result = result
        if message := self.get_success_message(result):
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())


class ServiceActionView(ParkViewMixin, View):
    """A button (POST only) that runs one service call and goes back to a page.

    The subclass writes `perform(data)` and `get_success_url()`; with a `form_class`, the POST is
    parsed by it first and `data` is its cleaned_data. An invalid form or a ValidationError from the
    service is shown as messages on the page it returns to: nothing half-done, and the user learns why.
    """

    http_method_names = ["post"]
    form_class = None
    success_message = ""

    def perform(self, data: dict):
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_failure_url(self) -> str:
        """Where a refused action goes back to (by default, where a done one goes)."""
        return self.get_success_url()

    def get_form(self):
        return self.form_class(self.request.POST)

    def post(self, request, *args, **kwargs):
        try:
            data = {}
            if self.form_class is not None:
                form = self.get_form()
                if not form.is_valid():
                    raise ValidationError([message for errors in form.errors.values() for message in errors])
                data = form.cleaned_data
            result = self.perform(data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(self.get_failure_url())
        if message := self.get_success_message(result):
            messages.success(request, message)
        return HttpResponseRedirect(self.get_success_url())


def park_url(name: str, park, *args) -> str:
    return reverse(name, args=[park.code, *args])


def redirect_to(name: str, park, *args) -> HttpResponseRedirect:
    return HttpResponseRedirect(park_url(name, park, *args))


class AdminWritesMixin:
    """Pages every park role may read whose form only the park admin may post (settings pages)."""

    def post(self, request, *args, **kwargs):
        if not self.access.is_admin:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)
