"""The grid as one person has it on the page: what it holds, how it is checked and computed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from budget.calc import BudgetInput, ColumnIn, GroupIn, LineIn
from budget.models import ColumnKind, GroupKind
from plans.editor.grid.ops import GridOps
from plans.editor.grid.rows import ColumnState, GroupState, LineState
from plans.editor.grid.values import (
    GROUP_NAME_MAX,
    GROUP_NAME_REQUIRED,
    KIND_INVALID,
    LABEL_MAX,
    LABEL_REQUIRED,
    LABEL_TAKEN,
    LABEL_TOO_LONG,
    LINE_NAME_MAX,
    NAME_REQUIRED,
    NAME_TOO_LONG,
    PARENT_INVALID,
    UNKNOWN_CHOICE,
    YEAR_INVALID,
    decimal_text,
    digest,
    is_new,
    parse_cell,
)


@dataclass
class Grid(GridOps):
    plan_year: int
    plan_version: int
    plan_orig: str
    opening_equity: str  # as typed
    columns: list[ColumnState]
    groups: list[GroupState]
    lines: list[LineState]
    deleted_lines: dict[str, int] = field(default_factory=dict)  # key -> version as loaded
    deleted_columns: list[str] = field(default_factory=list)
    deleted_groups: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # "opening_equity", "form"
    focus: str = ""  # the id of the control to focus after a structural change

    # -- reading -----------------------------------------------------------------------------

    def structure_digest(self) -> str:
        equity, _ = parse_cell(self.opening_equity)
        return digest(
            [
                decimal_text(equity) if equity is not None else "",
                [(c.key, c.label, c.kind, c.year.strip()) for c in self.columns],
                [(g.key, g.kind, g.name, g.total_label) for g in self.groups],
            ]
        )

    def has_errors(self) -> bool:
        return bool(
            self.errors
            or any(c.errors for c in self.columns)
            or any(g.errors for g in self.groups)
            or any(line.errors for line in self.lines)
        )

    def field_errors(self) -> dict[str, str]:
        """Input name -> message, for every field with an error: what the preview sends back."""
        errors = {}
        if "opening_equity" in self.errors:
            errors["opening_equity"] = self.errors["opening_equity"]
        for column in self.columns:
            for name, message in column.errors.items():
                errors[f"col-{column.key}-{name}"] = message
        for group in self.groups:
            for name, message in group.errors.items():
                errors[f"grp-{group.key}-{name}"] = message
        for line in self.lines:
            for name, message in line.errors.items():
                errors[f"line-{line.key}-{name}"] = message
        return errors

    # -- checking ----------------------------------------------------------------------------

    def validate(self, *, project_ids: set[int], member_ids: set[int]) -> None:
        """Set the errors of every field that cannot be saved as it is."""
        self.errors.pop("opening_equity", None)
        equity, error = parse_cell(self.opening_equity)
        if error:
            self.errors["opening_equity"] = error
        elif equity is not None and equity != equity.quantize(Decimal("0.01")):
            self.errors["opening_equity"] = "Ange högst två decimaler."
        labels: dict[str, str] = {}
        for column in self.columns:
            column.errors = {}
            label = column.label.strip()
            if not label:
                column.errors["label"] = LABEL_REQUIRED
            elif len(label) > LABEL_MAX:
                column.errors["label"] = LABEL_TOO_LONG.format(max=LABEL_MAX)
            elif label in labels:
                column.errors["label"] = LABEL_TAKEN.format(label=label)
            labels.setdefault(label, column.key)
            if column.kind not in ColumnKind.values:
                column.errors["kind"] = KIND_INVALID
            if column.year_value is None:
                column.errors["year"] = YEAR_INVALID
        for group in self.groups:
            group.errors = {}
            if not group.name.strip():
                group.errors["name"] = GROUP_NAME_REQUIRED
            elif len(group.name) > GROUP_NAME_MAX:
                group.errors["name"] = NAME_TOO_LONG.format(max=GROUP_NAME_MAX)
            if group.kind not in GroupKind.values:
                group.errors["kind"] = KIND_INVALID
        column_keys = {c.key for c in self.columns}
        by_key = {line.key: line for line in self.lines}
        for line in self.lines:
            line.errors = {}
            if not line.name.strip():
                line.errors["name"] = NAME_REQUIRED
            elif len(line.name) > LINE_NAME_MAX:
                line.errors["name"] = NAME_TOO_LONG.format(max=LINE_NAME_MAX)
            if line.parent:
                parent = by_key.get(line.parent)
                if parent is None or parent.group != line.group or parent.parent:
                    line.errors["name"] = PARENT_INVALID
            if line.project and not (line.project.isdigit() and int(line.project) in project_ids):
                line.errors["project"] = UNKNOWN_CHOICE
            if line.member and not (line.member.isdigit() and int(line.member) in member_ids):
                line.errors["member"] = UNKNOWN_CHOICE
            for key, text in line.cells.items():
                if key not in column_keys:
                    continue
                _, error = parse_cell(text)
                if not error and text.strip():
                    value, _ = parse_cell(text)
                    if value is not None and value != value.quantize(Decimal("0.01")):
                        error = "Ange högst två decimaler."
                if error:
                    line.errors[f"amount-{key}"] = error

    # -- computing ---------------------------------------------------------------------------

    def ids(self) -> dict[str, int]:
        """Key -> an id for the computation: stored rows keep theirs, new rows get negative ids."""
        ids: dict[str, int] = {}
        counter = 0
        for key in [
            *(c.key for c in self.columns),
            *(g.key for g in self.groups),
            *(line.key for line in self.lines),
        ]:
            if key in ids:
                continue
            if is_new(key):
                counter -= 1
                ids[key] = counter
            else:
                ids[key] = int(key)
        return ids

    def budget_input(self, stored: BudgetInput) -> BudgetInput:
        """Return ``stored`` (the plan's saved input) with this grid's budget in its place.

        Malformed cells count as empty; so does a malformed opening equity (as zero).
        """
        ids = self.ids()
        # Columns, groups and lines have separate id spaces in the database, so a column and a
        # line may share an id; only new rows need ids of their own here.
        columns = tuple(
            ColumnIn(
                id=ids[c.key],
                kind=c.kind,
                year=c.year_value or self.plan_year,
                label=c.label.strip() or f"({index})",
            )
            for index, c in enumerate(self.columns, start=1)
        )
        groups = tuple(
            GroupIn(id=ids[g.key], kind=g.kind, name=g.name, total_label=g.total_label)
            for g in self.groups
        )
        column_ids = {c.key: ids[c.key] for c in self.columns}
        group_ids = {g.key: ids[g.key] for g in self.groups}
        lines = []
        for line in self.lines:
            if line.group not in group_ids:
                continue
            amounts = {column_ids[k]: v for k, v in line.amounts().items() if k in column_ids}
            lines.append(
                LineIn(
                    id=ids[line.key],
                    group_id=group_ids[line.group],
                    parent_id=ids.get(line.parent) if line.parent else None,
                    name=line.name,
                    project_id=int(line.project) if line.project.isdigit() else None,
                    member_id=int(line.member) if line.member.isdigit() else None,
                    footnote=line.footnote,
                    amounts=amounts,
                )
            )
        equity, error = parse_cell(self.opening_equity)
        return replace(
            stored,
            opening_equity=equity if equity is not None and not error else Decimal(0),
            columns=columns,
            groups=groups,
            lines=tuple(lines),
        )
