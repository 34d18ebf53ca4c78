"""Importing a plan file: everything is checked first, then everything is written, or nothing."""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from goals.models import Goal, GoalArea, Outcome, Target
from plans.models import (
    BoardSeat,
    ContributionShare,
    Group,
    GroupMember,
    Member,
    Plan,
    Project,
    Section,
    StaffMember,
    TimetableEntry,
)
from plans.planfile import errors
from plans.planfile.errors import PlanFileError, Problem
from plans.planfile.reader import object_pairs_hook
from plans.planfile.validate import Draft, plan_file_read


def plan_file_parse(*, raw: bytes | str) -> Any:
    """Return the JSON document in ``raw``. Raise PlanFileError if it is not UTF-8 JSON.

    Objects remember keys they held twice, so the import can report them.
    """
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PlanFileError([Problem("$", errors.NOT_UTF8)]) from error
    try:
        return json.loads(raw, object_pairs_hook=object_pairs_hook)
    except json.JSONDecodeError as error:
        message = errors.NOT_JSON.format(detail=error.msg, line=error.lineno, column=error.colno)
        raise PlanFileError([Problem("$", message)]) from error


@transaction.atomic
def plan_import(*, data: Any, replace: bool = False) -> Plan:
    """Create the plan a plan file describes and return it.

    The association is found by its organisation number or created; members missing from it are
    added. A plan of the same association, year and revision is replaced (in place, keeping its id)
    only with ``replace``, and never when it is approved. Raise PlanFileError listing every problem
    if anything is wrong; then nothing has been written.
    """
    draft = plan_file_read(data=data, replace=replace)
    if draft.problems:
        raise PlanFileError(draft.problems)
    try:
        return _write(draft)
    except (IntegrityError, ProtectedError) as error:
        detail = str(error.args[0] if error.args else error)
        raise PlanFileError(
            [Problem("$", errors.DATABASE_REFUSED.format(detail=detail))]
        ) from error


def _write(draft: Draft) -> Plan:
    association, plan = draft.association, draft.plan
    assert association is not None and plan is not None  # noqa: S101 - a draft without problems
    if association.pk is None:
        association.save()
    Member.objects.bulk_create(draft.new_members)

    old = draft.replaces
    if old is not None:
        _clear(old)
        plan.pk = old.pk
        plan.created_at = old.created_at
        plan.revision_of_id = old.revision_of_id
        plan.version = old.version + 1
        plan.save(force_update=True)
    else:
        plan.revision_of = draft.revision_of
        plan.save()

    # Parents before children: bulk_create sets each parent's id, which the children then take.
    ContributionShare.objects.bulk_create(draft.shares)
    BoardSeat.objects.bulk_create(draft.seats)
    StaffMember.objects.bulk_create(draft.staff)
    Group.objects.bulk_create(draft.groups)
    GroupMember.objects.bulk_create(draft.people)
    Project.objects.bulk_create(draft.projects)
    Section.objects.bulk_create(draft.sections)
    TimetableEntry.objects.bulk_create(draft.timetable)
    GoalArea.objects.bulk_create(draft.areas)
    Goal.objects.bulk_create(draft.goals)
    Target.objects.bulk_create(draft.targets)
    Outcome.objects.bulk_create(draft.outcomes)
    BudgetColumn.objects.bulk_create(draft.columns)
    BudgetGroup.objects.bulk_create(draft.budget_groups)
    BudgetLine.objects.bulk_create(draft.lines)
    BudgetLine.objects.bulk_create(draft.sub_lines)
    BudgetAmount.objects.bulk_create(draft.amounts)
    return plan


def _clear(plan: Plan) -> None:
    """Delete everything the plan holds, keeping the plan row itself (and what refers to it)."""
    BudgetGroup.objects.filter(plan=plan).delete()
    BudgetColumn.objects.filter(plan=plan).delete()
    GoalArea.objects.filter(plan=plan).delete()
    Project.objects.filter(plan=plan).delete()
    Group.objects.filter(plan=plan).delete()
    StaffMember.objects.filter(plan=plan).delete()
    BoardSeat.objects.filter(plan=plan).delete()
    ContributionShare.objects.filter(plan=plan).delete()
    Section.objects.filter(plan=plan).delete()
    TimetableEntry.objects.filter(plan=plan).delete()
