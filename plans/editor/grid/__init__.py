"""The budget grid as the editor holds it: columns × lines in their groups, as typed.

A ``Grid`` is what one person has on the page, saved or not: the stored rows it was loaded from,
with every change typed since (amounts as the text typed, so a malformed one stays on the page
with its error). It comes from the database (``grid_from_input``) or from a submitted form
(``grid_from_post``); the page renders it, the structural buttons change it (``Grid.apply``), the
preview turns it into a ``budget.calc.BudgetInput`` (``Grid.budget_input``) and the save writes it
(``plans.editor.services.budget_grid_save``).

Keys: a stored row is keyed by its id (``"12"``), a row added on the page by ``"n1"``, ``"n2"`` …
Each stored line carries its ``version`` and a digest of its content as loaded (``orig``), and the
grid carries the plan's ``version`` and a digest of its structure (columns, groups, opening
equity). The save compares them with the database to tell "I changed it" from "someone else did".
"""

from __future__ import annotations

from plans.editor.grid.io import grid_figures, grid_from_input, grid_from_post, line_state
from plans.editor.grid.rows import ColumnState, GroupState, LineState
from plans.editor.grid.state import Grid
from plans.editor.grid.values import (
    AMOUNT_TOO_LARGE,
    LABEL_TAKEN,
    NAME_REQUIRED,
    PARENT_INVALID,
    amount_for_input,
    decimal_text,
    is_new,
    parse_cell,
)

__all__ = [
    "AMOUNT_TOO_LARGE",
    "LABEL_TAKEN",
    "NAME_REQUIRED",
    "PARENT_INVALID",
    "ColumnState",
    "Grid",
    "GroupState",
    "LineState",
    "amount_for_input",
    "decimal_text",
    "grid_figures",
    "grid_from_input",
    "grid_from_post",
    "is_new",
    "line_state",
    "parse_cell",
]
