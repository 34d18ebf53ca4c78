"""Reads of the editor: who may edit which plan, and the start page in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from budget.calc import (
    BudgetInput,
    ColumnIn,
    GroupIn,
    LineIn,
    ProjectIn,
    ShareIn,
    Thresholds,
    summarise,
)
from budget.checks import ERROR, Finding, run_checks
from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from finsam.roles import EDIT_ROLES, READ_ROLES, can_edit, scope_to_user
from goals.models import Goal, GoalArea
from plans.models import (
    Association,
    ContributionShare,
    Group,
    Member,
    Membership,
    Plan,
    PlanStatus,
    Project,
    Section,
)
from plans.rendering.livefigures import LiveFigures, prose_findings
from plans.selectors import plan_for_user

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    User = AbstractBaseUser | AnonymousUser

# The queries of the start page's content, whatever the number of plans: associations, roles,
# plans, then the budgets (columns, groups, lines, amounts, shares, projects, members) and the
# prose that quotes figures (sections, groups, projects, goal areas, goals).
START_PAGE_QUERIES = 15

PLACEHOLDER = "{{"


def plan_for_editor(*, user: User, plan_id: int) -> Plan:
    """Return the plan with ``plan_id`` if ``user`` may edit it.

    Raise Http404 if the user may not read it (another association answers like no plan at all)
    and PermissionDenied if the user may read it but not edit it (styrelse, revisor).
    """
    plan = plan_for_user(user=user, plan_id=plan_id)
    if not can_edit(user, plan.association_id):
        raise PermissionDenied
    return plan


def association_for_editor(*, user: User, association_id: int) -> Association:
    """Return the association if ``user`` may edit its plans; Http404 / PermissionDenied as above."""
    association = get_object_or_404(
        scope_to_user(Association.objects.all(), user, association_path=""), pk=association_id
    )
    if not can_edit(user, association.pk):
        raise PermissionDenied
    return association


@dataclass(frozen=True)
class PlanRow:
    plan: Plan
    findings: int
    errors: int

    @property
    def editable(self) -> bool:
        return self.plan.status != PlanStatus.APPROVED


@dataclass(frozen=True)
class AssociationRow:
    association: Association
    can_edit: bool
    plans: tuple[PlanRow, ...]


def start_page_rows(*, user: User) -> list[AssociationRow]:
    """Return the user's associations with their plans and each plan's number of check findings.

    The count is the plan page's: the budget checks and the live figures the prose cannot resolve.
    Runs ``START_PAGE_QUERIES`` queries however many plans there are.
    """
    associations = list(
        scope_to_user(Association.objects.order_by("name"), user, association_path="")
    )
    if user.is_superuser:
        editable = {a.pk for a in associations}
    else:
        editable = set(
            Membership.objects.filter(user=user, role__in=EDIT_ROLES).values_list(
                "association_id", flat=True
            )
        )
    by_id = {a.pk: a for a in associations}
    plans = list(
        scope_to_user(Plan.objects.all(), user, roles=READ_ROLES).order_by(
            "association__name", "-year", "-revision"
        )
    )
    for plan in plans:
        plan.association = by_id[plan.association_id]
    inputs = plans_budget_inputs(plans=plans)
    texts = _prose_with_figures(plans)
    rows: dict[int, list[PlanRow]] = defaultdict(list)
    for plan in plans:
        findings = _findings(plan, inputs[plan.pk], texts.get(plan.pk, []))
        rows[plan.association_id].append(
            PlanRow(
                plan=plan,
                findings=len(findings),
                errors=sum(1 for f in findings if f.severity == ERROR),
            )
        )
    return [
        AssociationRow(association=a, can_edit=a.pk in editable, plans=tuple(rows.get(a.pk, ())))
        for a in associations
    ]


def plans_budget_inputs(*, plans: list[Plan]) -> dict[int, BudgetInput]:
    """Return ``budget.selectors.plan_budget_input`` of each plan, in seven queries for all.

    The plans' ``association`` must be loaded (its thresholds and vision are read from it).
    """
    ids = [plan.pk for plan in plans]
    columns: dict[int, list[ColumnIn]] = defaultdict(list)
    for row in (
        BudgetColumn.objects.filter(plan_id__in=ids)
        .order_by("order", "id")
        .values("id", "plan_id", "kind", "year", "label")
    ):
        columns[row["plan_id"]].append(
            ColumnIn(id=row["id"], kind=row["kind"], year=row["year"], label=row["label"])
        )
    groups: dict[int, list[GroupIn]] = defaultdict(list)
    for row in (
        BudgetGroup.objects.filter(plan_id__in=ids)
        .order_by("order", "id")
        .values("id", "plan_id", "kind", "name", "total_label")
    ):
        groups[row["plan_id"]].append(
            GroupIn(
                id=row["id"], kind=row["kind"], name=row["name"], total_label=row["total_label"]
            )
        )
    amounts: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in BudgetAmount.objects.filter(line__group__plan_id__in=ids).values(
        "line_id", "column_id", "amount"
    ):
        amounts[row["line_id"]][row["column_id"]] = Decimal(row["amount"])
    group_order = {g.id: i for plan_groups in groups.values() for i, g in enumerate(plan_groups)}
    lines: dict[int, list[LineIn]] = defaultdict(list)
    for row in sorted(
        BudgetLine.objects.filter(group__plan_id__in=ids).values(
            "id",
            "group_id",
            "group__plan_id",
            "parent_id",
            "name",
            "project_id",
            "member_id",
            "footnote",
            "order",
        ),
        key=lambda r: (group_order.get(r["group_id"], 0), r["order"], r["id"]),
    ):
        lines[row["group__plan_id"]].append(
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
        )
    shares: dict[int, list[ShareIn]] = defaultdict(list)
    for row in (
        ContributionShare.objects.filter(plan_id__in=ids)
        .order_by("member__order", "member_id")
        .values("plan_id", "member_id", "member__name", "member__kind", "share_pct")
    ):
        shares[row["plan_id"]].append(
            ShareIn(
                member_id=row["member_id"],
                member_name=row["member__name"],
                member_kind=row["member__kind"],
                share_pct=row["share_pct"],
            )
        )
    projects: dict[int, list[ProjectIn]] = defaultdict(list)
    for row in (
        Project.objects.filter(plan_id__in=ids)
        .order_by("order", "id")
        .values("id", "plan_id", "name", "kind")
    ):
        projects[row["plan_id"]].append(ProjectIn(id=row["id"], name=row["name"], kind=row["kind"]))
    members: dict[int, dict[int, str]] = defaultdict(dict)
    for row in (
        Member.objects.filter(association_id__in={plan.association_id for plan in plans})
        .order_by("order", "id")
        .values("id", "association_id", "name")
    ):
        members[row["association_id"]][row["id"]] = row["name"]
    result = {}
    for plan in plans:
        association = plan.association
        result[plan.pk] = BudgetInput(
            year=plan.year,
            opening_equity=Decimal(plan.opening_equity.amount),
            columns=tuple(columns[plan.pk]),
            groups=tuple(groups[plan.pk]),
            lines=tuple(lines[plan.pk]),
            shares=tuple(shares[plan.pk]),
            projects=tuple(projects[plan.pk]),
            members=members[plan.association_id],
            thresholds=Thresholds(
                equity_limit_pct=association.equity_limit_pct,
                admin_share_limit_pct=association.admin_share_limit_pct,
                share_tolerance_pct=association.share_tolerance_pct,
            ),
        )
    return result


def _prose_with_figures(plans: list[Plan]) -> dict[int, list[tuple[str, str]]]:
    """Plan id -> (where, text) of every prose text that quotes a live figure, in five queries.

    The ``where`` labels are the plan page's, so a finding reads the same on both pages.
    """
    ids = [plan.pk for plan in plans]
    texts: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for plan in plans:
        if PLACEHOLDER in plan.association.vision:
            texts[plan.pk].append(("Vision", plan.association.vision))
    for plan_id, title, body in (
        Section.objects.filter(plan_id__in=ids, body__contains=PLACEHOLDER)
        .order_by("order", "id")
        .values_list("plan_id", "title", "body")
    ):
        texts[plan_id].append((title, body))
    for model in (Group, Project):
        for plan_id, name, text in (
            model.objects.filter(plan_id__in=ids, description__contains=PLACEHOLDER)
            .order_by("order", "id")
            .values_list("plan_id", "name", "description")
        ):
            texts[plan_id].append((name, text))
    for plan_id, name, text in (
        GoalArea.objects.filter(plan_id__in=ids, description__contains=PLACEHOLDER)
        .order_by("order", "id")
        .values_list("plan_id", "name", "description")
    ):
        texts[plan_id].append((f"Mål: {name}", text))
    for plan_id, indicator, text in (
        Goal.objects.filter(area__plan_id__in=ids, comment__contains=PLACEHOLDER)
        .order_by("area__order", "order", "id")
        .values_list("area__plan_id", "indicator", "comment")
    ):
        texts[plan_id].append((f"Mål: {indicator[:60]}", text))
    return texts


def _findings(plan: Plan, data: BudgetInput, texts: list[tuple[str, str]]) -> list[Finding]:
    summary = summarise(data)
    figures = LiveFigures(summary, unit=plan.display_unit)
    rendered = [figures.render(text, section=where) for where, text in texts]
    return run_checks(summary, extra=prose_findings(rendered))
