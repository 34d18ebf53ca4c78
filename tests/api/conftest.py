"""Fixtures of the API tests: two associations with one row of every kind, and users per role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from goals.models import Outcome
from plans.models import (
    BoardSeat,
    Group,
    GroupMember,
    Member,
    Plan,
    PlanStatus,
    Role,
    Section,
    StaffMember,
    TimetableEntry,
)
from tests.factories import (
    AssociationFactory,
    BudgetAmountFactory,
    BudgetColumnFactory,
    BudgetGroupFactory,
    BudgetLineFactory,
    ContributionShareFactory,
    GoalAreaFactory,
    GoalFactory,
    MembershipFactory,
    PlanFactory,
    ProjectFactory,
    TargetFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _generous_throttles(settings):
    """Throttle counters start empty, with rates no test of behaviour reaches."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100000/hour", "anon": "100000/hour"},
    }
    cache.clear()
    yield
    cache.clear()


@dataclass
class PlanRows:
    """One row of every kind a plan owns, and a second budget column with no amounts yet."""

    plan: Plan
    members: list[Member]
    rows: dict[str, Any] = field(default_factory=dict)


def build_plan(association, members: list[Member], *, status: str = PlanStatus.DRAFT, year=2021):
    decided_on = datetime.date(year - 1, 12, 10) if status == PlanStatus.APPROVED else None
    plan = PlanFactory(
        association=association,
        year=year,
        status=status,
        decided_on=decided_on,
        opening_equity=Decimal("500000.00"),
    )
    state, region, municipality = members
    group = Group.objects.create(plan=plan, name="Beredningsgrupp", kind="preparatory")
    project = ProjectFactory(plan=plan, name="MIA")
    column = BudgetColumnFactory(plan=plan, year=year, label=str(year))
    budget_group = BudgetGroupFactory(plan=plan, kind="administration", name="Administration")
    line = BudgetLineFactory(group=budget_group, name="Personal", project=project)
    goal = GoalFactory(area=GoalAreaFactory(plan=plan, name="Deltagare"))
    target = TargetFactory(goal=goal, project=project)
    rows = {
        "shares": ContributionShareFactory(plan=plan, member=municipality, share_pct=25),
        "board": BoardSeat.objects.create(
            plan=plan, member=state, role="ordinary", person="Anna Andersson", position="chair"
        ),
        "office": StaffMember.objects.create(plan=plan, role="Förbundschef", fte=Decimal(1)),
        "groups": group,
        "group-members": GroupMember.objects.create(group=group, person="Bo Berg", member=region),
        "projects": project,
        "plans": plan,
        "sections": Section.objects.create(plan=plan, title="Om förbundet", body="Text."),
        "timetable": TimetableEntry.objects.create(plan=plan, year=year, month=3, event="Möte"),
        "budget-columns": column,
        "budget-groups": budget_group,
        "budget-lines": line,
        "budget-amounts": BudgetAmountFactory(line=line, column=column, amount=Decimal("1000")),
        "goal-areas": goal.area,
        "goals": goal,
        "targets": target,
        "outcomes": Outcome.objects.create(target=target, period="Delår", value=Decimal(70)),
    }
    rows["spare-column"] = BudgetColumnFactory(plan=plan, year=year + 1, label=str(year + 1))
    return PlanRows(plan=plan, members=members, rows=rows)


def build_association(name: str):
    association = AssociationFactory(name=name)
    members = [
        Member.objects.create(association=association, name="FK och AF", kind="state", order=1),
        Member.objects.create(association=association, name="Regionen", kind="region", order=2),
        Member.objects.create(
            association=association, name="Kommunen", kind="municipality", order=3
        ),
    ]
    return association, members


def build_idle_member(association) -> Member:
    """A member nothing refers to yet, so it can be deleted."""
    return Member.objects.create(association=association, name="Vilande", kind="municipality")


@dataclass
class World:
    association: Any
    other_association: Any
    draft: PlanRows
    approved: PlanRows
    other: PlanRows
    users: dict[str, Any]


@pytest.fixture
def world(db) -> World:
    association, members = build_association("Samordningsförbundet Ett")
    other_association, other_members = build_association("Samordningsförbundet Två")
    users = {
        "revisor": MembershipFactory(association=association, role=Role.REVISOR).user,
        "styrelse": MembershipFactory(association=association, role=Role.STYRELSE).user,
        "kansli": MembershipFactory(association=association, role=Role.KANSLI).user,
        "other_kansli": MembershipFactory(association=other_association, role=Role.KANSLI).user,
        "outsider": UserFactory(),
    }
    build_idle_member(association)
    build_idle_member(other_association)
    return World(
        association=association,
        other_association=other_association,
        draft=build_plan(association, members),
        approved=build_plan(association, members, status=PlanStatus.APPROVED, year=2020),
        other=build_plan(other_association, other_members),
        users=users,
    )


def client_for(user=None, *, token: bool = False) -> APIClient:
    """An API client: anonymous, logged in with a session, or sending a personal token."""
    client = APIClient()
    if user is None:
        return client
    if token:
        _, text = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    else:
        client.force_login(user)
    return client
