"""The API of associations, members and plans with what they describe (see docs/api.md).

Reads for every role of the row's association, writes for its kansli only, through
``plans.services``. The plan detail carries the computed budget summary and the checks; the plan
file and the budget as XLSX are exports of a plan.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from budget.api import FindingSerializer, PlanSummarySerializer
from budget.checks import run_checks
from budget.selectors import plan_summary
from budget.xlsx import budget_xlsx
from finsam.api.fields import AmountField, ExactDecimalField, ScopedPrimaryKeyRelatedField
from finsam.api.filters import IdFilter, PlanRowFilterSet, plan_status_filter
from finsam.api.viewsets import ScopedModelViewSet
from plans.models import (
    Association,
    BoardSeat,
    ContributionShare,
    Group,
    GroupMember,
    Member,
    MemberKind,
    Plan,
    PlanStatus,
    Project,
    ProjectKind,
    ProjectStatus,
    Section,
    StaffMember,
    TimetableEntry,
)
from plans.planfile import plan_export_bytes
from plans.services import (
    association_save,
    member_delete,
    member_save,
    plan_delete,
    plan_save,
    share_save,
)

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ASSOCIATION_FIXED = "Förbundet kan inte bytas. Skapa raden i rätt förbund i stället."


def plan_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(queryset=Plan.objects.all(), association_path="association")


def member_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        queryset=Member.objects.all(), association_path="association", **kwargs
    )


def project_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        queryset=Project.objects.all(), association_path="plan__association", **kwargs
    )


def _fixed_association(serializer: serializers.ModelSerializer, attrs: dict[str, Any]) -> None:
    """Refuse to move an existing row to another association."""
    instance = serializer.instance
    new = attrs.get("association")
    if instance is not None and new is not None and new.pk != instance.association_id:
        raise serializers.ValidationError({"association": ASSOCIATION_FIXED})


# ---------------------------------------------------------------------------------------------
# Associations and members
# ---------------------------------------------------------------------------------------------


class AssociationSerializer(serializers.ModelSerializer):
    equity_limit_pct = ExactDecimalField(max_digits=5, decimal_places=2, required=False)
    admin_share_limit_pct = ExactDecimalField(max_digits=5, decimal_places=2, required=False)
    share_tolerance_pct = ExactDecimalField(max_digits=5, decimal_places=2, required=False)

    class Meta:
        model = Association
        fields = [
            "id",
            "name",
            "org_number",
            "founded",
            "region",
            "vision",
            "equity_limit_pct",
            "admin_share_limit_pct",
            "share_tolerance_pct",
        ]


class AssociationFilter(django_filters.FilterSet):
    class Meta:
        model = Association
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="Förbunden där du har en roll"),
    retrieve=extend_schema(summary="Ett förbund"),
)
class AssociationViewSet(ScopedModelViewSet):
    """Associations can be read and updated here; they are created and removed in admin."""

    queryset = Association.objects.all()
    serializer_class = AssociationSerializer
    filterset_class = AssociationFilter
    association_path = ""
    http_method_names = ["get", "put", "patch"]
    ordering_fields = ["name", "id"]

    def ensure_editable(self, obj: Any) -> None:
        return None

    def save_row(self, row: Any) -> Any:
        return association_save(association=row)


class MemberShareSerializer(serializers.ModelSerializer):
    share_pct = ExactDecimalField(max_digits=9, decimal_places=6, read_only=True)

    class Meta:
        model = ContributionShare
        fields = ["id", "plan", "share_pct"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    association = ScopedPrimaryKeyRelatedField(
        queryset=Association.objects.all(), association_path=""
    )
    shares = MemberShareSerializer(many=True, read_only=True)

    class Meta:
        model = Member
        fields = ["id", "association", "name", "kind", "order", "shares"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _fixed_association(self, attrs)
        return attrs


class MemberFilter(django_filters.FilterSet):
    association = IdFilter(field_name="association")
    kind = django_filters.ChoiceFilter(choices=MemberKind.choices)

    class Meta:
        model = Member
        fields = ["association", "kind"]


class MemberViewSet(ScopedModelViewSet):
    """The members of an association, each with its share in every plan."""

    queryset = Member.objects.prefetch_related(
        Prefetch("shares", queryset=ContributionShare.objects.order_by("plan_id"))
    )
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    association_path = "association"
    ordering_fields = ["order", "name", "id"]

    def ensure_editable(self, obj: Any) -> None:
        return None

    def save_row(self, row: Any) -> Any:
        return member_save(member=row)

    def delete_row(self, row: Any) -> None:
        member_delete(member=row)


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    association = ScopedPrimaryKeyRelatedField(
        queryset=Association.objects.all(), association_path=""
    )
    opening_equity = AmountField(required=False)

    class Meta:
        model = Plan
        fields = [
            "id",
            "association",
            "year",
            "revision",
            "revision_of",
            "title",
            "dnr",
            "attachment_label",
            "status",
            "decided_on",
            "minutes_paragraph",
            "opening_equity",
            "display_unit",
            "costs_negative",
            "version",
            "created_at",
            "updated_at",
        ]
        # The workflow (proposing, approving, revising) has its own services and pages.
        read_only_fields = [
            "revision",
            "revision_of",
            "status",
            "decided_on",
            "minutes_paragraph",
            "version",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _fixed_association(self, attrs)
        return attrs


class PlanDetailSerializer(PlanSerializer):
    summary = PlanSummarySerializer(read_only=True)
    checks = FindingSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "summary", "checks"]


class PlanFilter(django_filters.FilterSet):
    association = IdFilter(field_name="association")
    year = IdFilter()
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = Plan
        fields = ["association", "year", "status"]


class XlsxRenderer(BaseRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


@extend_schema_view(
    retrieve=extend_schema(
        summary="En plan med budgetens beräknade sammanställning och kontrollerna",
    ),
)
class PlanViewSet(ScopedModelViewSet):
    """Plans. The detail adds the computed budget summary per column and the checks."""

    queryset = Plan.objects.all()
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    association_path = "association"
    ordering_fields = ["year", "revision", "status", "id"]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        plan.summary = plan_summary(plan=plan)
        plan.checks = run_checks(plan.summary)
        return Response(self.get_serializer(plan).data)

    def save_row(self, row: Any) -> Any:
        return plan_save(plan=row)

    def delete_row(self, row: Any) -> None:
        plan_delete(plan=row)

    @extend_schema(
        summary="Planfilen (JSON, formatet i docs/plan-file.md)",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Planfilen, finsam-plan v1."),
        },
    )
    @action(detail=True, methods=["get"], url_path="planfile")
    def planfile(self, request: Request, pk: str | None = None) -> HttpResponse:
        plan = self.get_object()
        response = HttpResponse(plan_export_bytes(plan=plan), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{_file_stem(plan)}.json"'
        return response

    # Routed in finsam/api_urls.py as plans/<id>/budget.xlsx: a file name, no trailing slash.
    @extend_schema(
        summary="Budgeten som Excel-fil; summaraderna är formler",
        operation_id="plans_budget_xlsx",
        responses={
            (200, XLSX_MEDIA_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="Budgeten, med =SUM-formler i summaraderna."
            ),
        },
    )
    def budget_xlsx(self, request: Request, pk: str | None = None) -> HttpResponse:
        plan = self.get_object()
        summary = plan_summary(plan=plan)
        content = budget_xlsx(
            summary=summary,
            title=f"{plan.association.name} – {plan.title} {plan.year}",
            findings=run_checks(summary),
        )
        response = HttpResponse(content, content_type=XLSX_MEDIA_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{_file_stem(plan)}-budget.xlsx"'
        return response


def _file_stem(plan: Plan) -> str:
    stem = f"{slugify(plan.association.name)}-{plan.year}"
    return stem if plan.revision == 1 else f"{stem}-rev{plan.revision}"


# ---------------------------------------------------------------------------------------------
# What a plan describes: shares, board, office, groups, projects, sections, timetable
# ---------------------------------------------------------------------------------------------


class ShareSerializer(serializers.ModelSerializer):
    plan = plan_field()
    member = member_field()
    share_pct = ExactDecimalField(max_digits=9, decimal_places=6)

    class Meta:
        model = ContributionShare
        fields = ["id", "plan", "member", "share_pct"]


class ShareFilter(PlanRowFilterSet):
    member = IdFilter(field_name="member")

    class Meta:
        model = ContributionShare
        fields = ["plan", "association", "year", "plan_status", "member"]


class ShareViewSet(ScopedModelViewSet):
    """Each member's share (fördelningsnyckel) of the allocation in a plan, in percent."""

    queryset = ContributionShare.objects.all()
    serializer_class = ShareSerializer
    filterset_class = ShareFilter
    ordering_fields = ["share_pct", "id"]

    def save_row(self, row: Any) -> Any:
        return share_save(share=row)


class BoardSeatSerializer(serializers.ModelSerializer):
    plan = plan_field()
    member = member_field()

    class Meta:
        model = BoardSeat
        fields = ["id", "plan", "member", "role", "person", "position", "term_start", "term_end"]


class BoardSeatFilter(PlanRowFilterSet):
    member = IdFilter(field_name="member")

    class Meta:
        model = BoardSeat
        fields = ["plan", "association", "year", "plan_status", "member", "role"]


class BoardSeatViewSet(ScopedModelViewSet):
    """The board: an ordinary member and a deputy per member organisation."""

    queryset = BoardSeat.objects.all()
    serializer_class = BoardSeatSerializer
    filterset_class = BoardSeatFilter
    ordering_fields = ["person", "id"]


class StaffMemberSerializer(serializers.ModelSerializer):
    plan = plan_field()
    fte = ExactDecimalField(max_digits=4, decimal_places=2, required=False, allow_null=True)

    class Meta:
        model = StaffMember
        fields = ["id", "plan", "name", "role", "fte", "employer", "order"]


class StaffMemberFilter(PlanRowFilterSet):
    class Meta:
        model = StaffMember
        fields = ["plan", "association", "year", "plan_status"]


class StaffMemberViewSet(ScopedModelViewSet):
    """The office (kansli): who works there, in what role and how much."""

    queryset = StaffMember.objects.all()
    serializer_class = StaffMemberSerializer
    filterset_class = StaffMemberFilter
    ordering_fields = ["order", "name", "id"]


class GroupPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = GroupMember
        fields = ["id", "person", "member", "role", "order"]
        read_only_fields = fields


class GroupSerializer(serializers.ModelSerializer):
    plan = plan_field()
    people = GroupPersonSerializer(many=True, read_only=True)

    class Meta:
        model = Group
        fields = ["id", "plan", "name", "kind", "description", "order", "people"]


class GroupFilter(PlanRowFilterSet):
    class Meta:
        model = Group
        fields = ["plan", "association", "year", "plan_status", "kind"]


class GroupViewSet(ScopedModelViewSet):
    """Beredningsgrupp, utvecklingsgrupp, samverkansgrupper … with their people (read here,
    written at ``group-members``)."""

    queryset = Group.objects.prefetch_related(
        Prefetch("people", queryset=GroupMember.objects.order_by("order", "id"))
    )
    serializer_class = GroupSerializer
    filterset_class = GroupFilter
    ordering_fields = ["order", "name", "id"]


class GroupMemberSerializer(serializers.ModelSerializer):
    group = ScopedPrimaryKeyRelatedField(
        queryset=Group.objects.all(), association_path="plan__association"
    )
    member = member_field(required=False, allow_null=True)

    class Meta:
        model = GroupMember
        fields = ["id", "group", "person", "member", "role", "order"]


class GroupMemberFilter(django_filters.FilterSet):
    group = IdFilter(field_name="group")
    plan = IdFilter(field_name="group__plan")
    association = IdFilter(field_name="group__plan__association")
    year = IdFilter(field_name="group__plan__year")
    plan_status = plan_status_filter("group__plan")

    class Meta:
        model = GroupMember
        fields = ["group", "plan", "association", "year", "plan_status"]


class GroupMemberViewSet(ScopedModelViewSet):
    """The people of a group, optionally representing a member organisation."""

    queryset = GroupMember.objects.all()
    serializer_class = GroupMemberSerializer
    filterset_class = GroupMemberFilter
    association_path = "group__plan__association"
    ordering_fields = ["order", "person", "id"]


class ProjectSerializer(serializers.ModelSerializer):
    plan = plan_field()

    class Meta:
        model = Project
        fields = [
            "id",
            "plan",
            "name",
            "kind",
            "status",
            "owner",
            "starts_on",
            "ends_on",
            "cofinancing",
            "description",
            "order",
        ]


class ProjectFilter(PlanRowFilterSet):
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices)
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)

    class Meta:
        model = Project
        fields = ["plan", "association", "year", "plan_status", "kind", "status"]


class ProjectViewSet(ScopedModelViewSet):
    """Interventions (insatser) and projects a plan finances."""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["order", "name", "starts_on", "id"]


class SectionSerializer(serializers.ModelSerializer):
    plan = plan_field()

    class Meta:
        model = Section
        fields = ["id", "plan", "title", "level", "body", "order", "version"]
        read_only_fields = ["version"]


class SectionFilter(PlanRowFilterSet):
    class Meta:
        model = Section
        fields = ["plan", "association", "year", "plan_status", "level"]


class SectionViewSet(ScopedModelViewSet):
    """The plan's prose, in Markdown, in order."""

    queryset = Section.objects.all()
    serializer_class = SectionSerializer
    filterset_class = SectionFilter
    ordering_fields = ["order", "id"]


class TimetableEntrySerializer(serializers.ModelSerializer):
    plan = plan_field()

    class Meta:
        model = TimetableEntry
        fields = ["id", "plan", "year", "month", "event", "order"]


class TimetableEntryFilter(PlanRowFilterSet):
    month = IdFilter(field_name="month")

    class Meta:
        model = TimetableEntry
        fields = ["plan", "association", "year", "plan_status", "month"]


class TimetableEntryViewSet(ScopedModelViewSet):
    """The timetable (tidplan): month by month, what happens."""

    queryset = TimetableEntry.objects.all()
    serializer_class = TimetableEntrySerializer
    filterset_class = TimetableEntryFilter
    ordering_fields = ["year", "month", "order", "id"]
