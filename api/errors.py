"""The API's errors, always JSON in Chinese (DRF's own messages are translated by its zh_Hans locale)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


# --- Errors --------------------------------------------------------------------------------------
def exception_handler(exc, context):
    """DRF's handler, taught the service layer's errors: a Django ValidationError becomes 400 with
    {"field": ["…"]} (non-field messages under "non_field_errors"), as a form shows them."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {("non_field_errors" if field == "__all__" else field): [str(m) for m in errors]
                      for field, errors in exc.message_dict.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)
