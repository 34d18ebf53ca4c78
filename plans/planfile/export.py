"""Writing one plan as a plan file (docs/plan-file.md), in a fixed number of queries."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import F

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

FORMAT = "finsam-plan"
VERSION = 1

# Decimal places written for each kind of number (the places the database stores).
AMOUNT_PLACES = 2
PERCENT_PLACES = 2
SHARE_PLACES = 6
FTE_PLACES = 2
TARGET_PLACES = 2


def decimal_text(value: Decimal | None, places: int) -> str | None:
    """Return ``value`` with exactly ``places`` decimals and a point, or None for None."""
    if value is None:
        return None
    value = Decimal(value).quantize(Decimal(1).scaleb(-places))
    if value == 0:
        value = abs(value)  # no "-0.00"
    return f"{value:f}"


def date_text(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def plan_export(*, plan: Plan) -> dict[str, Any]:
    """Return the plan file of ``plan`` as a dict whose keys are in the documented order.

    Runs the same 18 queries whatever the size of the plan.
    """
    plan = Plan.objects.select_related("association").get(pk=plan.pk)
    association = plan.association

    members = list(
        Member.objects.filter(association=association)
        .order_by("order", "id")
        .values_list("id", "name", "kind")
    )
    member_names = {member_id: name for member_id, name, _kind in members}
    projects = list(
        Project.objects.filter(plan=plan)
        .order_by("order", "id")
        .values(
            "id",
            "name",
            "kind",
            "status",
            "owner",
            "starts_on",
            "ends_on",
            "cofinancing",
            "description",
        )
    )
    project_names = {project["id"]: project["name"] for project in projects}

    def member_name(member_id: int | None) -> str | None:
        return member_names.get(member_id) if member_id is not None else None

    def project_name(project_id: int | None) -> str | None:
        return project_names.get(project_id) if project_id is not None else None

    return {
        "format": FORMAT,
        "version": VERSION,
        "association": {
            "name": association.name,
            "org_number": association.org_number,
            "founded": date_text(association.founded),
            "region": association.region,
            "vision": association.vision,
            "thresholds": {
                "equity_limit_pct": decimal_text(association.equity_limit_pct, PERCENT_PLACES),
                "admin_share_limit_pct": decimal_text(
                    association.admin_share_limit_pct, PERCENT_PLACES
                ),
                "share_tolerance_pct": decimal_text(
                    association.share_tolerance_pct, PERCENT_PLACES
                ),
            },
            "members": [{"name": name, "kind": kind} for _id, name, kind in members],
        },
        "plan": {
            "year": plan.year,
            "revision": plan.revision,
            "title": plan.title,
            "dnr": plan.dnr,
            "attachment_label": plan.attachment_label,
            "status": plan.status,
            "decided_on": date_text(plan.decided_on),
            "minutes_paragraph": plan.minutes_paragraph,
            "opening_equity": decimal_text(plan.opening_equity.amount, AMOUNT_PLACES),
            "display_unit": plan.display_unit,
            "costs_negative": plan.costs_negative,
            "shares": [
                {"member": member_name(member_id), "share_pct": decimal_text(pct, SHARE_PLACES)}
                for member_id, pct in ContributionShare.objects.filter(plan=plan)
                .order_by("member__order", "member_id")
                .values_list("member_id", "share_pct")
            ],
            "board": [
                {
                    "member": member_name(seat["member_id"]),
                    "role": seat["role"],
                    "person": seat["person"],
                    "position": seat["position"],
                    "term_start": date_text(seat["term_start"]),
                    "term_end": date_text(seat["term_end"]),
                }
                for seat in BoardSeat.objects.filter(plan=plan)
                .order_by("member__order", "member_id", "-role", "id")
                .values("member_id", "role", "person", "position", "term_start", "term_end")
            ],
            "staff": [
                {
                    "name": person["name"],
                    "role": person["role"],
                    "fte": decimal_text(person["fte"], FTE_PLACES),
                    "employer": person["employer"],
                }
                for person in StaffMember.objects.filter(plan=plan)
                .order_by("order", "id")
                .values("name", "role", "fte", "employer")
            ],
            "groups": _groups(plan, member_name),
            "projects": [
                {
                    "name": project["name"],
                    "kind": project["kind"],
                    "status": project["status"],
                    "owner": project["owner"],
                    "starts_on": date_text(project["starts_on"]),
                    "ends_on": date_text(project["ends_on"]),
                    "cofinancing": project["cofinancing"],
                    "description": project["description"],
                }
                for project in projects
            ],
            "sections": [
                {"title": title, "level": level, "body": body}
                for title, level, body in Section.objects.filter(plan=plan)
                .order_by("order", "id")
                .values_list("title", "level", "body")
            ],
            "timetable": [
                {"year": year, "month": month, "event": event}
                for year, month, event in TimetableEntry.objects.filter(plan=plan)
                .order_by("year", "month", "order", "id")
                .values_list("year", "month", "event")
            ],
            "goal_areas": _goal_areas(plan, project_name),
            "budget": _budget(plan, member_name, project_name),
        },
    }


def plan_export_bytes(*, plan: Plan) -> bytes:
    """Return the plan file of ``plan`` as UTF-8 bytes: the same plan always gives the same bytes."""
    text = json.dumps(plan_export(plan=plan), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _groups(plan: Plan, member_name: Any) -> list[dict[str, Any]]:
    people: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for person in (
        GroupMember.objects.filter(group__plan=plan)
        .order_by("order", "id")
        .values("group_id", "person", "member_id", "role")
    ):
        people[person["group_id"]].append(
            {
                "person": person["person"],
                "member": member_name(person["member_id"]),
                "role": person["role"],
            }
        )
    return [
        {
            "name": group["name"],
            "kind": group["kind"],
            "description": group["description"],
            "people": people[group["id"]],
        }
        for group in Group.objects.filter(plan=plan)
        .order_by("order", "id")
        .values("id", "name", "kind", "description")
    ]


def _goal_areas(plan: Plan, project_name: Any) -> list[dict[str, Any]]:
    outcomes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for outcome in (
        Outcome.objects.filter(target__goal__area__plan=plan)
        # Explicit null placement: SQLite and PostgreSQL would otherwise disagree.
        .order_by(F("recorded_on").asc(nulls_first=True), "id")
        .values("target_id", "period", "value", "text", "recorded_on")
    ):
        outcomes[outcome["target_id"]].append(
            {
                "period": outcome["period"],
                "value": decimal_text(outcome["value"], TARGET_PLACES),
                "text": outcome["text"],
                "recorded_on": date_text(outcome["recorded_on"]),
            }
        )
    targets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for target in (
        Target.objects.filter(goal__area__plan=plan)
        .order_by("order", "id")
        .values(
            "id",
            "goal_id",
            "project_id",
            "kind",
            "value",
            "unit",
            "text",
            "previous_value",
            "previous_text",
        )
    ):
        targets[target["goal_id"]].append(
            {
                "project": project_name(target["project_id"]),
                "kind": target["kind"],
                "value": decimal_text(target["value"], TARGET_PLACES),
                "unit": target["unit"],
                "text": target["text"],
                "previous_value": decimal_text(target["previous_value"], TARGET_PLACES),
                "previous_text": target["previous_text"],
                "outcomes": outcomes[target["id"]],
            }
        )
    goals: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for goal in (
        Goal.objects.filter(area__plan=plan)
        .order_by("order", "id")
        .values("id", "area_id", "indicator", "measurement", "reporting", "comment")
    ):
        goals[goal["area_id"]].append(
            {
                "indicator": goal["indicator"],
                "measurement": goal["measurement"],
                "reporting": goal["reporting"],
                "comment": goal["comment"],
                "targets": targets[goal["id"]],
            }
        )
    return [
        {"name": area["name"], "description": area["description"], "goals": goals[area["id"]]}
        for area in GoalArea.objects.filter(plan=plan)
        .order_by("order", "id")
        .values("id", "name", "description")
    ]


def _budget(plan: Plan, member_name: Any, project_name: Any) -> dict[str, Any]:
    columns = list(
        BudgetColumn.objects.filter(plan=plan)
        .order_by("order", "id")
        .values_list("id", "kind", "year", "label")
    )
    column_position = {column_id: index for index, (column_id, *_rest) in enumerate(columns)}
    column_label = {column_id: label for column_id, _kind, _year, label in columns}

    cells: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for line_id, column_id, amount in BudgetAmount.objects.filter(
        line__group__plan=plan
    ).values_list("line_id", "column_id", "amount"):
        cells[line_id].append((column_id, amount))

    lines = list(
        BudgetLine.objects.filter(group__plan=plan)
        .order_by("order", "id")
        .values("id", "group_id", "parent_id", "name", "member_id", "project_id", "footnote")
    )
    line_name = {line["id"]: line["name"] for line in lines}
    children: dict[int, list[dict[str, Any]]] = defaultdict(list)
    top: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        if line["parent_id"] is not None and line["parent_id"] in line_name:
            children[line["parent_id"]].append(line)
        else:
            top[line["group_id"]].append(line)

    def line_dict(line: dict[str, Any]) -> dict[str, Any]:
        own = sorted(cells[line["id"]], key=lambda cell: column_position[cell[0]])
        return {
            "name": line["name"],
            "parent": line_name.get(line["parent_id"]) if line["parent_id"] else None,
            "member": member_name(line["member_id"]),
            "project": project_name(line["project_id"]),
            "footnote": line["footnote"],
            "amounts": {
                column_label[column_id]: decimal_text(amount, AMOUNT_PLACES)
                for column_id, amount in own
            },
        }

    def group_lines(group_id: int) -> list[dict[str, Any]]:
        # A line is followed by its sub-lines, as the plan shows them.
        result: list[dict[str, Any]] = []
        placed: set[int] = set()

        def place(line: dict[str, Any]) -> None:
            if line["id"] in placed:
                return
            placed.add(line["id"])
            result.append(line_dict(line))
            for child in children[line["id"]]:
                place(child)

        for line in top[group_id]:
            place(line)
        return result

    return {
        "columns": [
            {"kind": kind, "year": year, "label": label} for _id, kind, year, label in columns
        ],
        "groups": [
            {
                "kind": group["kind"],
                "name": group["name"],
                "total_label": group["total_label"],
                "lines": group_lines(group["id"]),
            }
            for group in BudgetGroup.objects.filter(plan=plan)
            .order_by("order", "id")
            .values("id", "kind", "name", "total_label")
        ],
    }
