"""Writes of the editor. Each one runs in one transaction, on a plan that may still change.

Two people may edit the same plan. Every save compares what the person loaded (a version, or a
digest of the content) with what is stored now; where both they and someone else changed the same
thing, the save is refused with ``EditConflictError``, which says what the other person saved.
Nothing is overwritten without the person having seen the other change first.

The writes live in ``budget`` (the grid), ``rows`` (forms and formsets: the plan's fields,
sections, shares, members, organisation, projects, goals, timetable) and ``new_plans``.
"""

from __future__ import annotations

from plans.editor.services.budget import (
    BUDGET_NOT_SAVED,
    CONFLICT_DELETED_CHANGED,
    CONFLICT_GROUP_LINES,
    CONFLICT_LINE,
    CONFLICT_LINE_GONE,
    CONFLICT_STRUCTURE,
    budget_grid_load,
    budget_grid_save,
)
from plans.editor.services.common import EditConflictError, plan_lock_for_edit
from plans.editor.services.new_plans import (
    STANDARD_GROUPS,
    plan_copy_to_year,
    plan_create_empty,
    plan_file_for_year,
)
from plans.editor.services.rows import (
    CONFLICT_ROW,
    CONFLICT_ROW_DELETED,
    CONFLICT_SECTION_DELETED,
    CONFLICT_SHARES,
    SHARES_OVER_100,
    formset_save,
    member_add,
    row_form_save,
    section_add,
    section_delete,
    section_move,
    shares_save,
)

__all__ = [
    "BUDGET_NOT_SAVED",
    "CONFLICT_DELETED_CHANGED",
    "CONFLICT_GROUP_LINES",
    "CONFLICT_LINE",
    "CONFLICT_LINE_GONE",
    "CONFLICT_ROW",
    "CONFLICT_ROW_DELETED",
    "CONFLICT_SECTION_DELETED",
    "CONFLICT_SHARES",
    "CONFLICT_STRUCTURE",
    "SHARES_OVER_100",
    "STANDARD_GROUPS",
    "EditConflictError",
    "budget_grid_load",
    "budget_grid_save",
    "formset_save",
    "member_add",
    "plan_copy_to_year",
    "plan_create_empty",
    "plan_file_for_year",
    "plan_lock_for_edit",
    "row_form_save",
    "section_add",
    "section_delete",
    "section_move",
    "shares_save",
]
