"""Members and the shares (fördelningsnyckel), with their sums shown as they are typed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from budget.calc import ShareIn, summarise
from budget.checks import check_shares
from budget.selectors import plan_budget_input
from plans.editor import forms as editor_forms
from plans.editor.services import EditConflictError, member_add, shares_save
from plans.editor.views.common import SAVED, plan_editor
from plans.models import ContributionShare, Member, Plan


def _shares_form(plan: Plan, data: Any = None) -> editor_forms.SharesForm:
    members = list(
        Member.objects.filter(association_id=plan.association_id).order_by("order", "id")
    )
    shares = dict(ContributionShare.objects.filter(plan=plan).values_list("member_id", "share_pct"))
    return editor_forms.SharesForm(data, members=members, shares=shares)


def _shares_status(plan: Plan, form: editor_forms.SharesForm) -> dict[str, Any]:
    """The computation's view of the shares typed: totals per kind and the share check."""
    members = {m.pk: m for m in form.members}
    values = form.shares()
    data = replace(
        plan_budget_input(plan=plan),
        shares=tuple(
            ShareIn(
                member_id=pk,
                member_name=members[pk].name,
                member_kind=members[pk].kind,
                share_pct=value,
            )
            for pk, value in values.items()
        ),
    )
    summary = summarise(data)
    return {
        "total": summary.shares_total_pct,
        "by_kind": summary.shares_by_kind_pct,
        "findings": list(check_shares(summary)),
    }


@require_http_methods(["GET", "POST"])
@plan_editor
def organisation(request: HttpRequest, plan: Plan) -> HttpResponse:
    form = _shares_form(plan, request.POST.copy() if request.method == "POST" else None)
    member_form = editor_forms.NewMemberForm(association=plan.association)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                shares_save(plan=plan, shares=form.shares(), orig=form.cleaned_data["orig"])
            except EditConflictError as error:
                form.add_error(None, error.messages)
                form.data["orig"] = editor_forms.shares_digest(
                    dict(
                        ContributionShare.objects.filter(plan=plan).values_list(
                            "member_id", "share_pct"
                        )
                    )
                )
                status = 409
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 400
            else:
                messages.success(request, SAVED)
                return redirect("editor:organisation", plan_id=plan.pk)
        else:
            status = 400
    context = {
        "plan": plan,
        "form": form,
        "member_form": member_form,
        "status": _shares_status(plan, form),
    }
    return render(request, "editor/organisation.html", context, status=status)


@require_POST
@plan_editor
def shares_preview(request: HttpRequest, plan: Plan) -> HttpResponse:
    form = _shares_form(plan, request.POST)
    status = _shares_status(plan, form)
    html = render_to_string("editor/_shares_status.html", {"status": status}, request=request)
    errors = {
        form[name].html_name: " ".join(errs)
        for name, errs in form.errors.items()
        if name != "__all__"
    }
    return JsonResponse({"html": html, "errors": errors})


@require_POST
@plan_editor
def member_new(request: HttpRequest, plan: Plan) -> HttpResponse:
    form = editor_forms.NewMemberForm(request.POST, association=plan.association)
    if form.is_valid():
        member = member_add(plan=plan, form=form)
        messages.success(request, f"{member.name} är tillagd som medlem i förbundet.")
        return redirect("editor:organisation", plan_id=plan.pk)
    context = {
        "plan": plan,
        "form": (shares := _shares_form(plan)),
        "member_form": form,
        "status": _shares_status(plan, shares),
    }
    return render(request, "editor/organisation.html", context, status=400)
