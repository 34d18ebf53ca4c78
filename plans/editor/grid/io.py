"""Grids from the database and from a submitted form, and the figures a grid shows."""

from __future__ import annotations

from django.http import QueryDict

from budget.calc import BudgetInput, LineIn, PlanSummary
from finsam.formatting import format_amount, format_percent
from plans.editor.grid.rows import ColumnState, GroupState, LineState
from plans.editor.grid.state import Grid
from plans.editor.grid.values import KEY_PATTERN, amount_for_input, is_new

# ---------------------------------------------------------------------------------------------
# From the database and from a submitted form.
# ---------------------------------------------------------------------------------------------


def line_state(line: LineIn, *, column_keys: dict[int, str], version: int) -> LineState:
    state = LineState(
        key=str(line.id),
        group=str(line.group_id),
        parent=str(line.parent_id) if line.parent_id else "",
        name=line.name,
        footnote=line.footnote,
        project=str(line.project_id) if line.project_id else "",
        member=str(line.member_id) if line.member_id else "",
        version=version,
        cells={
            column_keys[cid]: amount_for_input(value)
            for cid, value in line.amounts.items()
            if cid in column_keys
        },
    )
    state.orig = state.digest()
    return state


def grid_from_input(data: BudgetInput, *, plan_version: int, versions: dict[int, int]) -> Grid:
    """Return the stored budget ``data`` as a grid; ``versions`` maps line id -> version."""
    column_keys = {c.id: str(c.id) for c in data.columns}
    grid = Grid(
        plan_year=data.year,
        plan_version=plan_version,
        plan_orig="",
        opening_equity=amount_for_input(data.opening_equity),
        columns=[
            ColumnState(key=str(c.id), label=c.label, kind=c.kind, year=str(c.year))
            for c in data.columns
        ],
        groups=[
            GroupState(key=str(g.id), kind=g.kind, name=g.name, total_label=g.total_label)
            for g in data.groups
        ],
        lines=[
            line_state(line, column_keys=column_keys, version=versions.get(line.id, 1))
            for line in _display_order(data)
        ],
    )
    grid.plan_orig = grid.structure_digest()
    return grid


def _display_order(data: BudgetInput) -> list[LineIn]:
    """Lines by group, each top line followed by its sub-lines (as the grid shows them)."""
    ordered = []
    for group in data.groups:
        lines = [line for line in data.lines if line.group_id == group.id]
        ids = {line.id for line in lines}
        tops = [line for line in lines if line.parent_id is None or line.parent_id not in ids]
        for top in tops:
            ordered.append(top)
            ordered.extend(line for line in lines if line.parent_id == top.id and line is not top)
        placed = {line.id for line in ordered}
        ordered.extend(line for line in lines if line.id not in placed)
    return ordered


def _keys(post: QueryDict, name: str) -> list[str]:
    seen: list[str] = []
    for key in post.getlist(name):
        if KEY_PATTERN.match(key) and key not in seen:
            seen.append(key)
    return seen


def grid_from_post(post: QueryDict, *, plan_year: int) -> Grid:
    """Return the grid a submitted form describes, as typed. Keys that do not parse are ignored.

    The order of the ``col``, ``grp`` and ``line`` keys in the form is the order of the grid.
    """

    def text(name: str) -> str:
        return post.get(name, "")

    def number(name: str) -> int | None:
        raw = text(name).strip()
        return int(raw) if raw.isdigit() else None

    columns = [
        ColumnState(
            key=key,
            label=text(f"col-{key}-label"),
            kind=text(f"col-{key}-kind"),
            year=text(f"col-{key}-year"),
        )
        for key in _keys(post, "col")
    ]
    groups = [
        GroupState(
            key=key,
            kind=text(f"grp-{key}-kind"),
            name=text(f"grp-{key}-name"),
            total_label=text(f"grp-{key}-total_label"),
        )
        for key in _keys(post, "grp")
    ]
    column_keys = [c.key for c in columns]
    lines = []
    for key in _keys(post, "line"):
        lines.append(
            LineState(
                key=key,
                group=text(f"line-{key}-group"),
                parent=text(f"line-{key}-parent"),
                name=text(f"line-{key}-name"),
                footnote=text(f"line-{key}-footnote"),
                project=text(f"line-{key}-project"),
                member=text(f"line-{key}-member"),
                version=None if is_new(key) else number(f"line-{key}-version"),
                orig="" if is_new(key) else text(f"line-{key}-orig"),
                cells={
                    ck: text(f"line-{key}-amount-{ck}")
                    for ck in column_keys
                    if f"line-{key}-amount-{ck}" in post
                },
            )
        )
    deleted_lines = {}
    for item in post.getlist("deleted-line"):
        key, _, version = item.partition(":")
        if key.isdigit() and version.isdigit():
            deleted_lines[key] = int(version)
    return Grid(
        plan_year=plan_year,
        plan_version=number("plan-version") or 0,
        plan_orig=text("plan-orig"),
        opening_equity=text("opening_equity"),
        columns=columns,
        groups=groups,
        lines=lines,
        deleted_lines=deleted_lines,
        deleted_columns=[k for k in post.getlist("deleted-col") if k.isdigit()],
        deleted_groups=[k for k in post.getlist("deleted-grp") if k.isdigit()],
    )


# ---------------------------------------------------------------------------------------------
# The computed figures the grid shows, keyed by the element that shows them.
# ---------------------------------------------------------------------------------------------


def grid_figures(grid: Grid, summary: PlanSummary) -> dict[str, str]:
    """Element key -> formatted figure: sums of lines with sub-lines, group totals, the totals,
    the result and the equity of every column. Amounts in whole kronor, as ``format_amount``.
    """
    ids = grid.ids()
    key_of = {ids[c.key]: c.key for c in grid.columns}
    group_key = {ids[g.key]: g.key for g in grid.groups}
    line_key = {ids[line.key]: line.key for line in grid.lines}
    figures: dict[str, str] = {}
    for group in summary.groups:
        gk = group_key.get(group.group.id)
        for row in group.rows:
            if row.has_children:
                lk = line_key.get(row.line.id)
                for cid, value in row.amounts.items():
                    figures[f"sum-{lk}-{key_of[cid]}"] = format_amount(value, blank="–")
        for cid, value in group.totals.items():
            figures[f"gt-{gk}-{key_of[cid]}"] = format_amount(value)
    for column in summary.columns:
        ck = key_of[column.column.id]
        figures[f"ti-{ck}"] = format_amount(column.total_income)
        figures[f"tc-{ck}"] = format_amount(column.total_costs)
        figures[f"res-{ck}"] = format_amount(column.result)
        figures[f"oe-{ck}"] = format_amount(column.opening_equity, blank="–")
        figures[f"ce-{ck}"] = format_amount(column.closing_equity, blank="–")
        figures[f"eqp-{ck}"] = format_percent(column.equity_share_pct, blank="–")
        figures[f"adm-{ck}"] = format_percent(column.admin_share_pct, blank="–")
    return figures
