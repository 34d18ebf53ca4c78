"""Reading the plan's budget: columns, groups, lines with their sub-lines, and amounts."""

from __future__ import annotations

import json
from typing import Any

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine, ColumnKind
from budget.models import GroupKind as BudgetGroupKind
from plans.planfile import errors
from plans.planfile.draft import Reading, ok, value_or
from plans.planfile.reader import show
from plans.planfile.schema import BUDGET_GROUP_FIELDS, COLUMN_FIELDS, LINE_FIELDS


class BudgetReading(Reading):
    def read_budget(self, obj: Any, path: str) -> None:
        r = self.r
        seen: dict[Any, str] = {}
        for order, (item_path, item) in enumerate(r.items(obj, "columns", path)):
            mark = r.mark()
            column_obj = r.object(item, item_path, COLUMN_FIELDS)
            if column_obj is None:
                continue
            label = r.text(column_obj, "label", item_path, required=True, blank=False)
            column = BudgetColumn(
                plan=self.draft.plan,
                kind=value_or(
                    r.choice(column_obj, "kind", item_path, ColumnKind.values, required=True), ""
                ),
                year=value_or(r.integer(column_obj, "year", item_path, required=True), 0),
                label=value_or(label, ""),
                order=order,
            )
            r.clean(column, item_path, mark=mark, exclude=["plan"])
            if ok(label) and self.unique(
                seen, label, f"{item_path}.label", errors.DUPLICATE_NAME, name=show(label)
            ):
                self.columns[label] = column
                self.draft.columns.append(column)

        for order, (item_path, item) in enumerate(r.items(obj, "groups", path)):
            mark = r.mark()
            group_obj = r.object(item, item_path, BUDGET_GROUP_FIELDS)
            if group_obj is None:
                continue
            group = BudgetGroup(
                plan=self.draft.plan,
                kind=value_or(
                    r.choice(group_obj, "kind", item_path, BudgetGroupKind.values, required=True),
                    "",
                ),
                name=value_or(r.text(group_obj, "name", item_path, required=True), ""),
                total_label=value_or(r.text(group_obj, "total_label", item_path), ""),
                order=order,
            )
            r.clean(group, item_path, mark=mark, exclude=["plan"])
            self.draft.budget_groups.append(group)
            self.read_lines(group, group_obj, item_path)

    def read_lines(self, group: BudgetGroup, obj: Any, path: str) -> None:
        r = self.r
        tops: dict[str, BudgetLine] = {}
        top_paths: dict[Any, str] = {}
        sub_paths: dict[Any, str] = {}  # (parent, name) -> path
        sub_names: set[str] = set()
        parents_with_amounts: dict[str, str] = {}  # name -> path of its amounts
        parents_with_children: list[str] = []
        for order, (item_path, item) in enumerate(r.items(obj, "lines", path)):
            mark = r.mark()
            line_obj = r.object(item, item_path, LINE_FIELDS)
            if line_obj is None:
                continue
            name = r.text(line_obj, "name", item_path, required=True)
            parent_name = r.name(line_obj, "parent", item_path)
            parent = None
            if ok(parent_name) and parent_name is not None:
                if parent_name in tops:
                    parent = tops[parent_name]
                    if parent_name not in parents_with_children:
                        parents_with_children.append(parent_name)
                elif parent_name in sub_names:
                    r.add(
                        f"{item_path}.parent",
                        errors.PARENT_IS_SUB_LINE.format(name=show(parent_name)),
                    )
                else:
                    r.add(
                        f"{item_path}.parent", errors.PARENT_MISSING.format(name=show(parent_name))
                    )
            line = BudgetLine(
                group=group,
                parent=parent,
                name=value_or(name, ""),
                member=value_or(self.member(line_obj, "member", item_path), None),
                project=value_or(self.project(line_obj, "project", item_path), None),
                footnote=value_or(r.text(line_obj, "footnote", item_path), ""),
                order=order,
            )
            r.clean(line, item_path, mark=mark, exclude=["group", "parent", "member", "project"])
            if ok(name) and parent_name is None:
                if self.unique(
                    top_paths, name, f"{item_path}.name", errors.DUPLICATE_NAME, name=show(name)
                ):
                    tops[name] = line
            elif ok(name) and ok(parent_name):
                sub_names.add(name)
                self.unique(
                    sub_paths,
                    (parent_name, name),
                    f"{item_path}.name",
                    errors.DUPLICATE_NAME,
                    name=show(name),
                )
            (self.draft.sub_lines if parent is not None else self.draft.lines).append(line)

            amounts = r.mapping(line_obj, "amounts", item_path)
            if amounts and ok(name) and parent_name is None:
                parents_with_amounts[name] = f"{item_path}.amounts"
            for label, raw in amounts.items():
                amount_path = f"{item_path}.amounts[{json.dumps(label, ensure_ascii=False)}]"
                value = r.decimal_value(raw, amount_path, places=2, digits=15, amount=True)
                column = self.columns.get(label)
                if column is None:
                    r.add(amount_path, errors.UNKNOWN_COLUMN.format(label=show(label)))
                elif ok(value):
                    self.draft.amounts.append(BudgetAmount(line=line, column=column, amount=value))
        for parent_name in parents_with_children:
            if parent_name in parents_with_amounts:
                r.add(parents_with_amounts[parent_name], errors.PARENT_HAS_AMOUNTS)
