"""What every editor page shares: loading the plan for a user who may edit it, the messages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from plans.editor.selectors import plan_for_editor
from plans.models import Plan, PlanStatus
from plans.services import PlanLockedError

SAVED = "Ändringarna är sparade."
BUDGET_SAVED = "Budgeten är sparad."
PLAN_CREATED = "Planen för {year} är skapad som utkast."
PLAN_COPIED = "Planen för {year} är skapad som utkast, kopierad från {source}."

PlanView = Callable[..., HttpResponse]


def plan_editor(view: PlanView) -> PlanView:
    """Load the plan the URL names for a user who may edit it; show an approved plan as locked."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, plan_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = plan_for_editor(user=request.user, plan_id=plan_id)
        if plan.status == PlanStatus.APPROVED:
            return _locked(request, plan)
        try:
            return view(request, plan, *args, **kwargs)
        except PlanLockedError:
            return _locked(request, plan)

    return wrapper


def _locked(request: HttpRequest, plan: Plan) -> HttpResponse:
    status = 200 if request.method == "GET" else 409
    return render(request, "editor/locked.html", {"plan": plan}, status=status)
