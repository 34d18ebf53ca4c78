"""Fixtures of the workflow tests: an association with a user per role, and plans in each state.

``build_plan`` makes a plan with one row of every kind a plan holds, so "nothing changed" can be
checked on all of them at once (``snapshot``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from goals.models import Goal, GoalArea, Outcome, Target
from plans.models import (
    Association,
    BoardSeat,
    ContributionShare,
    Group,
    GroupMember,
    Member,
    Plan,
    PlanStatus,
    Project,
    Role,
    Section,
    StaffMember,
    TimetableEntry,
)
from plans.planfile import plan_export
from tests.factories import AssociationFactory, MembershipFactory

DECIDED_ON = datetime.date(2024, 12, 12)
ROLES = ("revisor", "styrelse", "kansli")


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Login counters and API throttles start empty, with rates no behaviour test reaches."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100000/hour", "anon": "100000/hour"},
    }
    cache.clear()
    yield
    cache.clear()


@dataclass
class Place:
    """An association with a user per role, and a second association with its own kansli."""

    association: Association
    members: list[Member]
    users: dict[str, Any]
    other_association: Association


def build_association(name: str) -> tuple[Association, list[Member]]:
    association = AssociationFactory(name=name)
    members = [
        Member.objects.create(association=association, name="FK och AF", kind="state", order=1),
        Member.objects.create(association=association, name="Regionen", kind="region", order=2),
        Member.objects.create(
            association=association, name="Kommunen", kind="municipality", order=3
        ),
    ]
    return association, members


def build_place() -> Place:
    association, members = build_association("Samordningsförbundet Mitt")
    other, _ = build_association("Samordningsförbundet Annat")
    users = {role: MembershipFactory(association=association, role=role).user for role in ROLES}
    users["other_kansli"] = MembershipFactory(association=other, role=Role.KANSLI).user
    return Place(association=association, members=members, users=users, other_association=other)


@pytest.fixture
def place(db) -> Place:
    return build_place()


def build_plan(
    association: Association,
    members: list[Member],
    *,
    year: int = 2025,
    status: str = PlanStatus.DRAFT,
    revision: int = 1,
) -> Plan:
    """A plan with one row of every kind. An approved one is stored approved directly, without
    going through the workflow (and so without an archived PDF)."""
    plan = Plan.objects.create(
        association=association,
        year=year,
        revision=revision,
        dnr="2024/17",
        opening_equity=Decimal("500000.00"),
        status=status,
        decided_on=DECIDED_ON if status == PlanStatus.APPROVED else None,
        minutes_paragraph="§ 7" if status == PlanStatus.APPROVED else "",
    )
    state, region, municipality = members
    for member, share in ((state, 50), (region, 25), (municipality, 25)):
        ContributionShare.objects.create(plan=plan, member=member, share_pct=Decimal(share))
    BoardSeat.objects.create(
        plan=plan, member=state, role="ordinary", person="Anna Andersson", position="chair"
    )
    StaffMember.objects.create(plan=plan, name="Bo Berg", role="Förbundschef", fte=Decimal(1))
    group = Group.objects.create(plan=plan, name="Beredningsgrupp", kind="preparatory")
    GroupMember.objects.create(group=group, person="Cecilia Ek", member=region)
    project = Project.objects.create(plan=plan, name="MIA", kind="individual")
    Section.objects.create(plan=plan, title="Inledning", body="Förbundet arbetar med MIA.")
    TimetableEntry.objects.create(plan=plan, year=year, month=3, event="Styrelsemöte")
    column = BudgetColumn.objects.create(plan=plan, kind="budget", year=year, label=str(year))
    income = BudgetGroup.objects.create(
        plan=plan, kind="contributions", name="Medlemsavgifter", order=1
    )
    costs = BudgetGroup.objects.create(
        plan=plan, kind="administration", name="Administration", order=2
    )
    allocation = BudgetLine.objects.create(group=income, name="Medlemsavgifter")
    staff = BudgetLine.objects.create(group=costs, name="Personal", project=project)
    BudgetAmount.objects.create(line=allocation, column=column, amount=Decimal("1000000.00"))
    BudgetAmount.objects.create(line=staff, column=column, amount=Decimal("400000.00"))
    area = GoalArea.objects.create(plan=plan, name="Deltagare")
    goal = Goal.objects.create(area=area, indicator="Andel deltagare i arbete")
    target = Target.objects.create(goal=goal, kind="percent", value=Decimal(40), project=project)
    Outcome.objects.create(target=target, period="Delårsrapport", value=Decimal(35))
    return plan


@pytest.fixture
def draft(place) -> Plan:
    return build_plan(place.association, place.members)


@pytest.fixture
def proposed(place) -> Plan:
    return build_plan(place.association, place.members, status=PlanStatus.PROPOSED)


@pytest.fixture
def approved(place) -> Plan:
    """An approved plan, approved through the workflow: it has its archived PDF."""
    from plans.workflow import plan_approve

    plan = build_plan(place.association, place.members, status=PlanStatus.PROPOSED)
    return plan_approve(
        plan=plan,
        by=place.users["styrelse"],
        decided_on=DECIDED_ON,
        minutes_paragraph="§ 7",
        dnr="2024/17",
    )


PLAN_MODELS = (
    Plan,
    ContributionShare,
    BoardSeat,
    StaffMember,
    Group,
    GroupMember,
    Project,
    Section,
    TimetableEntry,
    BudgetColumn,
    BudgetGroup,
    BudgetLine,
    BudgetAmount,
    GoalArea,
    Goal,
    Target,
    Outcome,
)


def snapshot(plan: Plan) -> dict[str, Any]:
    """Everything ``plan`` holds as its plan file, its own stored row, and the row count of every
    table a plan owns (so a row added to or removed from any plan shows too)."""
    stored = Plan.objects.filter(pk=plan.pk).values().get()
    return {
        "file": plan_export(plan=plan),
        "row": stored,
        "counts": {model.__name__: model.objects.count() for model in PLAN_MODELS},
    }


def page_client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user: Any = None, *, token: bool = False) -> APIClient:
    client = APIClient()
    if user is None:
        return client
    if token:
        _, text = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    else:
        client.force_login(user)
    return client
