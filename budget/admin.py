"""Django admin for the budget: groups with their lines, lines with their amounts.

Columns and groups are entered on the plan's page; a group's page holds its lines, a line's page
its amounts. Access and choices are scoped as described in ``plans.admin``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetAmount, BudgetGroup, BudgetLine
from plans.admin import (
    ASSOCIATION_FILTER,
    MONEY_OVERRIDES,
    SMALL_TEXTAREA,
    ScopedModelAdmin,
    ScopedModelForm,
    ScopedTabularInline,
)
from plans.models import Plan

PARENT_NOT_IN_GROUP = _("Huvudraden måste höra till samma budgetgrupp.")
PARENT_IS_ITSELF = _("En rad kan inte vara sin egen huvudrad.")


class BudgetLineForm(ScopedModelForm):
    def choice_error(self, name: str, value: Model, *, owner: Model) -> str | None:
        if name == "parent" and isinstance(value, BudgetLine):
            if self.instance.pk is not None and value.pk == self.instance.pk:
                return PARENT_IS_ITSELF
            if owner.pk is None or value.group_id != owner.pk:
                return PARENT_NOT_IN_GROUP
            return None
        return super().choice_error(name, value, owner=owner)


class BudgetLineInline(ScopedTabularInline):
    model = BudgetLine
    form = BudgetLineForm
    fk_name = "group"
    fields = ("name", "parent", "project", "member", "footnote", "order")
    formfield_overrides = {**MONEY_OVERRIDES, **SMALL_TEXTAREA}
    show_change_link = True

    def get_formset(
        self, request: HttpRequest, obj: Model | None = None, **kwargs: Any
    ) -> type[forms.BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        parent = formset.form.base_fields.get("parent")
        if obj is not None and isinstance(parent, forms.ModelChoiceField):
            parent.queryset = parent.queryset.filter(group=obj)
            parent.error_messages["invalid_choice"] = PARENT_NOT_IN_GROUP
        return formset


@admin.register(BudgetGroup)
class BudgetGroupAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "plan", "order")
    list_filter = (ASSOCIATION_FILTER, "plan__year", "plan__status", "kind")
    list_select_related = ("plan__association",)
    search_fields = ("name", "plan__title", "plan__association__name")
    autocomplete_fields = ("plan",)
    fields = ("plan", "kind", "name", "total_label", "order")
    inlines = (BudgetLineInline,)


class BudgetAmountInline(ScopedTabularInline):
    model = BudgetAmount
    fields = ("column", "amount")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("column")


@admin.register(BudgetLine)
class BudgetLineAdmin(ScopedModelAdmin):
    form = BudgetLineForm
    list_display = ("name", "group", "plan", "parent", "project", "member")
    list_filter = (
        ("group__plan__association", admin.RelatedOnlyFieldListFilter),
        "group__plan__year",
        "group__plan__status",
        "group__kind",
    )
    list_select_related = ("group__plan__association", "parent", "project", "member")
    search_fields = ("name", "group__name", "footnote")
    autocomplete_fields = ("group",)
    fields = ("group", "name", "parent", "project", "member", "footnote", "order")
    inlines = (BudgetAmountInline,)

    @admin.display(description=_("plan"), ordering="group__plan")
    def plan(self, line: BudgetLine) -> Plan:
        return line.group.plan

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        parent = form.base_fields.get("parent")
        if isinstance(obj, BudgetLine) and isinstance(parent, forms.ModelChoiceField):
            parent.queryset = parent.queryset.filter(group_id=obj.group_id).exclude(pk=obj.pk)
            parent.error_messages["invalid_choice"] = PARENT_NOT_IN_GROUP
        return form
