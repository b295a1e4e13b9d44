"""The API's base viewset: it owns the park, the role check and the queryset, as the page base
views do (core.tenancy.views), through the same function (park_and_access). A viewset names its
model, the roles that may call it and, in restrict(), the same selector its pages narrow by.
"""

import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from api.models import IdempotentRequest
from api.pagination import Pages
from core.http import SAFE_METHODS
from core.roles import PARK_STAFF
from core.tenancy.views import park_and_access

MSG_KEY = _("Idempotency-Key 须为 1 至 100 个可见字符。")
MSG_KEY_REUSED = _("该 Idempotency-Key 已用于另一个请求，请换一个。")


class ParkViewSet(GenericViewSet):
    model = None
    allowed_roles: frozenset = PARK_STAFF  # who may call it
    write_roles: frozenset | None = None  # who may write through it, when fewer than allowed_roles
    pagination_class = Pages
    # ?ordering= takes these (a minus sign for descending); without it each list keeps its own order.
    # Plain columns of the model only: a cursor page reads its position from the row itself.
    ordering_fields = ["id"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        if not hasattr(self, request.method.lower()):  # 405 before any role is asked, as the pages do
            raise exceptions.MethodNotAllowed(request.method)
        writing = request.method not in SAFE_METHODS and self.write_roles is not None
        self.park, self.access = park_and_access(request._request, self.write_roles if writing else self.allowed_roles)

    def restrict(self, queryset):
        """Narrow the park's rows to what this user's roles may see; the default keeps them all."""
        return queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks for the model only
            with scopes_disabled():
                return self.model.objects.none()
        return self.restrict(self.model.objects.filter(park=self.park))


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= 100 and key.isprintable() and key.isascii()


class IdempotentCreateMixin:
    """create() that honours an Idempotency-Key header: the first answer for a key is kept, and a
    retry with the key (a phone on a bad line) gets that answer back, not a second record."""

    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return self.perform_idempotent(request, *args, **kwargs)
        if not _valid_key(key):
            raise exceptions.ValidationError({"Idempotency-Key": [str(MSG_KEY)]})
        kept = IdempotentRequest.objects.filter(user=request.user, key=key)
        first = kept.first()
        if first is None:
            try:
                with transaction.atomic():
                    response = self.perform_idempotent(request, *args, **kwargs)
                    if status.is_success(response.status_code):
                        body = json.loads(JSONRenderer().render(response.data) or b"null")
                        IdempotentRequest.objects.create(
                            user=request.user, key=key, method=request.method, path=request.path[:300],
                            status=response.status_code, body=body,
                        )
                    return response
            except IntegrityError:  # a retry racing this one kept its answer first: answer as it did
                first = kept.first()
                if first is None:
                    raise
        if first.path != request.path[:300] or first.method != request.method:
            raise exceptions.ValidationError({"Idempotency-Key": [str(MSG_KEY_REUSED)]})
        return Response(first.body, status=first.status, headers={"Idempotent-Replayed": "true"})

    def perform_idempotent(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)
