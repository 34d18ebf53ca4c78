"""Pages of the workflow (propose, send back, approve, revise) and of a plan's change history.

A step the plan's status does not allow answers 409 with the reason; a step the user's role does
not allow answers 403; a plan of another association answers 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from finsam.roles import HISTORY_ROLES, scope_to_user
from plans.audit.context import Door
from plans.audit.selectors import (
    event_changes,
    model_choices,
    model_name,
    plan_history,
    plan_history_users,
    user_names,
)
from plans.history import Action
from plans.models import Plan
from plans.selectors import plan_for_user
from plans.workflow import (
    TransitionNotAllowed,
    plan_approve,
    plan_return_to_draft,
    plan_revise,
    plan_submit,
    step_refusal,
)
from plans.workflow_models import TransitionAction

HISTORY_PAGE_SIZE = 50

SUBMITTED = "Planen är lämnad som förslag till styrelsen."
RETURNED = "Förslaget är skickat tillbaka till utkast."
APPROVED = "Planen är fastställd. PDF:en är arkiverad med sin SHA-256."
REVISED = "En ny revision av planen är skapad som utkast. Den fastställda planen är oförändrad."

STEP_TITLES = {
    TransitionAction.SUBMIT: "Lämna planen som förslag till styrelsen",
    TransitionAction.RETURN: "Skicka tillbaka förslaget till utkast",
    TransitionAction.APPROVE: "Fastställ planen",
    TransitionAction.REVISE: "Skapa en revidering av planen",
}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Varför skickas förslaget tillbaka?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


class ApproveForm(forms.Form):
    decided_on = forms.DateField(
        label="Styrelsens beslutsdatum", widget=forms.DateInput(attrs={"type": "date"})
    )
    minutes_paragraph = forms.CharField(
        label="Protokollsparagraf", max_length=20, help_text="Till exempel § 12."
    )
    dnr = forms.CharField(label="Diarienummer", max_length=50)

    def clean_minutes_paragraph(self) -> str:
        value = self.cleaned_data["minutes_paragraph"].strip()
        return value if value.startswith("§") else f"§ {value}"


class HistoryFilterForm(forms.Form):
    model = forms.ChoiceField(label="Uppgift", required=False)
    user = forms.TypedChoiceField(label="Användare", required=False, coerce=int, empty_value=None)
    door = forms.ChoiceField(label="Väg", required=False, choices=[("", "alla"), *Door.choices])
    action = forms.ChoiceField(
        label="Händelse", required=False, choices=[("", "alla"), *Action.choices]
    )
    since = forms.DateField(
        label="Från och med", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="Till och med", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, users: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "alla"), *model_choices()]
        self.fields["user"].choices = [("", "alla"), *users]


# ---------------------------------------------------------------------------------------------
# Workflow
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def plan_submit_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(user=request.user, plan_id=plan_id)
    step = TransitionAction.SUBMIT
    if refused := _refusal(request, plan, step):
        return refused
    if request.method == "POST":
        return _act(request, plan, step, lambda: plan_submit(plan=plan, by=request.user), SUBMITTED)
    return _confirm(request, plan, step)


@require_http_methods(["GET", "POST"])
@login_required
def plan_return_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(user=request.user, plan_id=plan_id)
    step = TransitionAction.RETURN
    if refused := _refusal(request, plan, step):
        return refused
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        return _act(
            request,
            plan,
            step,
            lambda: plan_return_to_draft(plan=plan, by=request.user, comment=comment),
            RETURNED,
            form=form,
        )
    return _confirm(request, plan, step, form=form)


@require_http_methods(["GET", "POST"])
@login_required
def plan_approve_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(user=request.user, plan_id=plan_id)
    step = TransitionAction.APPROVE
    if refused := _refusal(request, plan, step):
        return refused
    form = ApproveForm(request.POST or None, initial={"dnr": plan.dnr})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _act(
            request,
            plan,
            step,
            lambda: plan_approve(
                plan=plan,
                by=request.user,
                decided_on=data["decided_on"],
                minutes_paragraph=data["minutes_paragraph"],
                dnr=data["dnr"],
            ),
            APPROVED,
            form=form,
        )
    return _confirm(request, plan, step, form=form)


@require_http_methods(["GET", "POST"])
@login_required
def plan_revise_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(user=request.user, plan_id=plan_id)
    step = TransitionAction.REVISE
    if refused := _refusal(request, plan, step):
        return refused
    if request.method == "POST":
        return _act(request, plan, step, lambda: plan_revise(plan=plan, by=request.user), REVISED)
    return _confirm(request, plan, step)


def _refusal(request: HttpRequest, plan: Plan, step: str) -> HttpResponse | None:
    """Answer a step the plan's status does not allow with 409 and the reason; raise 403 for a
    step the user's role does not allow; None if the step may be taken."""
    refusal = step_refusal(plan=plan, step=step, user=request.user)
    if isinstance(refusal, TransitionNotAllowed):
        return _refused(request, plan, step, refusal.message, status=409)
    if refusal is not None:
        raise refusal
    return None


def _confirm(
    request: HttpRequest, plan: Plan, step: str, *, form: forms.Form | None = None
) -> HttpResponse:
    """The page of a step: what it does, and its form."""
    return render(
        request,
        "plans/workflow/step.html",
        {"plan": plan, "step": step, "form": form, "title": STEP_TITLES[step]},
        status=400 if form is not None and form.is_bound and not form.is_valid() else 200,
    )


def _act(
    request: HttpRequest,
    plan: Plan,
    step: str,
    service: Any,
    done: str,
    *,
    form: forms.Form | None = None,
) -> HttpResponse:
    try:
        result = service()
    except TransitionNotAllowed as error:
        return _refused(request, plan, step, error.message, status=409)
    except ValidationError as error:
        if form is None:
            raise
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
        return render(
            request,
            "plans/workflow/step.html",
            {"plan": plan, "step": step, "form": form, "title": STEP_TITLES[step]},
            status=400,
        )
    messages.success(request, done)
    return redirect("plans:plan_detail", plan_id=result.pk)


def _refused(
    request: HttpRequest, plan: Plan, step: str, message: str, *, status: int
) -> HttpResponse:
    return render(
        request,
        "plans/workflow/step.html",
        {"plan": plan, "step": step, "refused": message, "title": STEP_TITLES[step]},
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------------------------


@require_GET
@login_required
def plan_history_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_for_history(request, plan_id)
    form = HistoryFilterForm(request.GET or None, users=plan_history_users(plan=plan))
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "model": data["model"] or None,
            "user_id": data["user"],
            "door": data["door"] or None,
            "action": data["action"] or None,
            "since": data["since"],
            "until": data["until"],
        }
    events = plan_history(plan=plan, **filters)
    page = Paginator(events, HISTORY_PAGE_SIZE).get_page(request.GET.get("sida"))
    names = user_names(event.user_id for event in page.object_list)
    rows = [
        {
            "event": event,
            "model_name": model_name(event.model),
            "user_name": names.get(event.user_id, "") if event.user_id else "",
            "changes": event_changes(event),
        }
        for event in page.object_list
    ]
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "plans/history.html",
        {
            "plan": plan,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "filtered": any(value not in (None, "") for value in filters.values()),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _plan_for_history(request: HttpRequest, plan_id: int) -> Plan:
    plans = scope_to_user(
        Plan.objects.select_related("association"), request.user, roles=HISTORY_ROLES
    )
    return get_object_or_404(plans, pk=plan_id)
