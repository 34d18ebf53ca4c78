"""Pages of the plans: the start page, the plan document and its PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans.rendering.document import plan_document
from plans.selectors import plan_for_user, plans_for_user
from plans.workflow import plan_pdf_for_download


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/home.html", {"plans": plans_for_user(user=request.user)})


@require_GET
@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(user=request.user, plan_id=plan_id)
    return render(request, "plans/plan_detail.html", {"doc": plan_document(plan=plan)})


@require_GET
@login_required
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(user=request.user, plan_id=plan_id)
    # An approved plan's archived bytes (plans.workflow), any other plan rendered now.
    response = HttpResponse(plan_pdf_for_download(plan=plan), content_type="application/pdf")
    filename = f"verksamhetsplan-{plan.year}-{plan.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
