"""Saving the budget grid: the whole grid in one transaction, line by line against the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from djmoney.money import Money

from budget.calc import BudgetInput
from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from budget.selectors import plan_budget_input
from finsam.formatting import format_amount
from plans.editor.grid import Grid, LineState, grid_from_input, is_new, parse_cell
from plans.editor.services.common import EditConflictError, plan_lock_for_edit
from plans.models import Plan

CONFLICT_LINE = (
    "Raden ”{name}” har ändrats av någon annan sedan du öppnade sidan. Det som är sparat nu står "
    "under raden; dina ändringar står kvar i fälten. Spara igen om dina ska gälla."
)
CONFLICT_LINE_GONE = (
    "Raden ”{name}” har tagits bort av någon annan sedan du öppnade sidan. Spara igen om du vill "
    "lägga tillbaka den med dina ändringar."
)
CONFLICT_DELETED_CHANGED = (
    "Raden ”{name}”, som du tar bort, har ändrats av någon annan: {theirs}. Spara igen om den ändå "
    "ska tas bort."
)
CONFLICT_STRUCTURE = (
    "Någon annan har ändrat budgetens kolumner, grupper eller ingående eget kapital sedan du "
    "öppnade sidan. Sparat nu: {theirs}. Spara igen om dina ändringar ska gälla."
)
CONFLICT_GROUP_LINES = (
    "Gruppen ”{name}”, som du tar bort, har fått rader av någon annan: {lines}. Spara igen om "
    "gruppen ändå ska tas bort med dem."
)
BUDGET_NOT_SAVED = (
    "Budgeten sparades inte. Rätta de markerade fälten; inget av det sparade har ändrats."
)


@dataclass
class _Plan:
    """What the grid save decided to write."""

    structure_changed: bool = False
    write_lines: list[LineState] = field(default_factory=list)  # new or changed by this person
    delete_lines: list[int] = field(default_factory=list)


def budget_grid_load(*, plan: Plan, data: BudgetInput | None = None) -> Grid:
    """Return the stored budget of ``plan`` as the grid shows it.

    ``data`` is the plan's ``plan_budget_input`` if the caller has read it already.
    """
    if data is None:
        data = plan_budget_input(plan=plan)
    versions = dict(BudgetLine.objects.filter(group__plan=plan).values_list("id", "version"))
    return grid_from_input(data, plan_version=plan.version, versions=versions)


@transaction.atomic
def budget_grid_save(*, plan: Plan, grid: Grid) -> None:
    """Save the whole budget ``grid`` of ``plan`` in one transaction, or nothing of it.

    ``grid`` must be valid (``Grid.validate`` found no errors). Lines changed on the page are
    written and their versions go up; lines the person did not change keep what is stored, also
    if someone else changed them meanwhile. A changed column, group or opening equity raises the
    plan's version. Raise PlanLockedError if the plan is approved, and EditConflictError if someone
    else saved a change to a line, a deleted line or the structure this grid changes; then ``grid``
    is updated to show their version beside the person's, and saving it again writes the person's.
    """
    locked = plan_lock_for_edit(plan=plan)
    current = budget_grid_load(plan=locked)
    decided = _decide(grid, current)
    _write(locked, grid, decided, current)


def _decide(grid: Grid, current: Grid) -> _Plan:
    """Compare ``grid`` with the ``current`` stored budget; raise EditConflictError on a conflict.

    A line counts as changed by this person when its content differs from the digest it was
    loaded with, and as changed by someone else when its stored version moved on and its stored
    content differs from that digest too. Only both at once, to different content, conflict.
    """
    messages: list[str] = []
    decided = _Plan()
    stored = {line.key: line for line in current.lines}

    mine = grid.structure_digest() != grid.plan_orig or bool(
        grid.deleted_columns or grid.deleted_groups
    )
    theirs = current.plan_orig != grid.plan_orig
    decided.structure_changed = mine
    grid.plan_version = current.plan_version

    keep: list[LineState] = []
    for line in grid.lines:
        if is_new(line.key) or (line.key not in stored and line.version is None):
            decided.write_lines.append(line)
            keep.append(line)
            continue
        changed_by_me = line.digest() != line.orig
        db = stored.get(line.key)
        if db is None:
            if changed_by_me:
                messages.append(CONFLICT_LINE_GONE.format(name=line.name))
                line.version = None  # saved again, it is added anew
                keep.append(line)
            continue  # gone, and this person did not change it: let it go
        keep.append(line)
        changed_by_them = db.version != line.version and db.digest() != line.orig
        if changed_by_me and changed_by_them and line.digest() != db.digest():
            messages.append(CONFLICT_LINE.format(name=db.name))
            line.theirs = db
            line.version, line.orig = db.version, db.orig
        elif changed_by_me:
            decided.write_lines.append(line)
        elif changed_by_them:
            _take_stored(line, db)
    grid.lines = keep

    if theirs:
        # Their columns and groups stand unless this person changed them too; a line written
        # into a column or group that is no longer there would lose what was typed.
        columns = {c.key for c in current.columns}
        groups = {g.key for g in current.groups}
        orphaned = any(
            line.group not in groups or any(k not in columns for k in line.amounts())
            for line in decided.write_lines
        )
        if mine or orphaned:
            messages.append(CONFLICT_STRUCTURE.format(theirs=_structure_text(current)))
            grid.plan_orig = current.plan_orig

    for key, version in list(grid.deleted_lines.items()):
        db = stored.get(key)
        if db is None:
            del grid.deleted_lines[key]
            continue
        if db.version != version:
            messages.append(
                CONFLICT_DELETED_CHANGED.format(name=db.name, theirs=_line_text(db, current))
            )
            grid.deleted_lines[key] = db.version or 1
        decided.delete_lines.append(int(key))

    for group_key in grid.deleted_groups:
        newcomers = [
            line
            for line in current.lines
            if line.group == group_key and line.key not in grid.deleted_lines
        ]
        if newcomers:
            name = next((g.name for g in current.groups if g.key == group_key), "")
            messages.append(
                CONFLICT_GROUP_LINES.format(name=name, lines=", ".join(n.name for n in newcomers))
            )
            for line in newcomers:
                grid.deleted_lines[line.key] = line.version or 1

    if messages:
        raise EditConflictError(messages)
    return decided


def _take_stored(line: LineState, db: LineState) -> None:
    """Show the stored content of a line only someone else changed (the page had the old one)."""
    line.name, line.footnote = db.name, db.footnote
    line.project, line.member = db.project, db.member
    line.cells = dict(db.cells)
    line.version, line.orig = db.version, db.orig


def _write(plan: Plan, grid: Grid, decided: _Plan, current: Grid) -> None:
    if decided.structure_changed:
        equity, _ = parse_cell(grid.opening_equity)
        plan.opening_equity = Money(equity or Decimal(0), "SEK")
        plan.version += 1
        plan.full_clean()
        plan.save()
    if decided.delete_lines:
        BudgetLine.objects.filter(group__plan=plan, pk__in=decided.delete_lines).delete()
    if decided.structure_changed:
        if grid.deleted_groups:
            BudgetGroup.objects.filter(
                plan=plan, pk__in=[int(k) for k in grid.deleted_groups]
            ).delete()
        if grid.deleted_columns:
            BudgetColumn.objects.filter(
                plan=plan, pk__in=[int(k) for k in grid.deleted_columns]
            ).delete()
        column_ids = _write_columns(plan, grid)
        group_ids = _write_groups(plan, grid)
    else:
        column_ids = {c.key: int(c.key) for c in current.columns}
        group_ids = {g.key: int(g.key) for g in current.groups}
    _write_lines(plan, grid, decided, column_ids, group_ids)


def _write_columns(plan: Plan, grid: Grid) -> dict[str, int]:
    stored = {c.pk: c for c in BudgetColumn.objects.filter(plan=plan)}
    labels = {pk: c.label for pk, c in stored.items()}
    ids: dict[str, int] = {}
    changed: list[BudgetColumn] = []
    for order, state in enumerate(grid.columns):
        column = stored.get(int(state.key)) if not is_new(state.key) else None
        values = {
            "label": state.label.strip(),
            "kind": state.kind,
            "year": state.year_value,
            "order": order,
        }
        if column is None:
            column = BudgetColumn.objects.create(plan=plan, **values)
        elif any(getattr(column, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(column, name, value)
            changed.append(column)
        ids[state.key] = column.pk
    if changed:
        # Labels are unique per plan: step aside first, so two columns can swap their labels.
        renamed = [c for c in changed if labels[c.pk] != c.label]
        if renamed:
            for column in renamed:
                BudgetColumn.objects.filter(pk=column.pk).update(label=f"\u2060{column.pk}")
        BudgetColumn.objects.bulk_update(changed, ["label", "kind", "year", "order"])
    return ids


def _write_groups(plan: Plan, grid: Grid) -> dict[str, int]:
    stored = {g.pk: g for g in BudgetGroup.objects.filter(plan=plan)}
    ids: dict[str, int] = {}
    changed: list[BudgetGroup] = []
    new: list[tuple[str, BudgetGroup]] = []
    for order, state in enumerate(grid.groups):
        values = {
            "kind": state.kind,
            "name": state.name.strip(),
            "total_label": state.total_label.strip(),
            "order": order,
        }
        group = stored.get(int(state.key)) if not is_new(state.key) else None
        if group is None:
            new.append((state.key, BudgetGroup(plan=plan, **values)))
            continue
        if any(getattr(group, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(group, name, value)
            changed.append(group)
        ids[state.key] = group.pk
    if new:
        created = BudgetGroup.objects.bulk_create([group for _, group in new])
        ids.update({key: group.pk for (key, _), group in zip(new, created, strict=True)})
    if changed:
        BudgetGroup.objects.bulk_update(changed, ["kind", "name", "total_label", "order"])
    return ids


def _write_lines(
    plan: Plan,
    grid: Grid,
    decided: _Plan,
    column_ids: dict[str, int],
    group_ids: dict[str, int],
) -> None:
    writing = {line.key for line in decided.write_lines}
    stored = {
        line.pk: line
        for line in BudgetLine.objects.filter(group__plan=plan).only(
            "id", "group_id", "parent_id", "order", "version"
        )
    }
    # New lines first (a sub-line may sit under a new line), then every line's content and order.
    new_rows = [
        line
        for line in grid.lines
        if line.key in writing and (is_new(line.key) or int(line.key) not in stored)
    ]
    created = BudgetLine.objects.bulk_create(
        [BudgetLine(group_id=group_ids[line.group], name=line.name.strip()) for line in new_rows]
    )
    line_ids = {line.key: int(line.key) for line in grid.lines if not is_new(line.key)}
    line_ids.update({line.key: obj.pk for line, obj in zip(new_rows, created, strict=True)})
    objects = {obj.pk: obj for obj in created} | stored

    content: list[BudgetLine] = []
    moved: list[BudgetLine] = []
    for order, state in enumerate(grid.lines):
        obj = objects.get(line_ids[state.key])
        if obj is None:  # a line someone else deleted, that this person did not change
            continue
        if state.key in writing:
            obj.group_id = group_ids[state.group]
            obj.parent_id = line_ids.get(state.parent) if state.parent else None
            obj.name = state.name.strip()
            obj.footnote = state.footnote.strip()
            obj.project_id = int(state.project) if state.project else None
            obj.member_id = int(state.member) if state.member else None
            obj.order = order
            if obj.pk in stored:
                obj.version += 1
            content.append(obj)
        elif obj.order != order:
            obj.order = order
            moved.append(obj)
    fields = ["group", "parent", "name", "footnote", "project", "member", "order", "version"]
    BudgetLine.objects.bulk_update(content, fields, batch_size=200)
    BudgetLine.objects.bulk_update(moved, ["order"], batch_size=200)

    # The amounts of the lines written, cell by cell: changed cells are updated in place, new
    # ones added, emptied ones deleted (a line with sub-lines has none of its own).
    ids = [line_ids[key] for key in writing]
    parents = {line.parent for line in grid.lines if line.parent}
    wanted: dict[tuple[int, int], Decimal] = {
        (line_ids[state.key], column_ids[column_key]): value
        for state in grid.lines
        if state.key in writing and state.key not in parents
        for column_key, value in state.amounts().items()
        if column_key in column_ids
    }
    existing = {(a.line_id, a.column_id): a for a in BudgetAmount.objects.filter(line_id__in=ids)}
    changed = []
    for cell, amount in existing.items():
        if cell in wanted and amount.amount.amount != wanted[cell]:
            amount.amount = Money(wanted[cell], "SEK")
            changed.append(amount)
    gone = [amount.pk for cell, amount in existing.items() if cell not in wanted]
    if gone:
        BudgetAmount.objects.filter(pk__in=gone).delete()
    BudgetAmount.objects.bulk_update(changed, ["amount"], batch_size=500)
    BudgetAmount.objects.bulk_create(
        [
            BudgetAmount(line_id=line_id, column_id=column_id, amount=Money(value, "SEK"))
            for (line_id, column_id), value in wanted.items()
            if (line_id, column_id) not in existing
        ],
        batch_size=500,
    )


def _line_text(line: LineState, grid: Grid) -> str:
    """A stored line in words: ``Personalkostnader: 2022 2 113 596, 2023 2 213 050``."""
    labels = {c.key: c.label for c in grid.columns}
    cells = [
        f"{labels[key]} {format_amount(value)}"
        for key, value in line.amounts().items()
        if key in labels
    ]
    return f"{line.name}: {', '.join(cells)}" if cells else line.name


def _structure_text(grid: Grid) -> str:
    equity, _ = parse_cell(grid.opening_equity)
    columns = ", ".join(c.label for c in grid.columns) or "inga"
    groups = ", ".join(g.name for g in grid.groups) or "inga"
    return (
        f"kolumner {columns}; grupper {groups}; ingående eget kapital "
        f"{format_amount(equity or Decimal(0))} kr"
    )
