"""The structural changes of the grid, named by the buttons of the page: add, move and delete
lines, sub-lines, columns and groups. They change the unsaved grid only; the save writes it."""

from __future__ import annotations

from budget.models import ColumnKind, GroupKind
from plans.editor.grid.rows import ColumnState, GroupState, LineState
from plans.editor.grid.values import NEW_PREFIX, is_new


class GridOps:
    """Mixed into ``Grid``: the operations work on its ``columns``, ``groups`` and ``lines``."""

    plan_year: int
    columns: list[ColumnState]
    groups: list[GroupState]
    lines: list[LineState]
    deleted_lines: dict[str, int]
    deleted_columns: list[str]
    deleted_groups: list[str]
    focus: str

    def line(self, key: str) -> LineState:
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)

    def lines_of(self, group_key: str) -> list[LineState]:
        return [line for line in self.lines if line.group == group_key]

    def children_of(self, line_key: str) -> list[LineState]:
        return [line for line in self.lines if line.parent == line_key]

    # -- structural changes ------------------------------------------------------------------

    def apply(self, op: str, *, new_group_kind: str = "") -> None:
        """Apply one structural change named by a button: ``"add-line:<group>"``, ``"up-line:12"``…

        An unknown operation or key changes nothing.
        """
        name, _, key = op.partition(":")
        handler = getattr(self, "_op_" + name.replace("-", "_"), None)
        if handler is None:
            return
        try:
            if name == "add-group":
                handler(new_group_kind)
            elif name == "add-col":
                handler()
            else:
                handler(key)
        except (KeyError, ValueError):
            return

    def _new_key(self) -> str:
        used = [
            int(k[len(NEW_PREFIX) :])
            for k in [
                *(c.key for c in self.columns),
                *(g.key for g in self.groups),
                *(line.key for line in self.lines),
            ]
            if is_new(k)
        ]
        return f"{NEW_PREFIX}{max(used, default=0) + 1}"

    def _op_add_line(self, group_key: str) -> None:
        if not any(g.key == group_key for g in self.groups):
            raise KeyError(group_key)
        line = LineState(key=self._new_key(), group=group_key, parent="", name="")
        group_lines = self.lines_of(group_key)
        index = (
            self.lines.index(group_lines[-1]) + 1 if group_lines else self._group_start(group_key)
        )
        self.lines.insert(index, line)
        self.focus = f"line-{line.key}-name"

    def _op_add_sub(self, line_key: str) -> None:
        parent = self.line(line_key)
        if parent.parent:
            raise ValueError("sub-lines are one level deep")
        block = self._block(parent)
        line = LineState(key=self._new_key(), group=parent.group, parent=parent.key, name="")
        if not parent.parent and not self.children_of(parent.key):
            # The parent's own amounts become its first sub-line's: nothing typed is lost.
            line.cells, parent.cells = parent.cells, {}
        self.lines.insert(self.lines.index(block[-1]) + 1, line)
        self.focus = f"line-{line.key}-name"

    def _op_del_line(self, line_key: str) -> None:
        line = self.line(line_key)
        for gone in self._block(line):
            self.lines.remove(gone)
            if not is_new(gone.key) and gone.version is not None:
                self.deleted_lines[gone.key] = gone.version
        self.focus = "grid-status"

    def _op_up_line(self, line_key: str) -> None:
        self._move_line(line_key, -1)

    def _op_down_line(self, line_key: str) -> None:
        self._move_line(line_key, +1)

    def _move_line(self, line_key: str, step: int) -> None:
        """Move a line (with its sub-lines) past its neighbour; past the first or last line of
        its group it goes on into the group before or after. A sub-line moves among its siblings.
        """
        line = self.line(line_key)
        self.focus = f"op-{'up' if step < 0 else 'down'}-line-{line.key}"
        if line.parent:
            siblings = self.children_of(line.parent)
            index = siblings.index(line)
            if 0 <= index + step < len(siblings):
                other = siblings[index + step]
                a, b = self.lines.index(line), self.lines.index(other)
                self.lines[a], self.lines[b] = other, line
            return
        tops = [x for x in self.lines_of(line.group) if not x.parent]
        index = tops.index(line)
        block = self._block(line)
        if 0 <= index + step < len(tops):
            neighbour = self._block(tops[index + step])
            for moving in block:
                self.lines.remove(moving)
            edge = neighbour[0] if step < 0 else neighbour[-1]
            at = self.lines.index(edge) + (0 if step < 0 else 1)
        else:
            group_keys = [g.key for g in self.groups]
            position = group_keys.index(line.group) + step
            if not 0 <= position < len(group_keys):
                return
            target = group_keys[position]
            for moving in block:
                self.lines.remove(moving)
                moving.group = target
            target_lines = self.lines_of(target)
            if not target_lines:
                at = self._group_start(target)
            elif step < 0:
                at = self.lines.index(target_lines[-1]) + 1
            else:
                at = self.lines.index(target_lines[0])
        for offset, moving in enumerate(block):
            self.lines.insert(at + offset, moving)

    def _group_start(self, group_key: str) -> int:
        """The index in ``lines`` where the lines of a group would start."""
        order = [g.key for g in self.groups]
        position = order.index(group_key)
        for index, line in enumerate(self.lines):
            if line.group in order and order.index(line.group) > position:
                return index
        return len(self.lines)

    def _block(self, line: LineState) -> list[LineState]:
        return [line, *self.children_of(line.key)]

    def _op_add_col(self) -> None:
        key = self._new_key()
        last = self.columns[-1] if self.columns else None
        year = (last.year_value + 1) if last and last.year_value else self.plan_year
        self.columns.append(
            ColumnState(key=key, label=str(year), kind=ColumnKind.BUDGET, year=str(year))
        )
        self.focus = f"col-{key}-label"

    def _op_del_col(self, key: str) -> None:
        column = next(c for c in self.columns if c.key == key)
        self.columns.remove(column)
        for line in self.lines:
            line.cells.pop(key, None)
        if not is_new(key):
            self.deleted_columns.append(key)
        self.focus = "grid-status"

    def _op_left_col(self, key: str) -> None:
        self._move_column(key, -1)

    def _op_right_col(self, key: str) -> None:
        self._move_column(key, +1)

    def _move_column(self, key: str, step: int) -> None:
        column = next(c for c in self.columns if c.key == key)
        index = self.columns.index(column)
        self.focus = f"op-{'left' if step < 0 else 'right'}-col-{key}"
        if 0 <= index + step < len(self.columns):
            self.columns[index], self.columns[index + step] = self.columns[index + step], column

    def _op_add_group(self, kind: str) -> None:
        if kind not in GroupKind.values:
            raise ValueError(kind)
        key = self._new_key()
        self.groups.append(
            GroupState(key=key, kind=kind, name=GroupKind(kind).label.capitalize(), total_label="")
        )
        self.focus = f"grp-{key}-name"

    def _op_del_group(self, key: str) -> None:
        group = next(g for g in self.groups if g.key == key)
        for line in self.lines_of(key):
            self.lines.remove(line)
            if not is_new(line.key) and line.version is not None:
                self.deleted_lines[line.key] = line.version
        self.groups.remove(group)
        if not is_new(key):
            self.deleted_groups.append(key)
        self.focus = "grid-status"

    def _op_up_group(self, key: str) -> None:
        self._move_group(key, -1)

    def _op_down_group(self, key: str) -> None:
        self._move_group(key, +1)

    def _move_group(self, key: str, step: int) -> None:
        group = next(g for g in self.groups if g.key == key)
        index = self.groups.index(group)
        self.focus = f"op-{'up' if step < 0 else 'down'}-group-{key}"
        if 0 <= index + step < len(self.groups):
            self.groups[index], self.groups[index + step] = self.groups[index + step], group
        # Lines follow their groups.
        order = {g.key: i for i, g in enumerate(self.groups)}
        self.lines.sort(key=lambda line: order.get(line.group, len(order)))
