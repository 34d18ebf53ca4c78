"""The budget grid arranged for its template: rows of cells with their names, labels and figures.

It arranges and never computes: the figures come from ``grid_figures`` (the server's summary).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budget.calc import INCOME_KINDS
from budget.models import ColumnKind, GroupKind
from plans.editor.grid import ColumnState, Grid, GroupState, LineState

TOTAL_ROWS = (
    ("ti", "Summa intäkter", "total"),
    ("tc", "Summa kostnader", "total"),
    ("res", "Resultat", "result"),
    ("oe", "Eget kapital vid årets ingång", "equity"),
    ("ce", "Eget kapital vid årets utgång", "equity equity-closing"),
    ("eqp", "Eget kapital i procent av medlemsavgifterna", "ratio"),
    ("adm", "Administrationens andel av kostnaderna", "ratio"),
)


@dataclass(frozen=True)
class Cell:
    name: str  # the input's name
    value: str
    label: str  # for screen readers: "Personalkostnader, 2022"
    error: str
    row: int
    col: int
    calc: str = ""  # the key of the computed figure shown instead of an input
    figure: str = ""


@dataclass(frozen=True)
class LineView:
    state: LineState
    row: int
    depth: int
    has_children: bool
    first: bool
    last: bool
    cells: tuple[Cell, ...]
    label: str  # the line's name, or "ny rad"
    show_member: bool
    theirs: str = ""  # what someone else saved meanwhile, in words; "" without a conflict


@dataclass(frozen=True)
class GroupView:
    state: GroupState
    lines: tuple[LineView, ...]
    totals: tuple[tuple[str, str], ...]  # (figure key, figure)
    first: bool
    last: bool
    is_income: bool
    total_label: str


@dataclass(frozen=True)
class TotalRow:
    label: str
    style: str
    cells: tuple[tuple[str, str], ...]


@dataclass
class GridView:
    grid: Grid
    columns: list[ColumnState]
    groups: list[GroupView] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    projects: list[tuple[str, str]] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)
    column_kinds: list[tuple[str, str]] = field(default_factory=lambda: list(ColumnKind.choices))
    group_kinds: list[tuple[str, str]] = field(default_factory=lambda: list(GroupKind.choices))
    rows: int = 0

    @property
    def colspan(self) -> int:
        return len(self.columns) + 5


def grid_view(
    grid: Grid,
    figures: dict[str, str],
    *,
    projects: dict[int, str],
    members: dict[int, str],
) -> GridView:
    """Arrange ``grid`` with its computed ``figures`` for the template."""
    view = GridView(
        grid=grid,
        columns=grid.columns,
        projects=[(str(pk), name) for pk, name in projects.items()],
        members=[(str(pk), name) for pk, name in members.items()],
    )
    labels = {c.key: c.label or "ny kolumn" for c in grid.columns}
    parents = {line.parent for line in grid.lines if line.parent}
    row = 0
    for g_index, group in enumerate(grid.groups):
        lines = grid.lines_of(group.key)
        tops = [line for line in lines if not line.parent]
        views = []
        for line in lines:
            siblings = grid.children_of(line.parent) if line.parent else tops
            has_children = line.key in parents
            name = line.name.strip() or "ny rad"
            cells = []
            for c_index, column in enumerate(grid.columns, start=1):
                field_name = f"line-{line.key}-amount-{column.key}"
                calc = f"sum-{line.key}-{column.key}" if has_children else ""
                cells.append(
                    Cell(
                        name=field_name,
                        value=line.cells.get(column.key, ""),
                        label=f"{name}, {labels[column.key]}",
                        error=line.errors.get(f"amount-{column.key}", ""),
                        row=row,
                        col=c_index,
                        calc=calc,
                        figure=figures.get(calc, "") if calc else "",
                    )
                )
            views.append(
                LineView(
                    state=line,
                    row=row,
                    depth=1 if line.parent else 0,
                    has_children=has_children,
                    first=line is siblings[0],
                    last=line is siblings[-1],
                    cells=tuple(cells),
                    label=name,
                    show_member=group.kind == GroupKind.CONTRIBUTIONS or bool(line.member),
                    theirs=_theirs(line, labels),
                )
            )
            row += 1
        view.groups.append(
            GroupView(
                state=group,
                lines=tuple(views),
                totals=tuple(
                    (f"gt-{group.key}-{c.key}", figures.get(f"gt-{group.key}-{c.key}", ""))
                    for c in grid.columns
                ),
                first=g_index == 0,
                last=g_index == len(grid.groups) - 1,
                is_income=group.kind in INCOME_KINDS,
                total_label=group.total_label or f"Summa {group.name.lower()}",
            )
        )
    view.rows = row
    view.totals = [
        TotalRow(
            label=label,
            style=style,
            cells=tuple(
                (f"{key}-{c.key}", figures.get(f"{key}-{c.key}", "")) for c in grid.columns
            ),
        )
        for key, label, style in TOTAL_ROWS
    ]
    return view


def _theirs(line: LineState, labels: dict[str, str]) -> str:
    """The stored version of a line someone else changed: ``Lön – 2022: 2 200 000; 2023: tom``."""
    theirs = line.theirs
    if theirs is None:
        return ""
    cells = "; ".join(f"{label}: {theirs.cells.get(key) or 'tom'}" for key, label in labels.items())
    text = f"{theirs.name} – {cells}" if cells else theirs.name
    if theirs.footnote:
        text += f" (fotnot: {theirs.footnote})"
    return text
