"""Lists of rows edited as formsets: board, office, groups, projects, goals and timetable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goals.models import Goal, GoalArea, Target
from plans.editor import forms as editor_forms
from plans.editor.services import EditConflictError, formset_save
from plans.editor.views.common import SAVED, PlanView, plan_editor
from plans.models import BoardSeat, Group, GroupMember, Plan, Project, StaffMember, TimetableEntry


@dataclass(frozen=True)
class RowsPage:
    title: str
    formset: type[editor_forms.EditorFormSet]
    rows: Callable[[Plan, Any], QuerySet]  # (plan, parent) -> the rows
    parent: Callable[[Plan, dict[str, int]], Any]  # (plan, url kwargs) -> the parent row
    owner: str  # the field of a new row that points at the parent
    intro: str = ""
    link: Callable[[Plan, Any], tuple[str, str]] | None = None  # (plan, row) -> (url, text)
    back: Callable[[Plan, Any], tuple[str, str]] | None = None


def _plan_parent(plan: Plan, kwargs: dict[str, int]) -> Plan:
    return plan


ROW_PAGES: dict[str, RowsPage] = {
    "board": RowsPage(
        title="Styrelse",
        formset=editor_forms.BoardFormSet,
        rows=lambda plan, _: BoardSeat.objects.filter(plan=plan).order_by(
            "member__order", "member_id", "-role"
        ),
        parent=_plan_parent,
        owner="plan",
        intro="En ledamot och en ersättare per medlem. Bara en ledamot kan vara ordförande.",
    ),
    "staff": RowsPage(
        title="Kansli",
        formset=editor_forms.StaffFormSet,
        rows=lambda plan, _: StaffMember.objects.filter(plan=plan).order_by("order", "id"),
        parent=_plan_parent,
        owner="plan",
    ),
    "groups": RowsPage(
        title="Grupper",
        formset=editor_forms.GroupsFormSet,
        rows=lambda plan, _: Group.objects.filter(plan=plan).order_by("order", "id"),
        parent=_plan_parent,
        owner="plan",
        link=lambda plan, group: (
            reverse("editor:group_people", args=[plan.pk, group.pk]),
            f"Personer i {group.name}",
        ),
    ),
    "group_people": RowsPage(
        title="Personer i gruppen",
        formset=editor_forms.GroupPeopleFormSet,
        rows=lambda plan, group: GroupMember.objects.filter(group=group).order_by("order", "id"),
        parent=lambda plan, kw: get_object_or_404(Group, plan=plan, pk=kw["group_id"]),
        owner="group",
        back=lambda plan, group: (reverse("editor:groups", args=[plan.pk]), "Alla grupper"),
    ),
    "projects": RowsPage(
        title="Insatser och projekt",
        formset=editor_forms.ProjectsFormSet,
        rows=lambda plan, _: Project.objects.filter(plan=plan).order_by("order", "id"),
        parent=_plan_parent,
        owner="plan",
    ),
    "goal_areas": RowsPage(
        title="Målområden",
        formset=editor_forms.GoalAreasFormSet,
        rows=lambda plan, _: GoalArea.objects.filter(plan=plan).order_by("order", "id"),
        parent=_plan_parent,
        owner="plan",
        link=lambda plan, area: (
            reverse("editor:goals", args=[plan.pk, area.pk]),
            f"Mål i {area.name}",
        ),
    ),
    "goals": RowsPage(
        title="Mål",
        formset=editor_forms.GoalsFormSet,
        rows=lambda plan, area: Goal.objects.filter(area=area).order_by("order", "id"),
        parent=lambda plan, kw: get_object_or_404(GoalArea, plan=plan, pk=kw["area_id"]),
        owner="area",
        link=lambda plan, goal: (
            reverse("editor:targets", args=[plan.pk, goal.area_id, goal.pk]),
            "Målvärden",
        ),
        back=lambda plan, area: (reverse("editor:goal_areas", args=[plan.pk]), "Alla målområden"),
    ),
    "targets": RowsPage(
        title="Målvärden",
        formset=editor_forms.TargetsFormSet,
        rows=lambda plan, goal: Target.objects.filter(goal=goal).order_by("order", "id"),
        parent=lambda plan, kw: get_object_or_404(
            Goal, area__plan=plan, area_id=kw["area_id"], pk=kw["goal_id"]
        ),
        owner="goal",
        intro="Ett målvärde per insats, eller ett för hela målet. Förra årets mål visas bredvid "
        "årets i planen.",
        back=lambda plan, goal: (
            reverse("editor:goals", args=[plan.pk, goal.area_id]),
            "Alla mål i området",
        ),
    ),
    "timetable": RowsPage(
        title="Tidplan",
        formset=editor_forms.TimetableFormSet,
        rows=lambda plan, _: TimetableEntry.objects.filter(plan=plan).order_by(
            "year", "month", "order", "id"
        ),
        parent=_plan_parent,
        owner="plan",
        intro="Händelser per månad. Ordningen gäller inom samma månad.",
    ),
}


def rows_page(kind: str) -> PlanView:
    page = ROW_PAGES[kind]

    @require_http_methods(["GET", "POST"])
    @plan_editor
    def view(request: HttpRequest, plan: Plan, **kwargs: int) -> HttpResponse:
        parent = page.parent(plan, kwargs)
        queryset = page.rows(plan, parent)
        data = request.POST.copy() if request.method == "POST" else None
        formset = page.formset(data, queryset=queryset, plan=plan, prefix="rad")
        status = 200
        conflicts: list[str] = []
        if data is not None:
            if formset.is_valid():
                try:
                    formset_save(plan=plan, formset=formset, parent={page.owner: parent})
                except EditConflictError as error:
                    conflicts = error.messages
                    status = 409
                else:
                    messages.success(request, SAVED)
                    return redirect(request.path)
            else:
                status = 400
        rows = [
            (form, page.link(plan, form.instance) if page.link and form.instance.pk else None)
            for form in formset
        ]
        context = {
            "plan": plan,
            "kind": kind,
            "page": page,
            "rows": rows,
            "links": page.link is not None,
            "parent": parent if parent is not plan else None,
            "formset": formset,
            "back": page.back(plan, parent) if page.back else None,
            "conflicts": conflicts,
        }
        return render(request, "editor/rows.html", context, status=status)

    view.__name__ = f"{kind}_rows"
    return view
