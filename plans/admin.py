"""Django admin for associations and their plans, in Swedish; the fallback editor for the office.

Access follows the roles (``plans.Membership``), not Django's model permissions: a site
administrator sees everything; any other staff user sees the associations where they have a
membership and may add, change or delete only where their role is kansli. An approved plan, and
every row that belongs to it, is read-only here for everyone.

The scoping machinery (``ScopedModelAdmin``, ``ScopedTabularInline``, ``ScopedStackedInline``,
``ScopedModelForm``) is shared by ``budget.admin`` and ``goals.admin``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from budget.models import BudgetColumn, BudgetGroup
from finsam.roles import EDIT_ROLES, READ_ROLES, scope_to_user
from goals.models import GoalArea
from plans.models import (
    Association,
    BoardSeat,
    ContributionShare,
    Group,
    GroupMember,
    Member,
    Membership,
    Plan,
    PlanStatus,
    Project,
    Section,
    StaffMember,
    TimetableEntry,
)

admin.site.site_header = _("Finsam planer – administration")
admin.site.site_title = _("Finsam planer")
admin.site.index_title = _("Administration")

MEMBER_NOT_IN_ASSOCIATION = _("Medlemmen hör inte till planens förbund.")
NOT_IN_PLAN = _("Valet hör inte till samma verksamhetsplan.")
REVISION_NOT_IN_ASSOCIATION = _("Planen som revideras måste höra till samma förbund.")
REVISION_OF_ITSELF = _("En plan kan inte revidera sig själv.")
NOT_FOUND = _("Det finns ingen sådan rad, eller så saknar du behörighet till den.")
APPROVAL_IS_THE_BOARDS = _(
    "Styrelsen fastställer planen; här kan bara en webbplatsadministratör sätta status fastställd."
)
APPROVED_WITHOUT_DATE = _("En fastställd plan måste ha ett beslutsdatum.")

# How each domain model reaches its association: the lookup ``scope_to_user`` takes ("" is the
# association itself). Its first step is the row's owner, the foreign key that places it.
ASSOCIATION_PATHS: dict[str, str] = {
    "plans.association": "",
    "plans.member": "association",
    "plans.membership": "association",
    "plans.plan": "association",
    "plans.contributionshare": "plan__association",
    "plans.boardseat": "plan__association",
    "plans.staffmember": "plan__association",
    "plans.group": "plan__association",
    "plans.groupmember": "group__plan__association",
    "plans.project": "plan__association",
    "plans.section": "plan__association",
    "plans.timetableentry": "plan__association",
    "budget.budgetcolumn": "plan__association",
    "budget.budgetgroup": "plan__association",
    "budget.budgetline": "group__plan__association",
    "budget.budgetamount": "line__group__plan__association",
    "goals.goalarea": "plan__association",
    "goals.goal": "area__plan__association",
    "goals.target": "goal__area__plan__association",
    "goals.outcome": "target__goal__area__plan__association",
}

ASSOCIATION_FILTER = ("plan__association", admin.RelatedOnlyFieldListFilter)


def _label(model_or_obj: type[Model] | Model) -> str:
    return model_or_obj._meta.label_lower


def association_path(model: type[Model]) -> str:
    return ASSOCIATION_PATHS[_label(model)]


def plan_path(model: type[Model]) -> str | None:
    """Return the lookup from ``model`` to its plan, "" for a plan, None if it has no plan.

    A model outside the domain (the user of a membership) has no plan either.
    """
    if model is Plan:
        return ""
    path = ASSOCIATION_PATHS.get(_label(model), "")
    if path.endswith("plan__association"):
        return path.removesuffix("__association")
    return None


def owner_field(model: type[Model]) -> str:
    """Return the name of the foreign key that places a row of ``model`` in its association."""
    return association_path(model).split("__")[0]


def _follow(obj: Model | None, path: str) -> Any:
    for step in path.split("__") if path else ():
        if obj is None:
            return None
        obj = getattr(obj, step)
    return obj


def _id_at(obj: Model, path: str) -> int | None:
    """Return the id at the end of ``path`` from ``obj``, without fetching the last object."""
    if path == "":
        return obj.pk
    *head, last = path.split("__")
    holder = _follow(obj, "__".join(head))
    return None if holder is None else getattr(holder, f"{last}_id")


def association_id_of(obj: Model) -> int | None:
    return _id_at(obj, association_path(type(obj)))


def plan_of(obj: Model) -> Plan | None:
    path = plan_path(type(obj))
    return None if path is None else _follow(obj, path)


def plan_id_of(obj: Model) -> int | None:
    path = plan_path(type(obj))
    return None if path is None else _id_at(obj, path)


# ---------------------------------------------------------------------------------------------
# Who may do what, worked out once per request.
# ---------------------------------------------------------------------------------------------


@dataclass
class _Access:
    superuser: bool
    roles: dict[int, str]
    # A plan's approval as first seen in this request: the change form edits the same instance in
    # memory, and a form that fails validation must not turn the page read-only.
    locked: dict[int, bool] = field(default_factory=dict)


def _access(request: HttpRequest) -> _Access:
    access: _Access | None = getattr(request, "_finsam_admin_access", None)
    if access is None:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            access = _Access(superuser=False, roles={})
        elif user.is_superuser:
            access = _Access(superuser=True, roles={})
        else:
            roles = Membership.objects.filter(user=user, role__in=READ_ROLES)
            access = _Access(
                superuser=False, roles=dict(roles.values_list("association_id", "role"))
            )
        request._finsam_admin_access = access  # type: ignore[attr-defined]
    return access


def plan_is_locked(request: HttpRequest, plan: Plan | None) -> bool:
    if plan is None or plan.pk is None:
        return False
    locked = _access(request).locked
    if plan.pk not in locked:
        locked[plan.pk] = plan.status == PlanStatus.APPROVED
    return locked[plan.pk]


def may_view(request: HttpRequest, obj: Model | None = None) -> bool:
    access = _access(request)
    if access.superuser:
        return True
    if obj is None:
        return bool(access.roles)
    return association_id_of(obj) in access.roles


def may_edit(request: HttpRequest, obj: Model | None = None) -> bool:
    """Return whether the user may add (``obj`` None), change or delete ``obj``."""
    if obj is not None and plan_is_locked(request, plan_of(obj)):
        return False
    access = _access(request)
    if access.superuser:
        return True
    if obj is None:
        return any(role in EDIT_ROLES for role in access.roles.values())
    return access.roles.get(association_id_of(obj)) in EDIT_ROLES


def choices_for(
    model: type[Model], request: HttpRequest, *, editable: bool
) -> QuerySet[Any] | None:
    """Return the rows of ``model`` the user may pick, None for a model outside the domain.

    ``editable`` narrows to associations where the user is kansli and to plans not yet approved:
    the choices for a row's owner.
    """
    if _label(model) not in ASSOCIATION_PATHS:
        return None
    queryset = scope_to_user(
        model._default_manager.all(),
        request.user,
        association_path=association_path(model),
        roles=EDIT_ROLES if editable else READ_ROLES,
    )
    path = plan_path(model)
    if editable and path is not None:
        queryset = queryset.exclude(
            **{f"{path}__status" if path else "status": PlanStatus.APPROVED}
        )
    return queryset


def narrow_choices(form_class: type[forms.BaseForm], context: Model, *, skip: str = "") -> None:
    """Limit the form's choices to the plan (or association) of ``context``.

    ``form_class`` must be fresh from ``modelform_factory`` (the admin builds one per request),
    since this changes its fields. The form's ``clean`` checks the same rule with the same
    message, for the add page, where the plan is not known before the form is sent.
    """
    plan = context if isinstance(context, Plan) else plan_of(context)
    association_id = association_id_of(context)
    for name, formfield in form_class.base_fields.items():
        if name == skip or not isinstance(formfield, forms.ModelChoiceField):
            continue
        model = formfield.queryset.model
        path = plan_path(model)
        if model is Member:
            formfield.queryset = formfield.queryset.filter(association_id=association_id)
            message = MEMBER_NOT_IN_ASSOCIATION
        elif model is Plan:
            formfield.queryset = formfield.queryset.filter(association_id=association_id)
            if plan is not None and plan.pk is not None:
                formfield.queryset = formfield.queryset.exclude(pk=plan.pk)
            message = REVISION_NOT_IN_ASSOCIATION
        elif path and plan is not None:
            formfield.queryset = formfield.queryset.filter(**{path: plan})
            message = NOT_IN_PLAN
        else:
            continue
        formfield.error_messages["invalid_choice"] = message


class ScopedModelForm(forms.ModelForm):
    """A form that refuses a choice from another plan or association than the row's own."""

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        owner_name = owner_field(self._meta.model)
        owner = cleaned_data.get(owner_name)
        if owner is None:
            return cleaned_data
        for name, value in list(cleaned_data.items()):
            if name == owner_name or not isinstance(value, Model):
                continue
            message = self.choice_error(name, value, owner=owner)
            if message:
                self.add_error(name, message)
        return cleaned_data

    def choice_error(self, name: str, value: Model, *, owner: Model) -> str | None:
        """Return why ``value`` may not be chosen for field ``name``, or None if it may."""
        if _label(value) not in ASSOCIATION_PATHS:
            return None
        association_id = association_id_of(owner)
        if isinstance(value, Member):
            return None if value.association_id == association_id else MEMBER_NOT_IN_ASSOCIATION
        if isinstance(value, Plan):
            if value.association_id != association_id:
                return REVISION_NOT_IN_ASSOCIATION
            if self.instance.pk is not None and value.pk == self.instance.pk:
                return REVISION_OF_ITSELF
            return None
        plan = owner if isinstance(owner, Plan) else plan_of(owner)
        if plan is None or plan.pk is None or plan_id_of(value) != plan.pk:
            return NOT_IN_PLAN
        return None


# ---------------------------------------------------------------------------------------------
# Base classes.
# ---------------------------------------------------------------------------------------------

MONEY_OVERRIDES: dict[type[models.Field], dict[str, Any]] = {
    # Swedish input: "3 216 600,50".
    MoneyField: {"localize": True},
}


class ScopedModelAdmin(admin.ModelAdmin):
    """A model admin that shows a user their associations' rows and lets kansli edit them."""

    form = ScopedModelForm
    formfield_overrides = MONEY_OVERRIDES
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_to_user(
            super().get_queryset(request),
            request.user,
            association_path=association_path(self.model),
        )

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Model:
        """Return the row; answer 404 for a row that is missing or out of the user's reach.

        The stock admin redirects to its index with a message instead; the admin answers like
        every other page of the site.
        """
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(NOT_FOUND)
        return obj

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_view(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_view(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_edit(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit(request, obj)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if "queryset" not in kwargs:
            editable = db_field.name == owner_field(self.model)
            queryset = choices_for(db_field.related_model, request, editable=editable)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            narrow_choices(form, obj, skip=owner_field(self.model))
        return form


class _ScopedInlineMixin:
    """Rights on an inline are the parent's (``obj`` is the parent): edit where it is editable."""

    form = ScopedModelForm
    formfield_overrides = MONEY_OVERRIDES
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_view(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_edit(request, obj)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if "queryset" not in kwargs:
            queryset = choices_for(db_field.related_model, request, editable=False)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def get_formset(
        self, request: HttpRequest, obj: Model | None = None, **kwargs: Any
    ) -> type[forms.BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        if obj is not None:
            narrow_choices(formset.form, obj)
        return formset


class ScopedTabularInline(_ScopedInlineMixin, admin.TabularInline):
    pass


class ScopedStackedInline(_ScopedInlineMixin, admin.StackedInline):
    pass


SMALL_TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


# ---------------------------------------------------------------------------------------------
# The association.
# ---------------------------------------------------------------------------------------------


class MemberInline(ScopedTabularInline):
    model = Member
    fields = ("name", "kind", "order")


class MembershipInline(ScopedTabularInline):
    """Who may use the association's data. Granting access is the site administrators' job."""

    model = Membership
    fields = ("user", "role")
    autocomplete_fields = ("user",)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _access(request).superuser

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _access(request).superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _access(request).superuser

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).select_related("user")


@admin.register(Association)
class AssociationAdmin(ScopedModelAdmin):
    list_display = ("name", "org_number", "region", "founded")
    list_filter = ("region",)
    search_fields = ("name", "org_number")
    fieldsets = (
        (None, {"fields": ("name", "org_number", "founded", "region", "vision")}),
        (
            _("Gränsvärden för kontrollerna"),
            {
                "fields": ("equity_limit_pct", "admin_share_limit_pct", "share_tolerance_pct"),
                "description": _("Budgetkontrollerna för förbundets planer använder dessa värden."),
            },
        ),
    )
    inlines = (MemberInline, MembershipInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _access(request).superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _access(request).superuser


# ---------------------------------------------------------------------------------------------
# The plan.
# ---------------------------------------------------------------------------------------------


class PlanForm(ScopedModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        if (
            cleaned_data.get("status") == PlanStatus.APPROVED
            and not cleaned_data.get("decided_on")
            and "decided_on" not in self.errors
        ):
            self.add_error("decided_on", APPROVED_WITHOUT_DATE)
        return cleaned_data


class ContributionShareInline(ScopedTabularInline):
    model = ContributionShare
    fields = ("member", "share_pct")


class BoardSeatInline(ScopedTabularInline):
    model = BoardSeat
    fields = ("member", "role", "person", "position", "term_start", "term_end")


class StaffMemberInline(ScopedTabularInline):
    model = StaffMember
    fields = ("name", "role", "fte", "employer", "order")


class GroupInline(ScopedTabularInline):
    model = Group
    fields = ("name", "kind", "order")
    show_change_link = True


class ProjectInline(ScopedStackedInline):
    model = Project
    fields = (
        ("name", "kind", "status"),
        ("owner", "cofinancing"),
        ("starts_on", "ends_on", "order"),
        "description",
    )
    formfield_overrides = {**MONEY_OVERRIDES, **SMALL_TEXTAREA}


class SectionInline(ScopedStackedInline):
    model = Section
    fields = (("title", "level", "order"), "body")
    classes = ("collapse",)


class TimetableEntryInline(ScopedTabularInline):
    model = TimetableEntry
    fields = ("year", "month", "event", "order")


class BudgetColumnInline(ScopedTabularInline):
    model = BudgetColumn
    fields = ("kind", "year", "label", "order")


class BudgetGroupInline(ScopedTabularInline):
    """The groups of the budget; their lines are edited on each group's own page."""

    model = BudgetGroup
    fields = ("kind", "name", "total_label", "order")
    show_change_link = True


class GoalAreaInline(ScopedTabularInline):
    model = GoalArea
    fields = ("name", "order")
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(ScopedModelAdmin):
    form = PlanForm
    list_display = ("title", "year_label", "revision", "association", "status", "decided_on")
    list_display_links = ("title",)
    list_filter = (("association", admin.RelatedOnlyFieldListFilter), "year", "status")
    list_select_related = ("association",)
    search_fields = ("title", "dnr", "association__name")
    autocomplete_fields = ("association", "revision_of")
    readonly_fields = ("version", "created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "association",
                    ("year", "revision", "revision_of"),
                    "title",
                    ("dnr", "attachment_label"),
                )
            },
        ),
        (_("Beslut"), {"fields": ("status", ("decided_on", "minutes_paragraph"))}),
        (_("Budget"), {"fields": ("opening_equity", "display_unit", "costs_negative")}),
        (
            _("Ändringar"),
            {"fields": ("version", "created_at", "updated_at"), "classes": ("collapse",)},
        ),
    )
    inlines = (
        ContributionShareInline,
        BoardSeatInline,
        StaffMemberInline,
        GroupInline,
        ProjectInline,
        SectionInline,
        TimetableEntryInline,
        BudgetColumnInline,
        BudgetGroupInline,
        GoalAreaInline,
    )

    def formfield_for_choice_field(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.ChoiceField:
        # The board approves a plan through the workflow; the admin is no side door for that.
        approves = db_field.name == "status" and not _access(request).superuser
        if approves:
            kwargs["choices"] = [c for c in PlanStatus.choices if c[0] != PlanStatus.APPROVED]
        formfield = super().formfield_for_choice_field(db_field, request, **kwargs)
        if approves:
            formfield.error_messages["invalid_choice"] = APPROVAL_IS_THE_BOARDS
        return formfield

    @admin.display(description=_("år"), ordering="year")
    def year_label(self, plan: Plan) -> str:
        # A year is not a number to group: "2025", not "2 025".
        return str(plan.year)


# ---------------------------------------------------------------------------------------------
# Groups and their people.
# ---------------------------------------------------------------------------------------------


class GroupMemberInline(ScopedTabularInline):
    model = GroupMember
    fields = ("person", "member", "role", "order")


@admin.register(Group)
class GroupAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "plan")
    list_filter = (ASSOCIATION_FILTER, "plan__year", "plan__status", "kind")
    list_select_related = ("plan__association",)
    search_fields = ("name", "plan__title", "plan__association__name")
    autocomplete_fields = ("plan",)
    fields = ("plan", "name", "kind", "description", "order")
    inlines = (GroupMemberInline,)
