"""Errors as the API answers them: domain exceptions from the services become HTTP statuses.

- ``django.core.exceptions.ValidationError`` (``full_clean`` in a service) → 400, keyed by field,
  non-field errors under ``non_field_errors``;
- ``plans.services.PlanLockedError`` (a write to an approved plan) → 409 with code
  ``plan_approved``;
- ``plans.services.RowInUseError`` (a delete that other rows protect) → 409 with code ``in_use``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from plans.services import PlanLockedError, RowInUseError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Ändringen krockar med planens nuvarande läge.")
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, PlanLockedError):
        exc = Conflict(detail=exc.message, code="plan_approved")
    elif isinstance(exc, RowInUseError):
        exc = Conflict(detail=str(exc), code="in_use")
    elif isinstance(exc, DjangoValidationError):
        detail = as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, Conflict):
        response.data = {"detail": exc.detail, "code": exc.detail.code}
    return response
