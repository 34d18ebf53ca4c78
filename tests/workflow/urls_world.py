"""The world the URL table is run against, and how a URL pattern is filled in and called.

One association with a plan in each state (draft, proposed, approved through the workflow, so it
has its archived PDF), a user per role, and a second association whose kansli must see nothing of
the first. ``call`` makes one request inside a savepoint that is rolled back, so every cell of the
table starts from the same world.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from knox.models import AuthToken

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from goals.models import Goal, GoalArea, Outcome, Target
from plans.models import (
    BoardSeat,
    ContributionShare,
    Group,
    GroupMember,
    Member,
    Plan,
    PlanStatus,
    Project,
    Section,
    StaffMember,
    TimetableEntry,
)
from plans.workflow import plan_approve, plan_submit
from tests.workflow.conftest import DECIDED_ON, build_place, build_plan

ROLES = ("anonymous", "revisor", "styrelse", "kansli", "other_kansli")
STATES = ("draft", "proposed", "approved")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its key in the table (``namespace:name``, or the route text when it has
    no name), its name for ``reverse`` (None if it has none), the route text, its arguments."""

    key: str
    name: str | None
    route: str
    arguments: tuple[str, ...]


def routes() -> list[Route]:
    """Every URL pattern of the project, walked from the root resolver."""
    found: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = None
                if pattern.name:
                    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                arguments = tuple(pattern.pattern.regex.groupindex)
                found.append(Route(key=name or route, name=name, route=route, arguments=arguments))

    walk(get_resolver().url_patterns, "", "")
    return found


@dataclass
class World:
    association: Any
    members: list[Member]
    users: dict[str, Any]
    clients: dict[str, Client]
    plans: dict[str, Plan]
    token_key: str
    idle_member: Member
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)


ROW_MODELS = {
    "contributionshare": ContributionShare,
    "boardseat": BoardSeat,
    "staffmember": StaffMember,
    "group": Group,
    "groupmember": GroupMember,
    "project": Project,
    "section": Section,
    "timetableentry": TimetableEntry,
    "budgetcolumn": BudgetColumn,
    "budgetgroup": BudgetGroup,
    "budgetline": BudgetLine,
    "budgetamount": BudgetAmount,
    "goalarea": GoalArea,
    "goal": Goal,
    "target": Target,
    "outcome": Outcome,
}
PLAN_PATHS = {
    GroupMember: "group__plan",
    BudgetLine: "group__plan",
    BudgetAmount: "line__group__plan",
    Goal: "area__plan",
    Target: "goal__area__plan",
    Outcome: "target__goal__area__plan",
}


def build_world() -> World:
    place = build_place()
    users = dict(place.users)
    for user in users.values():
        # Everyone may reach the admin; what they may do there is their role's business.
        user.is_staff = True
        user.save()
    plans = {
        "draft": build_plan(place.association, place.members, year=2025),
        "proposed": build_plan(place.association, place.members, year=2026),
        "approved": build_plan(place.association, place.members, year=2024),
    }
    plan_submit(plan=plans["proposed"], by=users["kansli"])
    plan_submit(plan=plans["approved"], by=users["kansli"])
    plan_approve(
        plan=plans["approved"],
        by=users["styrelse"],
        decided_on=DECIDED_ON,
        minutes_paragraph="§ 7",
        dnr="2024/17",
    )
    for state, plan in plans.items():
        plan.refresh_from_db()
        assert plan.status == PlanStatus(state)
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role in ROLES[1:]:
        client = Client(raise_request_exception=False)
        client.force_login(users[role])
        clients[role] = client
    token, _text = AuthToken.objects.create(user=users["kansli"])
    world = World(
        association=place.association,
        members=place.members,
        users=users,
        clients=clients,
        plans=plans,
        token_key=token.token_key,
        idle_member=Member.objects.create(
            association=place.association, name="Vilande", kind="municipality"
        ),
    )
    for state, plan in plans.items():
        world.rows[state] = {
            name: model.objects.filter(**{PLAN_PATHS.get(model, "plan"): plan})
            .order_by("id")
            .first()
            for name, model in ROW_MODELS.items()
        }
    return world


# The object an API route's ``pk`` names, per router basename.
API_OBJECTS = {
    "association": lambda world, state: world.association,
    "member": lambda world, state: world.idle_member,
    "share": lambda world, state: world.rows[state]["contributionshare"],
    "boardseat": lambda world, state: world.rows[state]["boardseat"],
    "staffmember": lambda world, state: world.rows[state]["staffmember"],
    "group": lambda world, state: world.rows[state]["group"],
    "groupmember": lambda world, state: world.rows[state]["groupmember"],
    "project": lambda world, state: world.rows[state]["project"],
    "plan": lambda world, state: world.plans[state],
    "section": lambda world, state: world.rows[state]["section"],
    "timetableentry": lambda world, state: world.rows[state]["timetableentry"],
    "budgetcolumn": lambda world, state: world.rows[state]["budgetcolumn"],
    "budgetgroup": lambda world, state: world.rows[state]["budgetgroup"],
    "budgetline": lambda world, state: world.rows[state]["budgetline"],
    "budgetamount": lambda world, state: world.rows[state]["budgetamount"],
    "goalarea": lambda world, state: world.rows[state]["goalarea"],
    "goal": lambda world, state: world.rows[state]["goal"],
    "target": lambda world, state: world.rows[state]["target"],
    "outcome": lambda world, state: world.rows[state]["outcome"],
}


def url_of(world: World, route: Route, state: str | None) -> str:
    """The route with its arguments filled in for the plan in ``state``."""
    values = {argument: _argument(world, route, state, argument) for argument in route.arguments}
    if route.name is not None:
        return reverse(route.name, kwargs=values)
    path = route.route
    for argument, value in values.items():
        path = re.sub(rf"\(\?P<{argument}>[^)]*\)", value, path)
        path = re.sub(rf"<(?:\w+:)?{argument}>", value, path)
    return "/" + path.replace("^", "").replace("$", "")


def _argument(world: World, route: Route, state: str | None, argument: str) -> str:
    plan = world.plans[state] if state else None
    rows = world.rows[state] if state else {}
    if argument in {"plan_id"}:
        return str(plan.pk)
    if argument == "association_id":
        return str(world.association.pk)
    if argument == "section_id":
        return str(rows["section"].pk)
    if argument == "group_id":
        return str(rows["group"].pk)
    if argument == "area_id":
        return str(rows["goalarea"].pk)
    if argument == "goal_id":
        return str(rows["goal"].pk)
    if argument == "token_key":
        return world.token_key
    if argument in {"path", "url"}:
        return "finns-inte/"
    if argument == "pk":
        basename = route.key.split(":", 1)[1].rsplit("-", 1)[0]
        if route.key.startswith("api:plan-"):
            basename = "plan"
        return str(API_OBJECTS[basename](world, state).pk)
    if argument == "object_id":
        if route.key == "admin:view_on_site":
            return str(plan.pk)
        return str(admin_object(world, route, state).pk)
    if argument == "app_label":
        return "plans"
    if argument == "content_type_id":
        from django.contrib.contenttypes.models import ContentType

        return str(ContentType.objects.get_for_model(Plan).pk)
    if argument == "id":  # the admin's password page of a user
        return str(world.users["revisor"].pk)
    raise KeyError(f"no value for the argument {argument} of {route.key}")


def admin_model_of(route: Route) -> type | None:
    """The model an admin URL belongs to (``admin:budget_budgetline_change``, or the unnamed
    ``admin/budget/budgetline/<path:object_id>/``), or None."""
    for model in admin.site._registry:
        app, name = model._meta.app_label, model._meta.model_name
        if route.key.startswith((f"admin:{app}_{name}_", f"admin/{app}/{name}/")):
            return model
    return None


def admin_object(world: World, route: Route, state: str | None) -> Any:
    model = admin_model_of(route)
    if model is Plan:
        return world.plans[state]
    if model in ROW_MODELS.values():
        return world.rows[state][model._meta.model_name]
    label = model._meta.label_lower if model else ""
    if label == "plans.association":
        return world.association
    if label == "auth.user":
        return world.users["revisor"]
    if label == "knox.authtoken":
        return AuthToken.objects.filter(user=world.users["kansli"]).first()
    if label == "auth.group":
        from django.contrib.auth.models import Group as AuthGroup

        return AuthGroup.objects.get_or_create(name="Läsare")[0]
    raise KeyError(f"no object for {route.key}")


def call(world: World, role: str, method: str, url: str, data: Any = None) -> int:
    """Make one request as ``role`` and undo whatever it wrote. Return its status."""
    client = world.clients[role]
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method == "get":
            response = client.get(url)
        elif method in {"patch", "put"}:
            response = getattr(client, method)(url, data or {}, content_type="application/json")
        elif method == "delete":
            response = client.delete(url)
        elif method == "post_json":
            response = client.post(url, data or {}, content_type="application/json")
        else:
            response = client.post(url, data or {})
        transaction.set_rollback(True)
    # A login or logout swaps the session cookie; the next cell starts from the same one.
    client.cookies = cookies
    return response.status_code
