"""New plans: an empty one, or a copy of an earlier plan moved on to its year."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

from django.db import transaction

from budget.calc import PlanSummary, largest_remainder, whole_kronor
from budget.models import BudgetColumn, BudgetGroup, ColumnKind
from budget.selectors import plan_summary
from plans.models import Association, Plan, PlanStatus
from plans.planfile import plan_export, plan_import
from plans.planfile.export import decimal_text as decimal_file_text

STANDARD_GROUPS = (
    ("contributions", "Medlemsavgifter", "Totala medlemsintäkter"),
    ("other_income", "Övriga intäkter", ""),
    ("administration", "Administrativa kostnader", "Totala administrativa kostnader"),
    ("individual", "Individinriktade insatser", ""),
    ("structural", "Strukturinriktade insatser", ""),
)
_YEAR_IN_LABEL = re.compile(r"(?<!\d)(20\d\d|21\d\d)(?!\d)")


@transaction.atomic
def plan_create_empty(*, association: Association, year: int) -> Plan:
    """Create a draft plan for ``year`` with the usual budget groups and one budget column."""
    plan = Plan(association=association, year=year)
    plan.full_clean()
    plan.save()
    BudgetColumn.objects.create(plan=plan, kind=ColumnKind.BUDGET, year=year, label=str(year))
    BudgetGroup.objects.bulk_create(
        [
            BudgetGroup(plan=plan, kind=kind, name=name, total_label=total, order=order)
            for order, (kind, name, total) in enumerate(STANDARD_GROUPS)
        ]
    )
    return plan


def plan_copy_to_year(
    *, source: Plan, year: int, allocation_change_pct: Decimal | None = None
) -> Plan:
    """Create a draft plan for ``year`` from ``source`` (usually last year's), and return it.

    Everything the plan describes is copied: organisation, projects, sections, goals, timetable,
    budget. Budget columns and timetable entries move on by the years between the plans; each
    column takes its amounts from the source's column of its new year where there is one (the
    budget column, if a scenario sits beside it), and keeps its own where there is none. The
    opening equity is the source's closing equity of the year before. ``allocation_change_pct``
    changes the member contributions of every column by that many percent (whole kronor, split by
    the shares). Goals keep their texts, and this year's targets become last year's. The source
    is untouched. Raise PlanFileError (with Swedish problems) if the copy cannot be imported.
    """
    data = plan_export(plan=source)
    summary = plan_summary(plan=source)
    return plan_import(
        data=plan_file_for_year(
            data, summary=summary, year=year, allocation_change_pct=allocation_change_pct
        )
    )


def plan_file_for_year(
    data: dict[str, Any],
    *,
    summary: PlanSummary,
    year: int,
    allocation_change_pct: Decimal | None = None,
) -> dict[str, Any]:
    """Return the plan file ``data`` (of the plan ``summary`` computes) moved on to ``year``."""
    data = copy.deepcopy(data)
    plan = data["plan"]
    shift = year - plan["year"]
    plan.update(
        year=year,
        revision=1,
        status=PlanStatus.DRAFT,
        decided_on=None,
        minutes_paragraph="",
        dnr="",
        attachment_label="",
        opening_equity=_opening_equity(summary, year, plan["opening_equity"]),
    )
    for entry in plan["timetable"]:
        entry["year"] += shift
    for area in plan["goal_areas"]:
        for goal in area["goals"]:
            for target in goal["targets"]:
                target["previous_value"] = target["value"]
                target["previous_text"] = target["text"]
                target["outcomes"] = []
    _move_budget(plan["budget"], shift)
    if allocation_change_pct:
        _change_allocation(plan, allocation_change_pct)
    return data


def _opening_equity(summary: PlanSummary, year: int, fallback: str) -> str:
    try:
        before = summary.column(year - 1)
    except KeyError:
        return fallback
    if before.closing_equity is None:
        return fallback
    return decimal_file_text(before.closing_equity, 2)


def _move_budget(budget: dict[str, Any], shift: int) -> None:
    columns = budget["columns"]
    by_year: dict[int, list[dict[str, Any]]] = {}
    for column in columns:
        by_year.setdefault(column["year"], []).append(column)
    # Old label -> the old label whose amounts the moved column takes.
    source_of: dict[str, str] = {}
    new_label = {
        c["label"]: _YEAR_IN_LABEL.sub(lambda m: str(int(m[0]) + shift), c["label"])
        for c in columns
    }
    for column in columns:
        candidates = by_year.get(column["year"] + shift, [])
        chosen = (
            [c for c in candidates if c["label"] == new_label[column["label"]]]
            or [c for c in candidates if c["kind"] == column["kind"]]
            or [c for c in candidates if c["kind"] == ColumnKind.BUDGET]
            or candidates
            or [column]
        )[0]
        source_of[column["label"]] = chosen["label"]
    for column in columns:
        column["year"] += shift
    for group in budget["groups"]:
        for line in group["lines"]:
            old = line["amounts"]
            line["amounts"] = {
                new_label[label]: old[source_of[label]]
                for label in new_label
                if source_of[label] in old
            }
    for column in columns:
        column["label"] = new_label[column["label"]]


def _change_allocation(plan: dict[str, Any], pct: Decimal) -> None:
    """Change every column's member contributions by ``pct`` percent, in whole kronor.

    The new total is split over the contribution lines by the members' shares where every line
    names a member of its own with a share, else in proportion to the lines' amounts.
    """
    factor = 1 + pct / 100
    shares = {s["member"]: Decimal(s["share_pct"]) for s in plan["shares"]}
    for group in plan["budget"]["groups"]:
        if group["kind"] != "contributions":
            continue
        parents = {line["parent"] for line in group["lines"] if line["parent"]}
        leaves = [line for line in group["lines"] if line["name"] not in parents or line["parent"]]
        for column in plan["budget"]["columns"]:
            label = column["label"]
            lines = [line for line in leaves if label in line["amounts"]]
            if not lines:
                continue
            amounts = [Decimal(line["amounts"][label]) for line in lines]
            total = whole_kronor(sum(amounts, Decimal(0)) * factor)
            members = [line["member"] for line in lines]
            if all(m in shares for m in members) and len(set(members)) == len(members):
                weights = [shares[m] for m in members]
            else:
                weights = amounts
            if sum(weights, Decimal(0)) == 0:
                continue
            for line, value in zip(lines, largest_remainder(total, weights), strict=True):
                line["amounts"][label] = decimal_file_text(value, 2)
