"""GET /api/v1/plans/<id>/history/: a plan's change history, read-only, paginated, filterable.

Every role of the plan's association may read it; another association's plan answers 404. The
trail is append-only, so the endpoint answers only GET (anything else is 405).
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from finsam.api.filters import IdFilter
from finsam.roles import HISTORY_ROLES, scope_to_user
from plans.audit.context import Door
from plans.audit.selectors import (
    event_changes,
    model_name,
    plan_history,
    start_of_day,
    user_names,
)
from plans.history import AUDITED, Action, AuditEvent
from plans.models import Plan


class ChangeSerializer(serializers.Serializer):
    column = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)


class AuditUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AuditEventSerializer(serializers.ModelSerializer):
    """One changed row. ``old`` and ``new`` are the whole row before and after, keyed by column
    (decimals as strings); ``changes`` is what changed, with Swedish labels."""

    model_name = serializers.SerializerMethodField()
    user = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()
    old = serializers.JSONField()
    new = serializers.JSONField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "model",
            "model_name",
            "object_id",
            "plan_id",
            "association_id",
            "action",
            "user",
            "door",
            "ip",
            "old",
            "new",
            "changes",
        ]

    def get_model_name(self, event: AuditEvent) -> str:
        return model_name(event.model)

    @extend_schema(responses=AuditUserSerializer(allow_null=True))
    def get_user(self, event: AuditEvent) -> dict[str, Any] | None:
        if event.user_id is None:
            return None
        names = self.context.get("user_names", {})
        return {"id": event.user_id, "name": names.get(event.user_id, f"#{event.user_id}")}

    @extend_schema(responses=ChangeSerializer(many=True))
    def get_changes(self, event: AuditEvent) -> list[dict[str, Any]]:
        return [change.__dict__ for change in event_changes(event)]


class HistoryFilter(django_filters.FilterSet):
    model = django_filters.ChoiceFilter(
        choices=[(label, label) for label in AUDITED], label="modell, t.ex. budget.budgetline"
    )
    user = IdFilter(field_name="user_id", label="användarens id")
    door = django_filters.ChoiceFilter(choices=Door.choices, label="väg")
    action = django_filters.ChoiceFilter(choices=Action.choices, label="händelse")
    object_id = IdFilter(label="radens id")
    since = django_filters.DateFilter(method="filter_since", label="från och med dag")
    until = django_filters.DateFilter(method="filter_until", label="till och med dag")

    class Meta:
        model = AuditEvent
        fields = ["model", "user", "door", "action", "object_id", "since", "until"]

    def filter_since(self, queryset: Any, name: str, value: datetime.date) -> Any:
        return queryset.filter(at__gte=start_of_day(value))

    def filter_until(self, queryset: Any, name: str, value: datetime.date) -> Any:
        return queryset.filter(at__lt=start_of_day(value + datetime.timedelta(days=1)))


@extend_schema(summary="Planens ändringshistorik: vem ändrade vad, när och genom vilken väg")
class PlanHistoryView(generics.ListAPIView):
    serializer_class = AuditEventSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = HistoryFilter
    ordering_fields = ["at", "id"]
    ordering = ["-at", "-id"]
    documents_errors = True
    queryset = AuditEvent.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        plans = scope_to_user(Plan.objects.all(), self.request.user, roles=HISTORY_ROLES)
        return plan_history(plan=get_object_or_404(plans, pk=self.kwargs["pk"]))

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if args and not getattr(self, "swagger_fake_view", False):
            events = args[0]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["user_names"] = user_names(event.user_id for event in events)
        return super().get_serializer(*args, **kwargs)
