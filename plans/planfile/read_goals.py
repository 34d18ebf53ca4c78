"""Reading the plan's goals: areas, goals, targets and their outcomes."""

from __future__ import annotations

from typing import Any

from goals.models import Goal, GoalArea, Outcome, Target, TargetKind
from plans.planfile import errors
from plans.planfile.draft import Reading, ok, value_or
from plans.planfile.reader import show
from plans.planfile.schema import AREA_FIELDS, GOAL_FIELDS, OUTCOME_FIELDS, TARGET_FIELDS


class GoalsReading(Reading):
    def read_goal_areas(self, obj: Any, path: str) -> None:
        r = self.r
        seen: dict[Any, str] = {}
        for order, (item_path, item) in enumerate(r.items(obj, "goal_areas", path)):
            mark = r.mark()
            area_obj = r.object(item, item_path, AREA_FIELDS)
            if area_obj is None:
                continue
            name = r.text(area_obj, "name", item_path, required=True)
            if ok(name):
                self.unique(seen, name, f"{item_path}.name", errors.DUPLICATE_NAME, name=show(name))
            area = GoalArea(
                plan=self.draft.plan,
                name=value_or(name, ""),
                description=value_or(r.text(area_obj, "description", item_path), ""),
                order=order,
            )
            r.clean(area, item_path, mark=mark, exclude=["plan"])
            self.draft.areas.append(area)
            for goal_order, (goal_path, goal_item) in enumerate(
                r.items(area_obj, "goals", item_path)
            ):
                self.read_goal(area, goal_item, goal_path, goal_order)

    def read_goal(self, area: GoalArea, item: Any, path: str, order: int) -> None:
        r = self.r
        mark = r.mark()
        obj = r.object(item, path, GOAL_FIELDS)
        if obj is None:
            return
        goal = Goal(
            area=area,
            indicator=value_or(r.text(obj, "indicator", path, required=True), ""),
            measurement=value_or(r.text(obj, "measurement", path), ""),
            reporting=value_or(r.text(obj, "reporting", path), ""),
            comment=value_or(r.text(obj, "comment", path), ""),
            order=order,
        )
        r.clean(goal, path, mark=mark, exclude=["area"])
        self.draft.goals.append(goal)
        for target_order, (target_path, target_item) in enumerate(r.items(obj, "targets", path)):
            self.read_target(goal, target_item, target_path, target_order)

    def read_target(self, goal: Goal, item: Any, path: str, order: int) -> None:
        r = self.r
        mark = r.mark()
        obj = r.object(item, path, TARGET_FIELDS)
        if obj is None:
            return
        kind = r.choice(obj, "kind", path, TargetKind.values, required=True)
        value = r.decimal(obj, "value", path, places=2, digits=12, nullable=True)
        text = r.text(obj, "text", path)
        if kind == TargetKind.TEXT and ok(text) and not text.strip():
            r.add(f"{path}.text", errors.TARGET_NEEDS_TEXT)
        elif kind in (TargetKind.NUMBER, TargetKind.PERCENT) and value is None:
            r.add(f"{path}.value", errors.TARGET_NEEDS_VALUE.format(kind=kind))
        target = Target(
            goal=goal,
            project=value_or(self.project(obj, "project", path), None),
            kind=value_or(kind, ""),
            value=value_or(value, None),
            unit=value_or(r.text(obj, "unit", path), ""),
            text=value_or(text, ""),
            previous_value=value_or(
                r.decimal(obj, "previous_value", path, places=2, digits=12, nullable=True), None
            ),
            previous_text=value_or(r.text(obj, "previous_text", path), ""),
            order=order,
        )
        r.clean(target, path, mark=mark, exclude=["goal", "project"])
        self.draft.targets.append(target)
        seen: dict[Any, str] = {}
        for outcome_path, outcome_item in r.items(obj, "outcomes", path):
            mark = r.mark()
            outcome_obj = r.object(outcome_item, outcome_path, OUTCOME_FIELDS)
            if outcome_obj is None:
                continue
            period = r.text(outcome_obj, "period", outcome_path, required=True)
            if ok(period):
                self.unique(
                    seen,
                    period,
                    f"{outcome_path}.period",
                    errors.DUPLICATE_PERIOD,
                    period=show(period),
                )
            outcome_value = r.decimal(
                outcome_obj, "value", outcome_path, places=2, digits=12, nullable=True
            )
            outcome_text = r.text(outcome_obj, "text", outcome_path)
            if outcome_value is None and outcome_text == "":
                r.add(outcome_path, errors.OUTCOME_NEEDS_VALUE)
            outcome = Outcome(
                target=target,
                period=value_or(period, ""),
                value=value_or(outcome_value, None),
                text=value_or(outcome_text, ""),
                recorded_on=value_or(r.date(outcome_obj, "recorded_on", outcome_path), None),
            )
            r.clean(outcome, outcome_path, mark=mark, exclude=["target"])
            self.draft.outcomes.append(outcome)
