"""Writes to associations, members and plans, and to every row a plan owns.

Every write goes through here, whoever makes it (API, pages, admin actions): ``full_clean()`` with
the models' Swedish messages, then ``save()``, in one transaction. A plan whose status is
``approved`` is read-only: any write to it or to a row it owns raises ``PlanLockedError``.

Rows of a plan live in several apps (budget lines, goals …). ``PLAN_PATHS`` says how each row
reaches its plan, so the same rules hold for all of them: a row may only point at rows of its own
plan, and at members of its own association.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Sum

from finsam.formatting import format_percent
from plans.models import Association, ContributionShare, Member, Plan, PlanStatus

PLAN_LOCKED = "Planen är fastställd och kan inte ändras. Skapa en revidering för att ändra den."
OTHER_PLAN = "Hör till en annan plan."
OTHER_ASSOCIATION = "Hör till ett annat samordningsförbund."
SHARES_OVER_100 = "Andelarna i planen blir tillsammans {total}, mer än 100 %."
ROW_IN_USE = "Kan inte tas bort eftersom det används: {used_by}."

# How a row reaches its plan: attribute names from the row, "" for the plan itself.
PLAN_PATHS: dict[str, tuple[str, ...]] = {
    "plans.plan": (),
    "plans.contributionshare": ("plan",),
    "plans.boardseat": ("plan",),
    "plans.staffmember": ("plan",),
    "plans.group": ("plan",),
    "plans.groupmember": ("group", "plan"),
    "plans.project": ("plan",),
    "plans.section": ("plan",),
    "plans.timetableentry": ("plan",),
    "budget.budgetcolumn": ("plan",),
    "budget.budgetgroup": ("plan",),
    "budget.budgetline": ("group", "plan"),
    "budget.budgetamount": ("line", "group", "plan"),
    "goals.goalarea": ("plan",),
    "goals.goal": ("area", "plan"),
    "goals.target": ("goal", "area", "plan"),
    "goals.outcome": ("target", "goal", "area", "plan"),
}


class PlanLockedError(Exception):
    """A write to an approved plan. The API answers 409 Conflict."""

    def __init__(self, message: str = PLAN_LOCKED) -> None:
        super().__init__(message)
        self.message = message


class RowInUseError(Exception):
    """A delete that protected rows refer to. The API answers 409 Conflict."""


def plan_of(*, row: models.Model) -> Plan:
    """Return the plan ``row`` belongs to. Raise KeyError for a model that no plan owns."""
    obj: Any = row
    for attribute in PLAN_PATHS[row._meta.label_lower]:
        obj = getattr(obj, attribute)
    return obj


def plan_ensure_editable(*, plan: Plan) -> None:
    """Raise PlanLockedError if ``plan`` is approved, as stored (not as edited in memory)."""
    if plan.pk is None:
        return
    status = Plan.objects.filter(pk=plan.pk).values_list("status", flat=True).first()
    if status == PlanStatus.APPROVED:
        raise PlanLockedError


@transaction.atomic
def plan_row_save(*, row: models.Model) -> models.Model:
    """Validate and save ``row``, a row a plan owns (a project, a budget line, a goal …).

    Raise PlanLockedError if its plan (or, when it moves, its former plan) is approved, and
    ValidationError, keyed by field, if it is invalid or points at another plan's rows.
    """
    plan = plan_of(row=row)
    _lock(plan)
    plan_ensure_editable(plan=plan)
    if row.pk is not None:
        stored = type(row)._default_manager.filter(pk=row.pk).first()
        if stored is not None:
            former = plan_of(row=stored)
            if former.pk != plan.pk:
                plan_ensure_editable(plan=former)
        _bump_version(row)
    _check_relations(row=row, plan=plan)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def plan_row_delete(*, row: models.Model) -> None:
    """Delete ``row`` with what it owns. Raise PlanLockedError if its plan is approved."""
    plan = plan_of(row=row)
    _lock(plan)
    plan_ensure_editable(plan=plan)
    _delete(row)


@transaction.atomic
def share_save(*, share: ContributionShare) -> ContributionShare:
    """Save a member's share. Raise ValidationError if the plan's shares would pass 100 %."""
    plan_row_save(row=share)
    total = ContributionShare.objects.filter(plan_id=share.plan_id).aggregate(
        total=Sum("share_pct")
    )["total"] or Decimal(0)
    if total > 100:
        # Undo by raising inside the transaction: the caller sees nothing saved.
        raise ValidationError(
            {"share_pct": SHARES_OVER_100.format(total=format_percent(total, 6, trim=True))}
        )
    return share


@transaction.atomic
def plan_save(*, plan: Plan) -> Plan:
    """Validate and save a plan's own fields. Raise PlanLockedError if it is approved."""
    _lock(plan)
    plan_ensure_editable(plan=plan)
    if plan.pk is not None:
        _bump_version(plan)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan) -> None:
    """Delete a plan and everything it owns. Raise PlanLockedError if it is approved."""
    _lock(plan)
    plan_ensure_editable(plan=plan)
    _delete(plan)


@transaction.atomic
def association_save(*, association: Association) -> Association:
    association.full_clean()
    association.save()
    return association


@transaction.atomic
def member_save(*, member: Member) -> Member:
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_delete(*, member: Member) -> None:
    """Delete a member. Raise RowInUseError while a plan's shares, board or lines name it."""
    _delete(member)


def _lock(plan: Plan) -> None:
    """Hold the plan's row until the transaction ends, so an approval cannot slip in between."""
    if plan.pk is not None:
        list(Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk"))


def _bump_version(row: models.Model) -> None:
    if any(f.name == "version" for f in row._meta.concrete_fields):
        row.version += 1  # type: ignore[attr-defined]


def _check_relations(*, row: models.Model, plan: Plan) -> None:
    """Raise ValidationError for a foreign key to another plan's row or another association."""
    errors: dict[str, str] = {}
    for field in row._meta.concrete_fields:
        if not field.is_relation or getattr(row, field.attname) is None:
            continue
        target = getattr(row, field.name)
        label = target._meta.label_lower
        if label in PLAN_PATHS and label != "plans.plan":
            if plan_of(row=target).pk != plan.pk:
                errors[field.name] = OTHER_PLAN
        elif isinstance(target, Member) and target.association_id != plan.association_id:
            errors[field.name] = OTHER_ASSOCIATION
    if errors:
        raise ValidationError(errors)


def _delete(row: models.Model) -> None:
    try:
        row.delete()
    except models.ProtectedError as exc:
        used_by = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise RowInUseError(ROW_IN_USE.format(used_by=", ".join(used_by))) from exc
