"""Saving rows edited through a form or a formset: the plan's fields, sections, shares, members,
board, office, groups, projects, goals and timetable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max

from finsam.formatting import format_percent
from plans.editor.forms import EditorFormSet, instance_values, row_digest, shares_digest
from plans.editor.grid import decimal_text
from plans.editor.services.common import EditConflictError, plan_lock_for_edit
from plans.models import ContributionShare, Member, Plan, Section
from plans.services import ROW_IN_USE

CONFLICT_ROW = (
    "”{row}” har ändrats av någon annan sedan du öppnade sidan. Sparat nu: {theirs}. Dina "
    "ändringar står kvar; spara igen om de ska gälla."
)
CONFLICT_ROW_DELETED = (
    "”{row}”, som du tar bort, har ändrats av någon annan sedan du öppnade sidan. Sparat nu: "
    "{theirs}. Spara igen om raden ändå ska tas bort."
)
ROW_GONE = "Raden har tagits bort av någon annan sedan du öppnade sidan."
SHARES_OVER_100 = "Andelarna blir tillsammans {total}, mer än 100 %. Inget har sparats."
CONFLICT_SHARES = (
    "Fördelningsnyckeln har ändrats av någon annan sedan du öppnade sidan. Sparat nu: {theirs}. "
    "Dina siffror står kvar; spara igen om de ska gälla."
)
SAVE_REFUSED_BY_DATABASE = (
    "Kunde inte spara: {detail}. Inget har ändrats. Kontrollera att namnen skiljer sig åt."
)


def _has_version(model: type[models.Model]) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)


def _display(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    display = getattr(instance, f"get_{name}_display", None) if field.choices else None
    value = display() if display else getattr(instance, name)
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        return decimal_text(value).replace(".", ",").replace("-", "−")
    if isinstance(value, bool):
        return "ja" if value else "nej"
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _stored_text(instance: models.Model, names: list[str]) -> str:
    return "; ".join(
        f"{instance._meta.get_field(n).verbose_name}: {_display(instance, n)}" for n in names
    )


def _changed_by_them(
    form_version: int | None, orig: str, db: models.Model, names: list[str]
) -> bool:
    digest = row_digest(instance_values(db, names))
    if form_version is not None and _has_version(type(db)):
        return db.version != form_version and digest != orig  # type: ignore[attr-defined]
    return digest != orig


@transaction.atomic
def row_form_save(*, plan: Plan, form: forms.ModelForm, names: list[str]) -> models.Model:
    """Save a ModelForm of one versioned row (the plan itself, a section) of ``plan``.

    The form's ``version`` is the one the person loaded. Raise EditConflictError if someone else
    saved the row since (the form's ``version`` is then moved on, so saving again overwrites),
    and PlanLockedError if the plan is approved.
    """
    plan_lock_for_edit(plan=plan)
    model = type(form.instance)
    db = model._default_manager.select_for_update().get(pk=form.instance.pk)
    loaded = form.cleaned_data["version"]
    if db.version != loaded:  # type: ignore[attr-defined]
        mine = {n: form.cleaned_data.get(n) for n in names}
        if row_digest(mine) != row_digest(instance_values(db, names)):
            _set_data(form, "version", db.version)  # type: ignore[attr-defined]
            raise EditConflictError(
                [CONFLICT_ROW.format(row=str(db), theirs=_stored_text(db, names))]
            )
    instance = form.save(commit=False)
    instance.version = db.version + 1  # type: ignore[attr-defined]
    instance.full_clean()
    instance.save()
    return instance


def _set_data(form: forms.BaseForm, name: str, value: Any) -> None:
    """Change a submitted value, so the form shows it when rendered again (the data is a copy)."""
    form.data[form.add_prefix(name)] = str(value)


@transaction.atomic
def formset_save(*, plan: Plan, formset: EditorFormSet, parent: dict[str, Any]) -> None:
    """Save the rows of ``formset`` (one kind of row of ``plan``), in one transaction.

    ``parent`` is set on new rows (``{"plan": plan}``, ``{"area": area}`` …). Rows the person
    changed or deleted are compared with the database: where someone else changed the same row
    since the page was loaded, nothing is saved and EditConflictError names the rows, with what
    is stored now; the forms then carry the stored state, so saving again writes the person's.
    A row the person did not change is left as it is stored. The formset's data must be a
    mutable copy. Raise PlanLockedError if the plan is approved.
    """
    plan_lock_for_edit(plan=plan)
    names = formset.editable()
    model = formset.model
    ids = [form.instance.pk for form in formset.initial_forms if form.instance.pk]
    stored = {obj.pk: obj for obj in model._default_manager.select_for_update().filter(pk__in=ids)}
    conflicts: list[str] = []
    write: list[forms.ModelForm] = []
    delete: list[models.Model] = []
    orders = _orders(formset)
    for form in formset.initial_forms:
        db = stored.get(form.instance.pk)
        if db is None:
            continue
        deleting = formset._should_delete_form(form)
        orig = form.cleaned_data.get("orig", "")
        mine = row_digest({n: form.cleaned_data.get(n) for n in names})
        changed_by_me = deleting or mine != orig
        theirs = _changed_by_them(form.cleaned_data.get("version"), orig, db, names)
        if (
            changed_by_me
            and theirs
            and (deleting or mine != row_digest(instance_values(db, names)))
        ):
            template = CONFLICT_ROW_DELETED if deleting else CONFLICT_ROW
            message = template.format(row=str(db), theirs=_stored_text(db, names))
            conflicts.append(message)
            form.add_error(None, message)
            _set_data(form, "orig", row_digest(instance_values(db, names)))
            if _has_version(model):
                _set_data(form, "version", db.version)  # type: ignore[attr-defined]
            continue
        if deleting:
            delete.append(db)
        elif changed_by_me:
            write.append(form)
        elif form in orders and getattr(db, "order", None) != orders[form]:
            db.order = orders[form]  # type: ignore[attr-defined]
            db.save(update_fields=["order"])
    if conflicts:
        raise EditConflictError(conflicts)
    try:
        for obj in delete:
            obj.delete()
        for form in write:
            instance = form.save(commit=False)
            if _has_version(model):
                instance.version = stored[instance.pk].version + 1  # type: ignore[attr-defined]
            if form in orders:
                instance.order = orders[form]
            instance.save()
        for form in formset.extra_forms:
            if not form.has_changed() or formset._should_delete_form(form):
                continue
            instance = form.save(commit=False)
            for name, value in parent.items():
                setattr(instance, name, value)
            if form in orders:
                instance.order = orders[form]
            instance.full_clean()
            instance.save()
    except models.ProtectedError as error:
        used = sorted({str(o._meta.verbose_name_plural) for o in error.protected_objects})
        raise EditConflictError([ROW_IN_USE.format(used_by=", ".join(used))]) from error
    except IntegrityError as error:
        raise EditConflictError([SAVE_REFUSED_BY_DATABASE.format(detail=error)]) from error


def _orders(formset: EditorFormSet) -> dict[forms.BaseForm, int]:
    """Form -> its row's new ``order``, from the formset's order fields (without: no change)."""
    if not formset.can_order:
        return {}
    return {form: index for index, form in enumerate(formset.ordered_forms)}


# ---------------------------------------------------------------------------------------------
# Sections: add, move, delete (their text is saved with ``row_form_save``).
# ---------------------------------------------------------------------------------------------

CONFLICT_SECTION_DELETED = (
    "Avsnittet ”{title}” har ändrats av någon annan sedan du öppnade sidan och togs inte bort. "
    "Öppna det och se ändringen, och ta bort det igen om det ska bort."
)


@transaction.atomic
def section_add(*, plan: Plan, title: str) -> Section:
    """Add a section with ``title`` at the end of ``plan``."""
    plan_lock_for_edit(plan=plan)
    last = Section.objects.filter(plan=plan).aggregate(last=Max("order"))["last"]
    section = Section(plan=plan, title=title.strip(), level=1, order=(last or 0) + 1)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_move(*, plan: Plan, section: Section, step: int) -> None:
    """Move ``section`` one place up (``step`` −1) or down (+1) among the plan's sections."""
    plan_lock_for_edit(plan=plan)
    sections = list(Section.objects.filter(plan=plan).order_by("order", "id"))
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    if not 0 <= index + step < len(sections):
        return
    sections[index], sections[index + step] = sections[index + step], sections[index]
    for order, item in enumerate(sections, start=1):
        item.order = order
    Section.objects.bulk_update(sections, ["order"])


@transaction.atomic
def section_delete(*, plan: Plan, section: Section, version: int) -> None:
    """Delete ``section``, as loaded at ``version``; EditConflictError if it changed since."""
    plan_lock_for_edit(plan=plan)
    db = Section.objects.select_for_update().filter(pk=section.pk).first()
    if db is None:
        return
    if db.version != version:
        raise EditConflictError([CONFLICT_SECTION_DELETED.format(title=db.title)])
    db.delete()


# ---------------------------------------------------------------------------------------------
# Shares and members.
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def shares_save(*, plan: Plan, shares: dict[int, Decimal], orig: str) -> None:
    """Set the plan's shares to ``shares`` (member id -> percent); members left out get none.

    ``orig`` is the digest of the shares as loaded. Raise EditConflictError if someone else
    changed them since (to something else than these), ValidationError if they add up to more
    than 100 %, and PlanLockedError if the plan is approved.
    """
    plan_lock_for_edit(plan=plan)
    stored = {
        s.member_id: s for s in ContributionShare.objects.filter(plan=plan).select_related("member")
    }
    current = {pk: s.share_pct for pk, s in stored.items()}
    if shares_digest(current) != orig and shares_digest(current) != shares_digest(shares):
        theirs = ", ".join(
            f"{s.member.name} {format_percent(s.share_pct, 6, trim=True)}" for s in stored.values()
        )
        raise EditConflictError([CONFLICT_SHARES.format(theirs=theirs or "inga andelar")])
    total = sum(shares.values(), Decimal(0))
    if total > 100:
        raise ValidationError(SHARES_OVER_100.format(total=format_percent(total, 6, trim=True)))
    members = set(
        Member.objects.filter(association_id=plan.association_id, pk__in=shares).values_list(
            "pk", flat=True
        )
    )
    ContributionShare.objects.filter(plan=plan).exclude(member_id__in=shares).delete()
    for member_id, value in shares.items():
        if member_id not in members:
            continue
        share = stored.get(member_id)
        if share is None:
            ContributionShare.objects.create(plan=plan, member_id=member_id, share_pct=value)
        elif share.share_pct != value:
            share.share_pct = value
            share.save(update_fields=["share_pct"])


@transaction.atomic
def member_add(*, plan: Plan, form: forms.ModelForm) -> Member:
    """Add a member to the plan's association, after its last member."""
    plan_lock_for_edit(plan=plan)
    member = form.save(commit=False)
    last = Member.objects.filter(association_id=plan.association_id).aggregate(last=Max("order"))
    member.order = (last["last"] or 0) + 1
    member.full_clean()
    member.save()
    return member
