"""Reading the audit trail: a plan's events, filtered, and what changed in each, in Swedish terms.

The history page and the history endpoint both read through here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from plans.history import AUDITED, AuditEvent
from plans.models import Plan

EMPTY = "–"
YES, NO = "ja", "nej"


@dataclass(frozen=True)
class Change:
    column: str
    label: str
    old: str | None
    new: str | None


def model_choices() -> list[tuple[str, str]]:
    """Return ``(label, Swedish name)`` of every audited model, sorted by name."""
    choices = [
        (label, capfirst(str(apps.get_model(label)._meta.verbose_name))) for label in AUDITED
    ]
    return sorted(choices, key=lambda choice: choice[1])


def model_name(label: str) -> str:
    try:
        return capfirst(str(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label


def plan_history(
    *,
    plan: Plan,
    model: str | None = None,
    user_id: int | None = None,
    door: str | None = None,
    action: str | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Return the events of ``plan`` (and of its association's rows above the plans), newest
    first. ``since`` and ``until`` are days in the site's time zone, both included."""
    events = AuditEvent.objects.for_plan(plan)
    if model:
        events = events.filter(model=model)
    if user_id is not None:
        events = events.filter(user_id=user_id)
    if door:
        events = events.filter(door=door)
    if action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(at__gte=start_of_day(since))
    if until is not None:
        events = events.filter(at__lt=start_of_day(until + datetime.timedelta(days=1)))
    return events.order_by("-at", "-id")


def plan_history_users(*, plan: Plan) -> list[tuple[int, str]]:
    """Return ``(id, name)`` of everyone who appears in the plan's history, by name."""
    ids = (
        AuditEvent.objects.for_plan(plan)
        .exclude(user_id=None)
        .values_list("user_id", flat=True)
        .distinct()
    )
    names = user_names(ids)
    return sorted(names.items(), key=lambda item: item[1].casefold())


def user_names(ids: Iterable[int | None]) -> dict[int, str]:
    """Return the names of the users with ``ids`` (one query); a deleted user is "#id"."""
    wanted = {user_id for user_id in ids if user_id is not None}
    if not wanted:
        return {}
    found = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=wanted)
    }
    return {user_id: found.get(user_id, f"#{user_id}") for user_id in wanted}


def event_changes(event: AuditEvent) -> list[Change]:
    """Return what the event changed: every changed column of an update, every filled-in column
    of an insert or a delete. Ids and the currency column are left out of inserts and deletes."""
    columns = _columns(event.model)
    old, new = event.old or {}, event.new or {}
    if event.action == "update":
        keys = event.changed_columns()
    else:
        row = new or old
        keys = [
            key
            for key, value in row.items()
            if value not in (None, "") and key != "id" and not key.endswith("_currency")
        ]
        order = list(columns)
        keys.sort(key=lambda key: order.index(key) if key in order else len(order))
    changes = []
    for key in keys:
        label, choices = columns.get(key, (key, {}))
        changes.append(
            Change(
                column=key,
                label=label,
                old=_show(old[key], choices) if key in old else None,
                new=_show(new[key], choices) if key in new else None,
            )
        )
    return changes


@cache
def _columns(label: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Column → (Swedish label, choice labels) of the model ``label``."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return {}
    columns = {}
    for field in model._meta.concrete_fields:
        choices = {str(value): str(name) for value, name in field.choices or []}
        columns[field.column] = (str(field.verbose_name or field.name), choices)
    return columns


def _show(value: Any, choices: dict[str, str]) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return YES if value else NO
    text = str(value)
    return choices.get(text, text)


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Return the first moment of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
