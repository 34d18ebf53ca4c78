"""The budget grid and its preview, computed by the server."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from budget.calc import BudgetInput, summarise
from budget.checks import run_checks
from budget.selectors import plan_budget_input
from plans.editor.grid import Grid, grid_figures, grid_from_post
from plans.editor.gridview import grid_view
from plans.editor.services import (
    BUDGET_NOT_SAVED,
    EditConflictError,
    budget_grid_load,
    budget_grid_save,
)
from plans.editor.views.common import BUDGET_SAVED, plan_editor
from plans.models import Plan


def _render_grid(
    request: HttpRequest,
    plan: Plan,
    grid: Grid,
    stored: BudgetInput,
    *,
    conflicts: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    summary = summarise(grid.budget_input(stored))
    view = grid_view(
        grid,
        grid_figures(grid, summary),
        projects={p.id: p.name for p in stored.projects},
        members=stored.members,
    )
    context = {
        "plan": plan,
        "view": view,
        "grid": grid,
        "checks_doc": {"findings": run_checks(summary)},
        "conflicts": conflicts or [],
        "unsaved": request.method == "POST",
    }
    return render(request, "editor/budget.html", context, status=status)


def _validate(grid: Grid, stored: BudgetInput, *, cells_only: bool = False) -> None:
    """Check the grid against the plan's projects and the association's members in ``stored``."""
    grid.validate(project_ids={p.id for p in stored.projects}, member_ids=set(stored.members))
    if cells_only:
        for line in grid.lines:
            line.errors = {k: v for k, v in line.errors.items() if k.startswith("amount-")}
        for item in [*grid.columns, *grid.groups]:
            item.errors = {}
        grid.errors = {k: v for k, v in grid.errors.items() if k == "opening_equity"}


@require_http_methods(["GET", "POST"])
@plan_editor
def budget(request: HttpRequest, plan: Plan) -> HttpResponse:
    stored = plan_budget_input(plan=plan)
    if request.method == "GET":
        return _render_grid(request, plan, budget_grid_load(plan=plan, data=stored), stored)
    grid = grid_from_post(request.POST, plan_year=plan.year)
    op = request.POST.get("op", "save")
    if op != "save":
        grid.apply(op, new_group_kind=request.POST.get("new_group_kind", ""))
        _validate(grid, stored, cells_only=True)
        return _render_grid(request, plan, grid, stored)
    _validate(grid, stored)
    if grid.has_errors():
        grid.errors["form"] = BUDGET_NOT_SAVED
        return _render_grid(request, plan, grid, stored, status=400)
    try:
        budget_grid_save(plan=plan, grid=grid)
    except EditConflictError as error:
        return _render_grid(
            request, plan, grid, plan_budget_input(plan=plan), conflicts=error.messages, status=409
        )
    messages.success(request, BUDGET_SAVED)
    return redirect("editor:budget", plan_id=plan.pk)


@require_POST
@plan_editor
def budget_preview(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The grid's figures and checks for the unsaved grid posted, computed by ``budget.calc``."""
    grid = grid_from_post(request.POST, plan_year=plan.year)
    stored = plan_budget_input(plan=plan)
    _validate(grid, stored, cells_only=True)
    summary = summarise(grid.budget_input(stored))
    findings = run_checks(summary)
    checks = render_to_string(
        "editor/_checks.html", {"checks_doc": {"findings": findings}}, request=request
    )
    return JsonResponse(
        {"figures": grid_figures(grid, summary), "errors": grid.field_errors(), "checks": checks}
    )
