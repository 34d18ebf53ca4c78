"""The viewset every API resource is built on: scoped reads, kansli writes through the services."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from finsam.api.permissions import KANSLI_ONLY, KansliWrites
from finsam.roles import can_edit, scope_to_user
from plans.services import plan_ensure_editable, plan_of, plan_row_delete, plan_row_save


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A model's rows as the caller may see them, written only by its association's kansli.

    ``association_path`` is the lookup from the model to its association (``"plan__association"``;
    ``""`` for the association itself). A row outside the caller's associations is 404. A write
    needs ``kansli`` in the row's association (403 otherwise) and goes through ``save_row`` /
    ``delete_row``, the services, which refuse a write to an approved plan (409).
    """

    association_path = "plan__association"
    permission_classes = [KansliWrites]
    http_method_names = ["get", "post", "put", "patch", "delete"]
    documents_errors = True  # finsam.api.schema.AutoSchema adds the error answers

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        try:
            super().initial(request, *args, **kwargs)
        except (exceptions.NotAuthenticated, exceptions.AuthenticationFailed):
            # DRF throttles after the permission check; count refused callers (no or a wrong
            # token) against the anonymous rate too, so guessing tokens is throttled.
            self.check_throttles(request)
            raise

    def get_queryset(self) -> models.QuerySet:
        return scope_to_user(
            super().get_queryset(), self.request.user, association_path=self.association_path
        )

    def association_id_of(self, obj: Any) -> int:
        if not self.association_path:
            return obj.pk
        *hops, last = self.association_path.split("__")
        for hop in hops:
            obj = getattr(obj, hop)
        return getattr(obj, f"{last}_id")

    def get_object(self) -> Any:
        obj = super().get_object()
        if self.request.method not in SAFE_METHODS:
            self.ensure_editable(obj)
        return obj

    def ensure_editable(self, obj: Any) -> None:
        """Raise PlanLockedError (409) if ``obj``'s plan is approved, before reading the body."""
        plan_ensure_editable(plan=plan_of(row=obj))

    def perform_create(self, serializer: serializers.ModelSerializer) -> None:
        row = serializer.Meta.model(**serializer.validated_data)
        self._check_can_edit(row)
        serializer.instance = self.save_row(row)

    def perform_update(self, serializer: serializers.ModelSerializer) -> None:
        row = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(row, name, value)
        self._check_can_edit(row)  # a row moved to another association needs kansli there too
        serializer.instance = self.save_row(row)

    def perform_destroy(self, instance: Any) -> None:
        self.delete_row(instance)

    def save_row(self, row: Any) -> Any:
        return plan_row_save(row=row)

    def delete_row(self, row: Any) -> None:
        plan_row_delete(row=row)

    def _check_can_edit(self, row: Any) -> None:
        if not can_edit(self.request.user, self.association_id_of(row)):
            self.permission_denied(self.request, message=KANSLI_ONLY)
