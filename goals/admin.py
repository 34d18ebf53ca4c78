"""Django admin for goals: areas → goals → targets → outcomes, each page holding the next level.

Access and choices are scoped as described in ``plans.admin``.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from goals.models import Goal, GoalArea, Outcome, Target
from plans.admin import (
    ASSOCIATION_FILTER,
    MONEY_OVERRIDES,
    SMALL_TEXTAREA,
    ScopedModelAdmin,
    ScopedStackedInline,
    ScopedTabularInline,
)
from plans.models import Plan


class GoalInline(ScopedStackedInline):
    model = Goal
    fields = ("indicator", ("measurement", "reporting"), "comment", "order")
    formfield_overrides = {**MONEY_OVERRIDES, **SMALL_TEXTAREA}
    show_change_link = True


@admin.register(GoalArea)
class GoalAreaAdmin(ScopedModelAdmin):
    list_display = ("name", "plan", "order")
    list_filter = (ASSOCIATION_FILTER, "plan__year", "plan__status")
    list_select_related = ("plan__association",)
    search_fields = ("name", "plan__title", "plan__association__name")
    autocomplete_fields = ("plan",)
    fields = ("plan", "name", "description", "order")
    inlines = (GoalInline,)


class TargetInline(ScopedTabularInline):
    model = Target
    fields = (
        "kind",
        "value",
        "unit",
        "text",
        "project",
        "previous_value",
        "previous_text",
        "order",
    )
    formfield_overrides = {**MONEY_OVERRIDES, **SMALL_TEXTAREA}
    show_change_link = True


@admin.register(Goal)
class GoalAdmin(ScopedModelAdmin):
    list_display = ("short_indicator", "area", "plan", "order")
    list_filter = (
        ("area__plan__association", admin.RelatedOnlyFieldListFilter),
        "area__plan__year",
        "area__plan__status",
    )
    list_select_related = ("area__plan__association",)
    search_fields = ("indicator", "area__name", "comment")
    autocomplete_fields = ("area",)
    fields = ("area", "indicator", "measurement", "reporting", "comment", "order")
    inlines = (TargetInline,)

    @admin.display(description=_("indikator"), ordering="indicator")
    def short_indicator(self, goal: Goal) -> str:
        return Truncator(goal.indicator).chars(80)

    @admin.display(description=_("plan"), ordering="area__plan")
    def plan(self, goal: Goal) -> Plan:
        return goal.area.plan


class OutcomeInline(ScopedTabularInline):
    model = Outcome
    fields = ("period", "value", "text", "recorded_on")
    formfield_overrides = {**MONEY_OVERRIDES, **SMALL_TEXTAREA}


@admin.register(Target)
class TargetAdmin(ScopedModelAdmin):
    list_display = ("__str__", "kind", "goal", "project", "plan")
    list_filter = (
        ("goal__area__plan__association", admin.RelatedOnlyFieldListFilter),
        "goal__area__plan__year",
        "goal__area__plan__status",
        "kind",
    )
    list_select_related = ("goal__area__plan__association", "project")
    search_fields = ("text", "unit", "goal__indicator", "project__name")
    autocomplete_fields = ("goal",)
    fields = (
        "goal",
        ("kind", "value", "unit"),
        "text",
        "project",
        ("previous_value", "previous_text"),
        "order",
    )
    inlines = (OutcomeInline,)

    @admin.display(description=_("plan"), ordering="goal__area__plan")
    def plan(self, target: Target) -> Plan:
        return target.goal.area.plan
