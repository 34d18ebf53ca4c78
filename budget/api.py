"""The API of budgets: columns, groups, lines and amounts; and the computed summary and checks.

The summary serializers present a ``budget.calc.PlanSummary`` as it is: they never add a number.
Amounts are strings with two decimals, percentages strings rounded half up to four decimals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from budget.calc import GroupRows, PlanSummary
from budget.models import (
    BudgetAmount,
    BudgetColumn,
    BudgetGroup,
    BudgetLine,
    ColumnKind,
    GroupKind,
)
from finsam.api.fields import (
    AmountField,
    ComputedAmountField,
    ExactDecimalField,
    PercentField,
    ScopedPrimaryKeyRelatedField,
)
from finsam.api.filters import IdFilter, plan_status_filter
from finsam.api.viewsets import ScopedModelViewSet
from plans.models import Member, Plan, Project

PARENT_OTHER_GROUP = "Huvudraden måste ligga i samma grupp."
PARENT_IS_SUB_LINE = "Underrader har inga egna underrader; välj en rad på översta nivån."
PARENT_IS_SELF = "En rad kan inte vara sin egen huvudrad."
PARENT_HAS_AMOUNTS = (
    "Huvudraden har egna belopp. Ta bort dem först: den visar summan av sina underrader."
)
LINE_HAS_CHILDREN = "Raden har underrader och visar deras summa; ange beloppen på underraderna."


# ---------------------------------------------------------------------------------------------
# The computed summary and the checks (read only, part of the plan detail)
# ---------------------------------------------------------------------------------------------


class ShareOutField(ExactDecimalField):
    """A share as stored: six decimals."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=None, decimal_places=6, read_only=True, **kwargs)


class ColumnRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ColumnKind.choices)
    year = serializers.IntegerField()
    label = serializers.CharField()


class KindTotalsSerializer(serializers.Serializer):
    contributions = ComputedAmountField()
    other_income = ComputedAmountField()
    administration = ComputedAmountField()
    individual = ComputedAmountField()
    structural = ComputedAmountField()
    preventive = ComputedAmountField()
    other_cost = ComputedAmountField()


class MemberContributionSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    member_name = serializers.CharField()
    member_kind = serializers.CharField()
    share_pct = ShareOutField()
    computed = ComputedAmountField(help_text="Medlemsavgifterna × andelen, hela kronor.")
    entered = ComputedAmountField(allow_null=True, help_text="Medlemmens rader i budgeten.")


class ProjectCostSerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    project_name = serializers.CharField()
    income = ComputedAmountField()
    costs = ComputedAmountField()
    net_cost = ComputedAmountField()


class ColumnSummarySerializer(serializers.Serializer):
    column = ColumnRefSerializer()
    kind_totals = KindTotalsSerializer()
    allocation = ComputedAmountField()
    other_income = ComputedAmountField()
    total_income = ComputedAmountField()
    total_costs = ComputedAmountField()
    result = ComputedAmountField()
    in_equity_chain = serializers.BooleanField()
    opening_equity = ComputedAmountField(allow_null=True)
    closing_equity = ComputedAmountField(allow_null=True)
    equity_limit = ComputedAmountField()
    equity_share_pct = PercentField(allow_null=True)
    admin_share_pct = PercentField(allow_null=True)
    individual_share_pct = PercentField(allow_null=True)
    structural_share_pct = PercentField(allow_null=True)
    result_share_pct = PercentField(allow_null=True)
    contributions = MemberContributionSerializer(many=True)
    projects = ProjectCostSerializer(many=True)


class ColumnAmountSerializer(serializers.Serializer):
    column = serializers.IntegerField()
    amount = ComputedAmountField()


class GroupSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="group.id")
    kind = serializers.ChoiceField(choices=GroupKind.choices, source="group.kind")
    name = serializers.CharField(source="group.name")
    total_label = serializers.CharField(source="group.total_label")
    totals = serializers.SerializerMethodField()

    @extend_schema_field(ColumnAmountSerializer(many=True))
    def get_totals(self, obj: GroupRows) -> list[dict[str, Any]]:
        rows = [{"column": column, "amount": amount} for column, amount in obj.totals.items()]
        return ColumnAmountSerializer(rows, many=True).data


class FootnoteSerializer(serializers.Serializer):
    mark = serializers.CharField()
    text = serializers.CharField()


class SharesByKindSerializer(serializers.Serializer):
    state = ShareOutField(default=Decimal(0))
    region = ShareOutField(default=Decimal(0))
    municipality = ShareOutField(default=Decimal(0))


class PlanSummarySerializer(serializers.Serializer):
    columns = ColumnSummarySerializer(many=True)
    groups = GroupSummarySerializer(many=True)
    footnotes = serializers.SerializerMethodField()
    shares_total_pct = ShareOutField()
    shares_by_kind_pct = SharesByKindSerializer()

    @extend_schema_field(FootnoteSerializer(many=True))
    def get_footnotes(self, obj: PlanSummary) -> list[dict[str, str]]:
        return [{"mark": mark, "text": text} for mark, text in obj.footnotes]


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {},
        "description": "Talen bakom fyndet; decimaltal som exakta strängar.",
    }
)
class FiguresField(serializers.Field):
    def to_representation(self, value: dict[str, Any]) -> dict[str, Any]:
        return {key: format(v, "f") if isinstance(v, Decimal) else v for key, v in value.items()}


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(
        choices=[("error", "fel"), ("warning", "varning"), ("info", "information")]
    )
    message = serializers.CharField()
    figures = FiguresField(read_only=True)
    column_label = serializers.CharField(allow_null=True)


# ---------------------------------------------------------------------------------------------
# Columns, groups, lines, amounts
# ---------------------------------------------------------------------------------------------


def _plan_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(queryset=Plan.objects.all(), association_path="association")


class BudgetColumnSerializer(serializers.ModelSerializer):
    plan = _plan_field()

    class Meta:
        model = BudgetColumn
        fields = ["id", "plan", "kind", "year", "label", "order"]


class BudgetColumnFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan")
    association = IdFilter(field_name="plan__association")
    year = IdFilter(field_name="plan__year")
    plan_status = plan_status_filter("plan")
    kind = django_filters.ChoiceFilter(choices=ColumnKind.choices)

    class Meta:
        model = BudgetColumn
        fields = ["plan", "association", "year", "plan_status", "kind"]


class BudgetColumnViewSet(ScopedModelViewSet):
    """The columns of a budget: a year's budget, a forecast, an outcome or a scenario."""

    queryset = BudgetColumn.objects.all()
    serializer_class = BudgetColumnSerializer
    filterset_class = BudgetColumnFilter
    ordering_fields = ["order", "year", "id"]


class BudgetGroupSerializer(serializers.ModelSerializer):
    plan = _plan_field()

    class Meta:
        model = BudgetGroup
        fields = ["id", "plan", "kind", "name", "total_label", "order"]


class BudgetGroupFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan")
    association = IdFilter(field_name="plan__association")
    year = IdFilter(field_name="plan__year")
    plan_status = plan_status_filter("plan")
    kind = django_filters.ChoiceFilter(choices=GroupKind.choices)

    class Meta:
        model = BudgetGroup
        fields = ["plan", "association", "year", "plan_status", "kind"]


class BudgetGroupViewSet(ScopedModelViewSet):
    """Groups of lines; the kind decides the side (income, cost) and the checks."""

    queryset = BudgetGroup.objects.all()
    serializer_class = BudgetGroupSerializer
    filterset_class = BudgetGroupFilter
    ordering_fields = ["order", "id"]


class LineAmountSerializer(serializers.ModelSerializer):
    amount = AmountField(read_only=True)

    class Meta:
        model = BudgetAmount
        fields = ["id", "column", "amount"]
        read_only_fields = fields


class BudgetLineSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="group.plan_id", read_only=True)
    group = ScopedPrimaryKeyRelatedField(
        queryset=BudgetGroup.objects.all(), association_path="plan__association"
    )
    parent = ScopedPrimaryKeyRelatedField(
        queryset=BudgetLine.objects.all(),
        association_path="group__plan__association",
        required=False,
        allow_null=True,
    )
    project = ScopedPrimaryKeyRelatedField(
        queryset=Project.objects.all(),
        association_path="plan__association",
        required=False,
        allow_null=True,
    )
    member = ScopedPrimaryKeyRelatedField(
        queryset=Member.objects.all(),
        association_path="association",
        required=False,
        allow_null=True,
    )
    amounts = LineAmountSerializer(many=True, read_only=True, source="amount_rows")

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "plan",
            "group",
            "parent",
            "name",
            "project",
            "member",
            "footnote",
            "order",
            "version",
            "amounts",
        ]
        read_only_fields = ["version"]

    def to_representation(self, instance: BudgetLine) -> dict[str, Any]:
        if not hasattr(instance, "amount_rows"):  # a line just written, not from the list
            instance.amount_rows = list(instance.amounts.order_by("column__order", "column_id"))
        return super().to_representation(instance)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        group = attrs.get("group", getattr(instance, "group", None))
        parent = attrs.get("parent", getattr(instance, "parent", None))
        if parent is not None:
            if instance is not None and parent.pk == instance.pk:
                raise serializers.ValidationError({"parent": PARENT_IS_SELF})
            if group is not None and parent.group_id != group.pk:
                raise serializers.ValidationError({"parent": PARENT_OTHER_GROUP})
            if parent.parent_id is not None:
                raise serializers.ValidationError({"parent": PARENT_IS_SUB_LINE})
            if parent.amounts.exists():
                raise serializers.ValidationError({"parent": PARENT_HAS_AMOUNTS})
        return attrs


class BudgetLineFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="group__plan")
    association = IdFilter(field_name="group__plan__association")
    year = IdFilter(field_name="group__plan__year")
    plan_status = plan_status_filter("group__plan")
    group = IdFilter(field_name="group")
    kind = django_filters.ChoiceFilter(field_name="group__kind", choices=GroupKind.choices)
    parent = IdFilter(field_name="parent")
    project = IdFilter(field_name="project")
    member = IdFilter(field_name="member")

    class Meta:
        model = BudgetLine
        fields = [
            "plan",
            "association",
            "year",
            "plan_status",
            "group",
            "kind",
            "parent",
            "project",
            "member",
        ]


class BudgetLineViewSet(ScopedModelViewSet):
    """Budget lines with their amounts (written at ``budget-amounts``). A line with sub-lines
    shows their sum in the plan; the computed sums are in the plan detail's ``summary``."""

    queryset = BudgetLine.objects.select_related("group").prefetch_related(
        # A list attribute, not the related manager: no queryset is built per line.
        Prefetch(
            "amounts",
            queryset=BudgetAmount.objects.order_by("column__order", "column_id"),
            to_attr="amount_rows",
        )
    )
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    association_path = "group__plan__association"
    ordering_fields = ["order", "name", "id"]


class BudgetAmountSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="column.plan_id", read_only=True)
    line = ScopedPrimaryKeyRelatedField(
        queryset=BudgetLine.objects.all(), association_path="group__plan__association"
    )
    column = ScopedPrimaryKeyRelatedField(
        queryset=BudgetColumn.objects.all(), association_path="plan__association"
    )
    amount = AmountField()

    class Meta:
        model = BudgetAmount
        fields = ["id", "plan", "line", "column", "amount"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        line = attrs.get("line", getattr(self.instance, "line", None))
        if line is not None and line.children.exists():
            raise serializers.ValidationError({"line": LINE_HAS_CHILDREN})
        return attrs


class BudgetAmountFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="line__group__plan")
    association = IdFilter(field_name="line__group__plan__association")
    year = IdFilter(field_name="line__group__plan__year")
    plan_status = plan_status_filter("line__group__plan")
    line = IdFilter(field_name="line")
    column = IdFilter(field_name="column")

    class Meta:
        model = BudgetAmount
        fields = ["plan", "association", "year", "plan_status", "line", "column"]


class BudgetAmountViewSet(ScopedModelViewSet):
    """One amount per line and column, in SEK: ``"3216600.00"``."""

    queryset = BudgetAmount.objects.select_related("column").order_by(
        "line__group__plan_id",
        "line__group__order",
        "line__order",
        "line_id",
        "column__order",
        "id",
    )
    serializer_class = BudgetAmountSerializer
    filterset_class = BudgetAmountFilter
    association_path = "line__group__plan__association"
    ordering_fields = ["id"]
