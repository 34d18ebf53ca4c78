"""The workflow in the API: a plan's state and archived PDF, and the steps as POST endpoints.

GET  /api/v1/plans/<id>/workflow/  status, decision, archived PDF (SHA-256), steps the caller may take
POST /api/v1/plans/<id>/submit/    kansli: draft → proposed
POST /api/v1/plans/<id>/return/    styrelse or kansli: proposed → draft, ``{"comment": "..."}``
POST /api/v1/plans/<id>/approve/   styrelse: proposed → approved,
                                   ``{"decided_on": "2024-12-12", "minutes_paragraph": "§ 12", "dnr": "..."}``
POST /api/v1/plans/<id>/revise/    kansli: a new draft revision of an approved plan (201)
GET  /api/v1/plans/<id>/pdf/       the PDF; for an approved plan the archived bytes, with their
                                   SHA-256 in the ``X-Content-SHA256`` header

A step the plan's status does not allow is 409 (code ``transition_not_allowed``); a step the
caller's role does not allow is 403; another association's plan is 404.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from finsam.api.exceptions import Conflict
from finsam.roles import scope_to_user
from plans.models import Plan
from plans.workflow import (
    TransitionNotAllowed,
    WorkflowPermissionDenied,
    plan_approve,
    plan_pdf_for_download,
    plan_return_to_draft,
    plan_revise,
    plan_submit,
    plan_workflow_state,
    step_refusal,
)
from plans.workflow_models import TransitionAction

PDF_MEDIA_TYPE = "application/pdf"


class ArchiveSerializer(serializers.Serializer):
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    at = serializers.DateTimeField()
    by_id = serializers.IntegerField(allow_null=True)
    by_name = serializers.CharField()
    comment = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    minutes_paragraph = serializers.CharField()
    dnr = serializers.CharField()
    revision_id = serializers.IntegerField(allow_null=True)


class WorkflowStateSerializer(serializers.Serializer):
    """A plan's workflow as the caller sees it. ``allowed``: the steps the caller may take now."""

    plan_id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    minutes_paragraph = serializers.CharField()
    dnr = serializers.CharField()
    revision = serializers.IntegerField()
    revision_of_id = serializers.IntegerField(allow_null=True)
    later_revision_id = serializers.IntegerField(allow_null=True)
    role = serializers.CharField(allow_null=True)
    allowed = serializers.ListField(child=serializers.CharField())
    archive = ArchiveSerializer(allow_null=True)
    transitions = TransitionSerializer(many=True)


class ReturnInputSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, allow_blank=True)


class ApproveInputSerializer(serializers.Serializer):
    decided_on = serializers.DateField(allow_null=True)
    minutes_paragraph = serializers.CharField(max_length=20, allow_blank=True)
    dnr = serializers.CharField(max_length=50, allow_blank=True)


class RevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    revision = serializers.IntegerField()
    revision_of = serializers.IntegerField()
    status = serializers.CharField()
    title = serializers.CharField()


class PdfRenderer(BaseRenderer):
    media_type = PDF_MEDIA_TYPE
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


class _PlanView(APIView):
    permission_classes = [IsAuthenticated]
    documents_errors = True

    def plan(self) -> Plan:
        plans = scope_to_user(Plan.objects.select_related("association"), self.request.user)
        return get_object_or_404(plans, pk=self.kwargs["pk"])

    def state(self, plan: Plan) -> Response:
        state = plan_workflow_state(plan=plan, user=self.request.user)
        return Response(WorkflowStateSerializer(state).data)

    def allowed(self, plan: Plan, step: str) -> Plan:
        """Refuse a step the caller's role (403) or the plan's status (409) does not allow, before
        the body is read. Return the plan."""
        _raise_for(step_refusal(plan=plan, step=step, user=self.request.user))
        return plan

    def step(self, service: Callable[[], Plan]) -> Plan:
        try:
            return service()
        except (TransitionNotAllowed, WorkflowPermissionDenied) as error:
            _raise_for(error)
            raise
        except DjangoValidationError:
            raise  # 400, keyed by field (finsam.api.exceptions)


class PlanWorkflowView(_PlanView):
    @extend_schema(
        summary="Planens status, beslut och arkiverade PDF (SHA-256)",
        responses=WorkflowStateSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.state(self.plan())


class PlanSubmitView(_PlanView):
    @extend_schema(
        summary="Lämna planen som förslag till styrelsen (kansliet)",
        request=None,
        responses=WorkflowStateSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = self.allowed(self.plan(), TransitionAction.SUBMIT)
        plan = self.step(lambda: plan_submit(plan=plan, by=request.user))
        return self.state(plan)


class PlanReturnView(_PlanView):
    @extend_schema(
        summary="Skicka tillbaka förslaget till utkast, med en kommentar",
        request=ReturnInputSerializer,
        responses=WorkflowStateSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(ReturnInputSerializer, request)
        plan = self.step(
            lambda: plan_return_to_draft(plan=self.plan(), by=request.user, comment=data["comment"])
        )
        return self.state(plan)


class PlanApproveView(_PlanView):
    @extend_schema(
        summary="Fastställ planen (styrelsen); PDF:en arkiveras med sin SHA-256",
        request=ApproveInputSerializer,
        responses=WorkflowStateSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = self.allowed(self.plan(), TransitionAction.APPROVE)
        data = _valid(ApproveInputSerializer, request)
        plan = self.step(
            lambda: plan_approve(
                plan=plan,
                by=request.user,
                decided_on=data["decided_on"],
                minutes_paragraph=data["minutes_paragraph"],
                dnr=data["dnr"],
            )
        )
        return self.state(plan)


class PlanReviseView(_PlanView):
    @extend_schema(
        summary="Skapa en ny revision (utkast) av en fastställd plan (kansliet)",
        request=None,
        responses={201: RevisionSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = self.allowed(self.plan(), TransitionAction.REVISE)
        revision = self.step(lambda: plan_revise(plan=plan, by=request.user))
        data = {
            "id": revision.pk,
            "revision": revision.revision,
            "revision_of": revision.revision_of_id,
            "status": revision.status,
            "title": revision.title,
        }
        return Response(RevisionSerializer(data).data, status=status.HTTP_201_CREATED)


class PlanPdfView(_PlanView):
    renderer_classes = [PdfRenderer, JSONRenderer]

    @extend_schema(
        summary="Planen som PDF; för en fastställd plan den arkiverade filen",
        responses={
            (200, PDF_MEDIA_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="PDF:en. Huvudet X-Content-SHA256 har filens SHA-256.",
            ),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        plan = self.plan()
        content = plan_pdf_for_download(plan=plan)
        response = HttpResponse(content, content_type=PDF_MEDIA_TYPE)
        response["X-Content-SHA256"] = hashlib.sha256(content).hexdigest()
        suffix = "" if plan.revision == 1 else f"-rev{plan.revision}"
        response["Content-Disposition"] = (
            f'attachment; filename="verksamhetsplan-{plan.year}{suffix}-{plan.pk}.pdf"'
        )
        return response


def _raise_for(error: Exception | None) -> None:
    if isinstance(error, TransitionNotAllowed):
        raise Conflict(detail=error.message, code="transition_not_allowed") from error
    if isinstance(error, WorkflowPermissionDenied):
        raise exceptions.PermissionDenied(detail=error.message) from error


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
