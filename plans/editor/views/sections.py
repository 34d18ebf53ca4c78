"""Prose sections: the list, one section with its live preview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from budget.selectors import plan_summary
from plans.editor import forms as editor_forms
from plans.editor.services import (
    EditConflictError,
    row_form_save,
    section_add,
    section_delete,
    section_move,
)
from plans.editor.views.common import SAVED, plan_editor
from plans.models import Plan, Section
from plans.rendering.livefigures import LiveFigures, prose_findings


@require_http_methods(["GET", "POST"])
@plan_editor
def sections(request: HttpRequest, plan: Plan) -> HttpResponse:
    add_form = editor_forms.NewSectionForm(request.POST if "add" in request.POST else None)
    conflicts: list[str] = []
    if request.method == "POST":
        if "add" in request.POST:
            if add_form.is_valid():
                section = section_add(plan=plan, title=add_form.cleaned_data["title"])
                return redirect("editor:section", plan_id=plan.pk, section_id=section.pk)
        else:
            op, _, raw = request.POST.get("op", "").partition(":")
            section = get_object_or_404(Section, plan=plan, pk=raw if raw.isdigit() else 0)
            if op in ("up", "down"):
                section_move(plan=plan, section=section, step=-1 if op == "up" else 1)
                return redirect(
                    f"{reverse('editor:sections', args=[plan.pk])}#avsnitt-{section.pk}"
                )
            if op == "delete":
                version = request.POST.get(f"version-{section.pk}", "")
                try:
                    section_delete(
                        plan=plan, section=section, version=int(version) if version.isdigit() else 0
                    )
                except EditConflictError as error:
                    conflicts = error.messages
                else:
                    messages.success(request, f"Avsnittet ”{section.title}” är borttaget.")
                    return redirect("editor:sections", plan_id=plan.pk)
    items = list(Section.objects.filter(plan=plan).order_by("order", "id"))
    context = {"plan": plan, "sections": items, "add_form": add_form, "conflicts": conflicts}
    return render(request, "editor/sections.html", context, status=409 if conflicts else 200)


@require_http_methods(["GET", "POST"])
@plan_editor
def section(request: HttpRequest, plan: Plan, section_id: int) -> HttpResponse:
    item = get_object_or_404(Section, plan=plan, pk=section_id)
    data = request.POST.copy() if request.method == "POST" else None
    form = editor_forms.SectionForm(data, instance=item)
    status = 200
    theirs = None
    if data is not None:
        if form.is_valid():
            try:
                row_form_save(plan=plan, form=form, names=form.EDITABLE)
            except EditConflictError as error:
                form.add_error(None, error.messages)
                theirs = Section.objects.get(pk=item.pk)
                status = 409
            else:
                messages.success(request, SAVED)
                return redirect("editor:section", plan_id=plan.pk, section_id=item.pk)
        else:
            status = 400
    body = form["body"].value() or ""
    preview = _prose(plan, body, title=item.title)
    context = {"plan": plan, "section": item, "form": form, "preview": preview, "theirs": theirs}
    return render(request, "editor/section.html", context, status=status)


def _prose(plan: Plan, text: str, *, title: str) -> dict[str, Any]:
    summary = plan_summary(plan=plan)
    rendered = LiveFigures(summary, unit=plan.display_unit).render(text, section=title)
    return {"html": rendered.html, "findings": prose_findings([rendered])}


@require_POST
@plan_editor
def section_preview(request: HttpRequest, plan: Plan) -> HttpResponse:
    """The Markdown posted as the plan page would show it, with its live figures filled in."""
    preview = _prose(plan, request.POST.get("body", ""), title=request.POST.get("title", ""))
    findings = render_to_string(
        "editor/_findings_list.html", {"findings": preview["findings"]}, request=request
    )
    return JsonResponse({"html": preview["html"], "findings": findings})
