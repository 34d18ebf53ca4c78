"""The audit trail of plan data: every insert, update and delete, with who, when, what and how.

``AuditEvent`` is one changed row: its model, id, plan and association, the action, the whole row
before and after (JSON, keyed by column), the user, the door (page, API, admin, import, shell or
SQL), the client's address and the time (UTC). ``AUDITED`` lists the models recorded and how each
row reaches its plan.

How rows are recorded depends on the database, so that nothing is recorded twice:

- PostgreSQL: database triggers (migration ``0003_audit_triggers``) record every row a statement
  touches, whoever sends it, so ``QuerySet.update()``, bulk writes and raw SQL are captured. The
  user and door come from the transaction's settings (``plans.audit.postgres``).
- Any other database (SQLite, the embedded default): the ``pre_save``/``post_save``/``post_delete``
  signals below. They see what goes through ``Model.save()`` and ``Model.delete()`` only; bulk
  writes, ``QuerySet.update()`` and raw SQL are not recorded there.

The trail is append-only. On PostgreSQL a trigger refuses ``UPDATE`` and ``DELETE`` on the table;
on SQLite a trigger refuses ``UPDATE``, and the model refuses changes and deletes through the ORM.
``TRUNCATE`` (what the test suite's flush uses) is left to the database's privileges: a
deployment grants the application's role ``INSERT`` and ``SELECT`` on the table, not ``TRUNCATE``.

A plan is never deleted with its history: events hold plain ids, not foreign keys, so the trail of
a deleted row (or plan) stays. Deleting a plan deletes its rows one by one, each recorded; approved
plans cannot be deleted at all (``plans.workflow``), and the association protects its plans.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db import connections, models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

# Imported for their receivers, connected when the app loads: the PostgreSQL execute wrapper,
# and the login lockout and session start.
from plans.audit import doors, postgres  # noqa: F401
from plans.audit.context import Door, current_context

APPEND_ONLY = _("Historiken kan bara läggas till; den kan inte ändras eller tas bort.")


@dataclass(frozen=True)
class AuditPath:
    """How a row reaches its plan and association.

    ``plan``: the lookup from the row to its plan (``"group__plan"``), ``"self"`` for a plan, None
    for a row above the plans (the association, its members, roles). ``association``: the column
    naming the association, for rows without a plan (and for the plan itself). ``exclude``:
    columns not copied into the trail (an archived PDF's bytes).
    """

    plan: str | None
    association: str | None = None
    exclude: tuple[str, ...] = ()


AUDITED: dict[str, AuditPath] = {
    "plans.association": AuditPath(plan=None, association="id"),
    "plans.member": AuditPath(plan=None, association="association_id"),
    "plans.membership": AuditPath(plan=None, association="association_id"),
    "plans.plan": AuditPath(plan="self", association="association_id"),
    "plans.contributionshare": AuditPath(plan="plan"),
    "plans.boardseat": AuditPath(plan="plan"),
    "plans.staffmember": AuditPath(plan="plan"),
    "plans.group": AuditPath(plan="plan"),
    "plans.groupmember": AuditPath(plan="group__plan"),
    "plans.project": AuditPath(plan="plan"),
    "plans.section": AuditPath(plan="plan"),
    "plans.timetableentry": AuditPath(plan="plan"),
    "plans.archivedpdf": AuditPath(plan="plan", exclude=("content",)),
    "budget.budgetcolumn": AuditPath(plan="plan"),
    "budget.budgetgroup": AuditPath(plan="plan"),
    "budget.budgetline": AuditPath(plan="group__plan"),
    "budget.budgetamount": AuditPath(plan="line__group__plan"),
    "goals.goalarea": AuditPath(plan="plan"),
    "goals.goal": AuditPath(plan="area__plan"),
    "goals.target": AuditPath(plan="goal__area__plan"),
    "goals.outcome": AuditPath(plan="target__goal__area__plan"),
}


class Action(models.TextChoices):
    INSERT = "insert", _("skapad")
    UPDATE = "update", _("ändrad")
    DELETE = "delete", _("borttagen")


class AppendOnlyError(Exception):
    """An attempt to change or delete the audit trail through the ORM."""

    def __init__(self) -> None:
        super().__init__(str(APPEND_ONLY))


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError

    def for_plan(self, plan: Any) -> AuditEventQuerySet:
        """The plan's own rows, and its association's rows above the plans (members, roles)."""
        return self.filter(
            models.Q(plan_id=plan.pk)
            | models.Q(plan_id__isnull=True, association_id=plan.association_id)
        )


class AuditEvent(models.Model):
    """One row inserted, updated or deleted. Written by triggers or signals, never by hand."""

    at = models.DateTimeField(_("tidpunkt"), db_index=True)
    model = models.CharField(_("tabell"), max_length=100)
    object_id = models.BigIntegerField(_("rad"), null=True)
    plan_id = models.BigIntegerField(_("plan"), null=True)
    association_id = models.BigIntegerField(_("förbund"), null=True)
    action = models.CharField(_("händelse"), max_length=10, choices=Action.choices)
    old = models.JSONField(_("före"), null=True, blank=True)
    new = models.JSONField(_("efter"), null=True, blank=True)
    user_id = models.BigIntegerField(_("användare"), null=True)
    door = models.CharField(_("väg"), max_length=10, choices=Door.choices)
    ip = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("händelse i historiken")
        verbose_name_plural = _("historik")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["plan_id", "at"], name="auditevent_plan_at"),
            models.Index(fields=["association_id", "at"], name="auditevent_association_at"),
            models.Index(fields=["model", "object_id"], name="auditevent_row"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["insert", "update", "delete"]),
                name="auditevent_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.model} {self.object_id} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError

    def changed_columns(self) -> list[str]:
        """Return the columns whose value differs between ``old`` and ``new``, in column order."""
        old, new = self.old or {}, self.new or {}
        keys = list(new) + [key for key in old if key not in new]
        return [key for key in keys if old.get(key) != new.get(key)]


# ---------------------------------------------------------------------------------------------
# The trigger specification (PostgreSQL)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriggerSpec:
    """The arguments of one table's audit trigger (see the function in ``0003_audit_triggers``)."""

    table: str
    label: str
    via: str  # the column naming the plan, or the parent row that leads to it; "" for none
    lookup: str  # SQL from the parent's id ($1) to the plan's id; "" when ``via`` is the plan
    association: str  # the column naming the association; "" to take the plan's
    exclude: str  # comma-separated columns left out of the trail

    def args(self) -> tuple[str, str, str, str]:
        """The trigger's arguments; the lookup is a branch of the function itself."""
        return (self.label, self.via, self.association, self.exclude)


def trigger_specs() -> list[TriggerSpec]:
    """Return the audit trigger of every model in ``AUDITED``, as the migration installs them."""
    specs = []
    for label, path in AUDITED.items():
        model = apps.get_model(label)
        via, lookup = "", ""
        if path.plan == "self":
            via = model._meta.pk.column
        elif path.plan:
            first, _sep, rest = path.plan.partition("__")
            field = model._meta.get_field(first)
            via = field.column
            if rest:
                lookup = _lookup_sql(field.related_model, rest)
        specs.append(
            TriggerSpec(
                table=model._meta.db_table,
                label=label,
                via=via,
                lookup=lookup,
                association=path.association or "",
                exclude=",".join(path.exclude),
            )
        )
    return specs


def _lookup_sql(model: type[models.Model], path: str) -> str:
    """Return SQL selecting the plan id at ``path`` from the row of ``model`` whose id is $1."""
    hops = path.split("__")
    tables = f"{model._meta.db_table} t0"
    current = model
    for index, hop in enumerate(hops[:-1]):
        field = current._meta.get_field(hop)
        current = field.related_model
        tables += (
            f" JOIN {current._meta.db_table} t{index + 1}"
            f" ON t{index + 1}.id = t{index}.{field.column}"
        )
    last = current._meta.get_field(hops[-1])
    # Table and column names from the models' own metadata, never from input.
    return f"SELECT t{len(hops) - 1}.{last.column} FROM {tables} WHERE t0.id = $1"  # noqa: S608


# ---------------------------------------------------------------------------------------------
# Recording through signals (every database but PostgreSQL)
# ---------------------------------------------------------------------------------------------


def row_json(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Return ``instance``'s columns as the triggers record them: decimals as exact strings,
    dates and times in ISO 8601, times in UTC."""
    return {
        field.column: json_value(field, field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if field.column not in exclude
    }


def json_value(field: models.Field, value: Any) -> Any:
    if isinstance(value, Money):
        value = value.amount
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        places = getattr(field, "decimal_places", None)
        if places is not None:
            value = value.quantize(Decimal(1).scaleb(-places))
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return str(value)


def _records_by_signal(sender: type[models.Model], using: str) -> AuditPath | None:
    if connections[using].vendor == "postgresql":
        return None  # the triggers record it
    return AUDITED.get(sender._meta.label_lower)


def _owners(instance: models.Model, path: AuditPath, using: str) -> tuple[int | None, int | None]:
    """Return ``(plan_id, association_id)`` of ``instance``."""
    from plans.models import Plan

    if path.plan is None:
        return None, getattr(instance, path.association or "", None)
    if path.plan == "self":
        return instance.pk, instance.association_id  # type: ignore[attr-defined]
    first, _sep, rest = path.plan.partition("__")
    field = instance._meta.get_field(first)
    parent_id = getattr(instance, field.attname)
    if parent_id is None:
        return None, None
    if not rest:
        association_id = (
            Plan.objects.using(using)
            .filter(pk=parent_id)
            .values_list("association_id", flat=True)
            .first()
        )
        return parent_id, association_id
    row = (
        field.related_model._default_manager.using(using)
        .filter(pk=parent_id)
        .values_list(f"{rest}_id", f"{rest}__association_id")
        .first()
    )
    return row if row is not None else (None, None)


def _record(
    instance: models.Model,
    path: AuditPath,
    using: str,
    *,
    action: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    plan_id, association_id = _owners(instance, path, using)
    user_id, door, ip = current_context()
    AuditEvent.objects.using(using).create(
        at=timezone.now(),
        model=instance._meta.label_lower,
        object_id=instance.pk,
        plan_id=plan_id,
        association_id=association_id,
        action=action,
        old=old,
        new=new,
        user_id=user_id,
        door=door,
        ip=ip,
    )


def _remember_old(
    sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any
) -> None:
    path = _records_by_signal(sender, using)
    if path is None or instance._state.adding or instance.pk is None:
        return
    stored = sender._base_manager.using(using).filter(pk=instance.pk).first()
    instance._audit_old = row_json(stored, exclude=path.exclude) if stored is not None else None  # type: ignore[attr-defined]


def _record_save(
    sender: type[models.Model], instance: models.Model, created: bool, using: str, **kwargs: Any
) -> None:
    path = _records_by_signal(sender, using)
    if path is None:
        return
    new = row_json(instance, exclude=path.exclude)
    old = instance.__dict__.pop("_audit_old", None)
    if created or old is None:
        _record(instance, path, using, action=Action.INSERT, old=None, new=new)
    elif old != new:
        _record(instance, path, using, action=Action.UPDATE, old=old, new=new)


def _record_delete(
    sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any
) -> None:
    path = _records_by_signal(sender, using)
    if path is None:
        return
    _record(
        instance,
        path,
        using,
        action=Action.DELETE,
        old=row_json(instance, exclude=path.exclude),
        new=None,
    )


pre_save.connect(_remember_old, dispatch_uid="plans.history.pre_save")
post_save.connect(_record_save, dispatch_uid="plans.history.post_save")
post_delete.connect(_record_delete, dispatch_uid="plans.history.post_delete")
