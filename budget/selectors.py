"""Reads of a plan's budget: its rows as computation input, in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from budget.calc import (
    BudgetInput,
    ColumnIn,
    GroupIn,
    LineIn,
    PlanSummary,
    ProjectIn,
    ShareIn,
    Thresholds,
    summarise,
)
from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from plans.models import Association, ContributionShare, Member, Plan, Project

# The queries ``plan_budget_input`` makes, whatever the size of the plan: columns, groups, lines,
# amounts, shares, projects, members, thresholds.
PLAN_BUDGET_INPUT_QUERIES = 8


def plan_budget_input(*, plan: Plan) -> BudgetInput:
    """Return the budget of ``plan`` as the computation's input, in ``PLAN_BUDGET_INPUT_QUERIES``."""
    columns = tuple(
        ColumnIn(id=row["id"], kind=row["kind"], year=row["year"], label=row["label"])
        for row in BudgetColumn.objects.filter(plan=plan)
        .order_by("order", "id")
        .values("id", "kind", "year", "label")
    )
    groups = tuple(
        GroupIn(id=row["id"], kind=row["kind"], name=row["name"], total_label=row["total_label"])
        for row in BudgetGroup.objects.filter(plan=plan)
        .order_by("order", "id")
        .values("id", "kind", "name", "total_label")
    )
    amounts: dict[int, dict[int, Decimal]] = {}
    for row in BudgetAmount.objects.filter(line__group__plan=plan).values(
        "line_id", "column_id", "amount"
    ):
        amounts.setdefault(row["line_id"], {})[row["column_id"]] = _decimal(row["amount"])
    group_order = {group.id: index for index, group in enumerate(groups)}
    line_rows = sorted(
        BudgetLine.objects.filter(group__plan=plan).values(
            "id", "group_id", "parent_id", "name", "project_id", "member_id", "footnote", "order"
        ),
        key=lambda row: (
            group_order.get(row["group_id"], len(group_order)),
            row["order"],
            row["id"],
        ),
    )
    lines = tuple(
        LineIn(
            id=row["id"],
            group_id=row["group_id"],
            parent_id=row["parent_id"],
            name=row["name"],
            project_id=row["project_id"],
            member_id=row["member_id"],
            footnote=row["footnote"],
            amounts=amounts.get(row["id"], {}),
        )
        for row in line_rows
    )
    shares = tuple(
        ShareIn(
            member_id=row["member_id"],
            member_name=row["member__name"],
            member_kind=row["member__kind"],
            share_pct=row["share_pct"],
        )
        for row in ContributionShare.objects.filter(plan=plan)
        .order_by("member__order", "member_id")
        .values("member_id", "member__name", "member__kind", "share_pct")
    )
    projects = tuple(
        ProjectIn(id=row["id"], name=row["name"], kind=row["kind"])
        for row in Project.objects.filter(plan=plan)
        .order_by("order", "id")
        .values("id", "name", "kind")
    )
    members = dict(
        Member.objects.filter(association_id=plan.association_id)
        .order_by("order", "id")
        .values_list("id", "name")
    )
    limits = Association.objects.filter(pk=plan.association_id).values(
        "equity_limit_pct", "admin_share_limit_pct", "share_tolerance_pct"
    )
    thresholds = Thresholds(**limits[0]) if limits else Thresholds()
    return BudgetInput(
        year=plan.year,
        opening_equity=_decimal(plan.opening_equity),
        columns=columns,
        groups=groups,
        lines=lines,
        shares=shares,
        projects=projects,
        members=members,
        thresholds=thresholds,
    )


def plan_summary(*, plan: Plan) -> PlanSummary:
    """Return every computed figure of ``plan``'s budget (see ``budget.calc.summarise``)."""
    return summarise(plan_budget_input(plan=plan))


def _decimal(value: Any) -> Decimal:
    """The Decimal of a MoneyField value, whether it arrives as a Money or a bare Decimal."""
    return Decimal(getattr(value, "amount", value))
