"""The API of goals: areas → goals → targets → outcomes recorded at follow-up."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from rest_framework import serializers

from finsam.api.fields import ExactDecimalField, ScopedPrimaryKeyRelatedField
from finsam.api.filters import IdFilter, plan_status_filter
from finsam.api.viewsets import ScopedModelViewSet
from goals.models import Goal, GoalArea, Outcome, Target, TargetKind
from plans.models import Plan, Project


def _value_field() -> ExactDecimalField:
    return ExactDecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)


class GoalAreaSerializer(serializers.ModelSerializer):
    plan = ScopedPrimaryKeyRelatedField(queryset=Plan.objects.all(), association_path="association")

    class Meta:
        model = GoalArea
        fields = ["id", "plan", "name", "description", "order"]


class GoalAreaFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan")
    association = IdFilter(field_name="plan__association")
    year = IdFilter(field_name="plan__year")
    plan_status = plan_status_filter("plan")

    class Meta:
        model = GoalArea
        fields = ["plan", "association", "year", "plan_status"]


class GoalAreaViewSet(ScopedModelViewSet):
    """Goal areas (målområden) of a plan."""

    queryset = GoalArea.objects.all()
    serializer_class = GoalAreaSerializer
    filterset_class = GoalAreaFilter
    ordering_fields = ["order", "name", "id"]


class GoalSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="area.plan_id", read_only=True)
    area = ScopedPrimaryKeyRelatedField(
        queryset=GoalArea.objects.all(), association_path="plan__association"
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan",
            "area",
            "indicator",
            "measurement",
            "reporting",
            "comment",
            "order",
            "version",
        ]
        read_only_fields = ["version"]


class GoalFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="area__plan")
    association = IdFilter(field_name="area__plan__association")
    year = IdFilter(field_name="area__plan__year")
    plan_status = plan_status_filter("area__plan")
    area = IdFilter(field_name="area")

    class Meta:
        model = Goal
        fields = ["plan", "association", "year", "plan_status", "area"]


class GoalViewSet(ScopedModelViewSet):
    """Goals, each with an indicator, how it is measured and where it is reported."""

    queryset = Goal.objects.select_related("area")
    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    association_path = "area__plan__association"
    ordering_fields = ["order", "id"]


class TargetOutcomeSerializer(serializers.ModelSerializer):
    value = ExactDecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Outcome
        fields = ["id", "period", "value", "text", "recorded_on"]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="goal.area.plan_id", read_only=True)
    goal = ScopedPrimaryKeyRelatedField(
        queryset=Goal.objects.all(), association_path="area__plan__association"
    )
    project = ScopedPrimaryKeyRelatedField(
        queryset=Project.objects.all(),
        association_path="plan__association",
        required=False,
        allow_null=True,
    )
    value = _value_field()
    previous_value = _value_field()
    outcomes = TargetOutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "goal",
            "project",
            "kind",
            "value",
            "unit",
            "text",
            "previous_value",
            "previous_text",
            "order",
            "outcomes",
        ]


class TargetFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="goal__area__plan")
    association = IdFilter(field_name="goal__area__plan__association")
    year = IdFilter(field_name="goal__area__plan__year")
    plan_status = plan_status_filter("goal__area__plan")
    goal = IdFilter(field_name="goal")
    project = IdFilter(field_name="project")
    kind = django_filters.ChoiceFilter(choices=TargetKind.choices)

    class Meta:
        model = Target
        fields = ["plan", "association", "year", "plan_status", "goal", "project", "kind"]


class TargetViewSet(ScopedModelViewSet):
    """A goal's targets (a number, a percentage or a text), with the outcomes recorded so far."""

    queryset = Target.objects.select_related("goal__area").prefetch_related(
        Prefetch("outcomes", queryset=Outcome.objects.order_by("recorded_on", "id"))
    )
    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    association_path = "goal__area__plan__association"
    ordering_fields = ["order", "id"]


class OutcomeSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="target.goal.area.plan_id", read_only=True)
    target = ScopedPrimaryKeyRelatedField(
        queryset=Target.objects.all(), association_path="goal__area__plan__association"
    )
    value = _value_field()

    class Meta:
        model = Outcome
        fields = ["id", "plan", "target", "period", "value", "text", "recorded_on"]


class OutcomeFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="target__goal__area__plan")
    association = IdFilter(field_name="target__goal__area__plan__association")
    year = IdFilter(field_name="target__goal__area__plan__year")
    plan_status = plan_status_filter("target__goal__area__plan")
    target = IdFilter(field_name="target")

    class Meta:
        model = Outcome
        fields = ["plan", "association", "year", "plan_status", "target"]


class OutcomeViewSet(ScopedModelViewSet):
    """What a target came to in a reporting period (delårsrapport, årsredovisning …)."""

    queryset = Outcome.objects.select_related("target__goal__area")
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter
    association_path = "target__goal__area__plan__association"
    ordering_fields = ["recorded_on", "period", "id"]
