"""The start page, new plans and the plan's own fields."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from plans.editor import forms as editor_forms
from plans.editor.selectors import association_for_editor, start_page_rows
from plans.editor.services import (
    EditConflictError,
    plan_copy_to_year,
    plan_create_empty,
    row_form_save,
)
from plans.editor.views.common import PLAN_COPIED, PLAN_CREATED, SAVED, plan_editor
from plans.models import Plan
from plans.planfile import PlanFileError


@require_GET
@login_required
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request, "editor/start.html", {"associations": start_page_rows(user=request.user)}
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan_new(request: HttpRequest, association_id: int) -> HttpResponse:
    association = association_for_editor(user=request.user, association_id=association_id)
    form = editor_forms.NewPlanForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        source = form.cleaned_data["source"]
        try:
            if source is None:
                plan = plan_create_empty(association=association, year=year)
                messages.success(request, PLAN_CREATED.format(year=year))
            else:
                plan = plan_copy_to_year(
                    source=source,
                    year=year,
                    allocation_change_pct=form.cleaned_data["allocation_change"],
                )
                label = f"{source.title} {source.year}"
                messages.success(request, PLAN_COPIED.format(year=year, source=label))
        except PlanFileError as error:
            for problem in error.problems:
                form.add_error(None, problem.message)
        else:
            return redirect("editor:plan", plan_id=plan.pk)
    return render(request, "editor/new_plan.html", {"association": association, "form": form})


# ---------------------------------------------------------------------------------------------
# The plan's own fields.
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@plan_editor
def plan_settings(request: HttpRequest, plan: Plan) -> HttpResponse:
    data = request.POST.copy() if request.method == "POST" else None
    form = editor_forms.PlanSettingsForm(data, instance=plan)
    status = 200
    if data is not None:
        if form.is_valid():
            try:
                row_form_save(plan=plan, form=form, names=form.EDITABLE)
            except EditConflictError as error:
                form.add_error(None, error.messages)
                status = 409
            else:
                messages.success(request, SAVED)
                return redirect("editor:plan", plan_id=plan.pk)
        else:
            status = 400
    return render(request, "editor/plan.html", {"plan": plan, "form": form}, status=status)
