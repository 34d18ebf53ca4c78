"""Forms of the editor pages. Errors are Swedish and stand at their field.

Every form that edits stored rows carries what the person loaded: ``version`` where the model has
one, else ``orig``, a digest of the row's content (``row_digest``). The services compare them
with the database, so a save never silently overwrites someone else's change.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.forms import BaseModelFormSet, modelformset_factory

from finsam.formatting import parse_amount
from goals.models import Goal, GoalArea, Target
from plans.editor.grid import decimal_text
from plans.models import (
    BoardSeat,
    Group,
    GroupMember,
    Member,
    MemberKind,
    Plan,
    Project,
    Section,
    StaffMember,
    TimetableEntry,
)

YEAR_TAKEN = "Förbundet har redan en plan för {year}. Välj ett annat år."
PERCENT_INVALID = "Ange en procentsats, till exempel 2,5 eller −10."
SHARE_INVALID = "Ange andelen i procent, till exempel 11,75."
SHARE_RANGE = "En andel ligger mellan 0 och 100 %."
NAME_TAKEN = "Namnet finns redan i planen."
MEMBER_TAKEN = "Förbundet har redan en medlem med det namnet."

MONTHS = [
    (1, "januari"),
    (2, "februari"),
    (3, "mars"),
    (4, "april"),
    (5, "maj"),
    (6, "juni"),
    (7, "juli"),
    (8, "augusti"),
    (9, "september"),
    (10, "oktober"),
    (11, "november"),
    (12, "december"),
]


def normalised(value: Any) -> Any:
    """A value as a digest sees it: the same for a form's cleaned value and the stored one."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    return value


def row_digest(values: dict[str, Any]) -> str:
    """A short digest of a row's editable values (``{field name: value}``)."""
    content = sorted((name, normalised(value)) for name, value in values.items())
    raw = json.dumps(content, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def instance_values(instance: models.Model, names: list[str]) -> dict[str, Any]:
    """The stored values of ``names`` on ``instance`` (foreign keys as ids)."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        values[name] = field.value_from_object(instance)
    return values


class SwedishDecimalField(forms.CharField):
    """A decimal typed the Swedish way (``11,75``, ``−10``), through ``parse_amount``."""

    def __init__(self, *, places: int = 2, message: str = PERCENT_INVALID, **kwargs: Any) -> None:
        self.places = places
        self.message = message
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            text = decimal_text(value)
            return text.replace("-", "−").replace(".", ",")
        return value

    def to_python(self, value: Any) -> Decimal | None:
        text = (value or "").strip().rstrip("%").strip()
        if not text:
            return None
        try:
            return parse_amount(text, max_places=self.places)
        except ValueError:
            raise forms.ValidationError(self.message) from None


# ---------------------------------------------------------------------------------------------
# A new plan.
# ---------------------------------------------------------------------------------------------


class NewPlanForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=2004, max_value=2200)
    source = forms.ModelChoiceField(
        label="Utgå från",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="En tom plan",
        help_text="Kopiera förra årets plan: kolumnerna flyttas ett år framåt och beloppen tas "
        "från nästa års kolumn där den finns.",
    )
    allocation_change = SwedishDecimalField(
        label="Ändring av medlemsavgifterna, %",
        help_text="Valfritt, bara vid kopiering: till exempel 2,5 eller −10.",
    )

    def __init__(self, *args: Any, association: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        plans = Plan.objects.filter(association=association).order_by("-year", "-revision")
        self.fields["source"].queryset = plans
        self.fields["source"].label_from_instance = lambda p: (
            f"{p.title} {p.year}" + (f" (revision {p.revision})" if p.revision > 1 else "")
        )
        latest = plans.first()
        if latest is not None and not self.is_bound:
            self.initial.setdefault("year", latest.year + 1)
            self.initial.setdefault("source", latest.pk)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if Plan.objects.filter(association=self.association, year=year).exists():
            raise forms.ValidationError(YEAR_TAKEN.format(year=year))
        return year


# ---------------------------------------------------------------------------------------------
# The plan's own fields.
# ---------------------------------------------------------------------------------------------


class PlanSettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = ["title", "dnr", "attachment_label", "display_unit", "costs_negative"]

    EDITABLE = ["title", "dnr", "attachment_label", "display_unit", "costs_negative"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


# ---------------------------------------------------------------------------------------------
# Sections.
# ---------------------------------------------------------------------------------------------


class SectionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Section
        fields = ["title", "level", "body"]
        widgets = {
            "level": forms.Select(
                choices=[(1, "1 – kapitel"), (2, "2 – avsnitt"), (3, "3 – underavsnitt")]
            ),
            "body": forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        }
        help_texts = {
            "body": "Markdown. Tal ur budgeten skrivs som {{adminandel 2022}} eller "
            "{{medlemsavgifter 2022}} och fylls i från beräkningen."
        }

    EDITABLE = ["title", "level", "body"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class NewSectionForm(forms.Form):
    title = forms.CharField(label="Rubrik för nytt avsnitt", max_length=300)


# ---------------------------------------------------------------------------------------------
# Shares (fördelningsnyckel) and members.
# ---------------------------------------------------------------------------------------------


class SharesForm(forms.Form):
    """One share per member of the association; an empty field means the member has none."""

    orig = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, members: list[Member], shares: dict[int, Decimal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.stored = shares
        for member in members:
            self.fields[f"share-{member.pk}"] = SwedishDecimalField(
                label=member.name,
                places=6,
                message=SHARE_INVALID,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "share-input"}),
            )
            if member.pk in shares:
                self.initial[f"share-{member.pk}"] = shares[member.pk]
        if not self.is_bound:
            self.initial["orig"] = shares_digest(shares)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for member in self.members:
            value = cleaned.get(f"share-{member.pk}")
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                self.add_error(f"share-{member.pk}", SHARE_RANGE)
        return cleaned

    def shares(self) -> dict[int, Decimal]:
        """Member id -> share: as typed where it parses, as stored for an unbound form."""
        if not self.is_bound:
            return dict(self.stored)
        self.is_valid()
        return {
            member.pk: self.cleaned_data[f"share-{member.pk}"]
            for member in self.members
            if self.cleaned_data.get(f"share-{member.pk}") is not None
        }

    def member_fields(self) -> list[tuple[Member, forms.BoundField]]:
        return [(member, self[f"share-{member.pk}"]) for member in self.members]


def shares_digest(shares: dict[int, Decimal]) -> str:
    return row_digest({str(pk): value for pk, value in shares.items()})


class NewMemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "kind"]
        labels = {"name": "Ny medlems namn", "kind": "Slag"}

    def __init__(self, *args: Any, association: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.association = association
        self.fields["kind"].choices = MemberKind.choices

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Member.objects.filter(association=self.instance.association, name=name).exists():
            raise forms.ValidationError(MEMBER_TAKEN)
        return name


# ---------------------------------------------------------------------------------------------
# Lists of rows: one formset per kind of row, with a digest (or a version) per row.
# ---------------------------------------------------------------------------------------------


class EditorFormSet(BaseModelFormSet):
    """A formset of one plan's rows. Each form carries ``orig``: its row's content as loaded.

    ``unique_names`` are fields whose values must differ between the rows (names unique per plan).
    """

    unique_names: tuple[str, ...] = ()

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        self.plan = plan
        self._choices: dict[str, list[tuple[Any, str]]] = {}
        super().__init__(*args, **kwargs)

    def editable(self) -> list[str]:
        return [name for name in self.form._meta.fields if name != "ORDER"]

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["orig"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if form.instance.pk is not None and not form.is_bound:
            form.initial["orig"] = row_digest(instance_values(form.instance, self.editable()))
        if "version" in {f.name for f in form.instance._meta.concrete_fields}:
            form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
            if form.instance.pk is not None and not form.is_bound:
                form.initial["version"] = form.instance.version
        self.limit_choices(form)

    def limit_choices(self, form: forms.BaseForm) -> None:
        """Offer only the plan's projects and the association's members, read once per page."""
        for name, queryset in (
            ("project", Project.objects.filter(plan=self.plan)),
            ("member", Member.objects.filter(association_id=self.plan.association_id)),
        ):
            if name not in form.fields:
                continue
            field = form.fields[name]
            field.queryset = queryset
            if name not in self._choices:
                self._choices[name] = [("", "–"), *((obj.pk, str(obj)) for obj in queryset)]
            field.choices = self._choices[name]

    def clean(self) -> None:
        super().clean()
        for name in self.unique_names:
            seen: set[str] = set()
            for form in self.forms:
                if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                    continue
                value = (form.cleaned_data.get(name) or "").strip().casefold()
                if not value:
                    continue
                if value in seen:
                    form.add_error(name, NAME_TAKEN)
                seen.add(value)

    def get_ordering_widget(self) -> forms.Widget:
        return forms.NumberInput(attrs={"class": "order-input", "min": 0})


class ProjectFormSet(EditorFormSet):
    unique_names = ("name",)


class GroupFormSet(EditorFormSet):
    unique_names = ("name",)


class GoalAreaFormSet(EditorFormSet):
    unique_names = ("name",)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


def editor_formset(model: type[models.Model], formset: type[EditorFormSet], **kwargs: Any):
    return modelformset_factory(model, formset=formset, can_delete=True, extra=1, **kwargs)


BoardFormSet = editor_formset(
    BoardSeat,
    EditorFormSet,
    fields=["member", "role", "person", "position", "term_start", "term_end"],
    widgets={"term_start": DATE, "term_end": DATE},
)
StaffFormSet = editor_formset(
    StaffMember,
    EditorFormSet,
    fields=["name", "role", "fte", "employer"],
    can_order=True,
    localized_fields=["fte"],
)
GroupsFormSet = editor_formset(
    Group,
    GroupFormSet,
    fields=["name", "kind", "description"],
    can_order=True,
    widgets={"description": SHORT_TEXT},
)
GroupPeopleFormSet = editor_formset(
    GroupMember, EditorFormSet, fields=["person", "member", "role"], can_order=True
)
ProjectsFormSet = editor_formset(
    Project,
    ProjectFormSet,
    fields=[
        "name",
        "kind",
        "status",
        "owner",
        "starts_on",
        "ends_on",
        "cofinancing",
        "description",
    ],
    can_order=True,
    widgets={"starts_on": DATE, "ends_on": DATE, "description": SHORT_TEXT},
)
GoalAreasFormSet = editor_formset(
    GoalArea,
    GoalAreaFormSet,
    fields=["name", "description"],
    can_order=True,
    widgets={"description": SHORT_TEXT},
)
GoalsFormSet = editor_formset(
    Goal,
    EditorFormSet,
    fields=["indicator", "measurement", "reporting", "comment"],
    can_order=True,
    widgets={
        "indicator": SHORT_TEXT,
        "measurement": SHORT_TEXT,
        "reporting": SHORT_TEXT,
        "comment": SHORT_TEXT,
    },
)
TargetsFormSet = editor_formset(
    Target,
    EditorFormSet,
    fields=["project", "kind", "value", "unit", "text", "previous_value", "previous_text"],
    can_order=True,
    localized_fields=["value", "previous_value"],
    widgets={"text": SHORT_TEXT, "previous_text": SHORT_TEXT},
)
TimetableFormSet = editor_formset(
    TimetableEntry,
    EditorFormSet,
    fields=["year", "month", "event"],
    can_order=True,
    widgets={"month": forms.Select(choices=MONTHS)},
)
