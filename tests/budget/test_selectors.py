from __future__ import annotations

from decimal import Decimal

import pytest

from budget.calc import BudgetInput, summarise
from budget.models import BudgetAmount, BudgetLine
from budget.selectors import PLAN_BUDGET_INPUT_QUERIES, plan_budget_input, plan_summary
from plans.models import Plan
from tests.budget.seeds import VARNA_SCENARIO, varna_2021, vasterdalarna_2024
from tests.factories import (
    AssociationFactory,
    BudgetAmountFactory,
    BudgetColumnFactory,
    BudgetGroupFactory,
    BudgetLineFactory,
    ContributionShareFactory,
    MemberFactory,
    PlanFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def store(data: BudgetInput, **association) -> Plan:
    """Write a hand-built budget to the database, in reverse so that ids do not give the order."""
    plan = PlanFactory(
        year=data.year,
        opening_equity=data.opening_equity,
        association=AssociationFactory(**association),
    )
    members = {
        share.member_id: MemberFactory(
            association=plan.association, name=share.member_name, kind=share.member_kind, order=i
        )
        for i, share in enumerate(data.shares)
    }
    for share in reversed(data.shares):
        ContributionShareFactory(
            plan=plan, member=members[share.member_id], share_pct=share.share_pct
        )
    projects = {
        p.id: ProjectFactory(plan=plan, name=p.name, kind=p.kind, order=i)
        for i, p in enumerate(data.projects)
    }
    columns = {
        c.id: BudgetColumnFactory(plan=plan, kind=c.kind, year=c.year, label=c.label, order=i)
        for i, c in reversed(list(enumerate(data.columns)))
    }
    groups = {
        g.id: BudgetGroupFactory(
            plan=plan, kind=g.kind, name=g.name, total_label=g.total_label, order=i
        )
        for i, g in reversed(list(enumerate(data.groups)))
    }
    lines: dict[int, BudgetLine] = {}
    for i, line in enumerate(data.lines):  # parents come before their sub-lines
        lines[line.id] = BudgetLineFactory(
            group=groups[line.group_id],
            parent=lines.get(line.parent_id) if line.parent_id else None,
            name=line.name,
            project=projects.get(line.project_id) if line.project_id else None,
            member=members.get(line.member_id) if line.member_id else None,
            footnote=line.footnote,
            order=i,
        )
        for column_id, amount in line.amounts.items():
            BudgetAmountFactory(line=lines[line.id], column=columns[column_id], amount=amount)
    return plan


def test_summary_from_the_database_equals_the_hand_built_one():
    expected = summarise(varna_2021())
    plan = store(varna_2021())
    summary = plan_summary(plan=plan)
    assert [c.column.label for c in summary.columns] == [VARNA_SCENARIO, "2022", "2023"]
    for attribute in ("allocation", "total_costs", "result", "opening_equity", "closing_equity"):
        assert [getattr(c, attribute) for c in summary.columns] == [
            getattr(c, attribute) for c in expected.columns
        ]
    assert [g.group.name for g in summary.groups] == [g.group.name for g in expected.groups]
    assert [r.line.name for g in summary.groups for r in g.rows] == [
        r.line.name for g in expected.groups for r in g.rows
    ]
    assert [c.computed for c in summary.columns[0].contributions] == [
        Decimal(3_216_600),
        Decimal(1_608_300),
        Decimal(1_127_418),
        Decimal(480_882),
    ]
    assert [c.entered for c in summary.columns[0].contributions] == [
        c.computed for c in summary.columns[0].contributions
    ]
    assert [p.project_name for p in summary.columns[0].projects] == [
        "MIA",
        "Rätt stöd för mig",
        "Amazon",
        "Nytt projekt",
    ]


def test_input_reads_columns_shares_members_and_thresholds():
    plan = store(vasterdalarna_2024(), equity_limit_pct=Decimal("15.00"))
    data = plan_budget_input(plan=plan)
    assert data.year == 2024
    assert data.opening_equity == Decimal(218_430)
    assert [(c.kind, c.year, c.label) for c in data.columns] == [
        ("budget", 2024, "2024"),
        ("budget", 2025, "2025"),
        ("budget", 2026, "2026"),
    ]
    assert [(s.member_name, s.member_kind, s.share_pct) for s in data.shares] == [
        ("Försäkringskassan, Arbetsförmedlingen", "state", Decimal(50)),
        ("Region Dalarna", "region", Decimal(25)),
        ("Malung-Sälens kommun", "municipality", Decimal(15)),
        ("Vansbro kommun", "municipality", Decimal(10)),
    ]
    assert list(data.members.values()) == [s.member_name for s in data.shares]
    assert data.thresholds.equity_limit_pct == Decimal(15)
    assert data.thresholds.admin_share_limit_pct == Decimal(25)
    assert all(isinstance(a, Decimal) for line in data.lines for a in line.amounts.values())


def test_sub_lines_are_read_with_their_parent():
    plan = store(vasterdalarna_2024())
    summary = plan_summary(plan=plan)
    rows = summary.groups[0].rows
    assert [(r.line.name, r.depth, r.amounts[summary.columns[0].column.id]) for r in rows[:3]] == [
        ("Insats per medlem", 0, Decimal(434_000)),
        ("Malung-Sälens kommun 3/5", 1, Decimal(260_400)),
        ("Vansbro kommun 2/5", 1, Decimal(173_600)),
    ]
    assert [c.closing_equity for c in summary.columns] == [
        Decimal(171_693),
        Decimal(155_716),
        Decimal(216_317),
    ]


def test_lines_are_in_group_order_then_line_order():
    plan = PlanFactory()
    second = BudgetGroupFactory(plan=plan, order=2, name="Andra")
    first = BudgetGroupFactory(plan=plan, order=1, name="Första")
    BudgetLineFactory(group=second, order=0, name="c")
    BudgetLineFactory(group=first, order=5, name="b")
    BudgetLineFactory(group=first, order=1, name="a")
    data = plan_budget_input(plan=plan)
    assert [g.name for g in data.groups] == ["Första", "Andra"]
    assert [line.name for line in data.lines] == ["a", "b", "c"]


def test_another_plans_rows_are_not_read():
    plan = store(varna_2021())
    other = store(vasterdalarna_2024())
    BudgetAmountFactory(line__group__plan=other, amount=Decimal(5))
    data = plan_budget_input(plan=plan)
    assert len(data.lines) == len(varna_2021().lines)
    assert {c.label for c in data.columns} == {VARNA_SCENARIO, "2022", "2023"}
    assert len(data.members) == 4
    assert summarise(data).columns[0].total_costs == Decimal(15_656_413)


def test_empty_plan_reads_as_an_empty_budget():
    plan = PlanFactory(opening_equity=Decimal(1000))
    summary = plan_summary(plan=plan)
    assert summary.columns == ()
    assert summary.groups == ()
    assert summary.input.opening_equity == Decimal(1000)


def plan_with_lines(count: int) -> Plan:
    """A plan with ``count`` lines (a fifth of them sub-lines) over two columns and projects."""
    plan = PlanFactory()
    columns = [BudgetColumnFactory(plan=plan, year=2021), BudgetColumnFactory(plan=plan, year=2022)]
    for kind in ("state", "region", "municipality"):
        ContributionShareFactory(plan=plan, member__kind=kind)
    projects = [ProjectFactory(plan=plan) for _ in range(3)]
    groups = [
        BudgetGroupFactory(plan=plan, kind="contributions"),
        BudgetGroupFactory(plan=plan, kind="individual"),
    ]
    parents = BudgetLine.objects.bulk_create(
        BudgetLine(group=groups[i % 2], name=f"Rad {i}", order=i, project=projects[i % 3])
        for i in range(count - count // 5)
    )
    children = BudgetLine.objects.bulk_create(
        BudgetLine(group=parents[i].group, parent=parents[i], name=f"Underrad {i}", order=i)
        for i in range(count // 5)
    )
    BudgetAmount.objects.bulk_create(
        BudgetAmount(line=line, column=column, amount=Decimal(100 + n))
        for n, line in enumerate([*parents, *children])
        for column in columns
    )
    assert BudgetLine.objects.filter(group__plan=plan).count() == count
    return plan


@pytest.mark.parametrize("count", [10, 500])
def test_reading_a_plan_takes_a_fixed_number_of_queries(count, django_assert_num_queries):
    plan = plan_with_lines(count)
    plan = Plan.objects.get(pk=plan.pk)
    with django_assert_num_queries(PLAN_BUDGET_INPUT_QUERIES):
        summary = plan_summary(plan=plan)
    assert sum(len(g.rows) for g in summary.groups) == count
    assert len(summary.columns[0].projects) == 3
