"""Every URL pattern of the project × role × plan state → the answer it must give.

The table below has one entry per URL pattern (its ``namespace:name``, or its route when it has
none); the admin's entries are made from ``ADMIN_MODELS``. A pattern added without an entry, or
an admin model without a class, fails ``test_every_url_pattern_has_an_entry``. Each entry maps a
method to the expected status per role, the same for every plan state or per state.

Roles: anonymous, revisor, styrelse and kansli of the association, and kansli of another
association (who must see nothing of this one). States: the plan the URL names is a draft, a
proposal, or approved (through the workflow, with its archived PDF). Every request is undone
after it is made (``urls_world.call``), so each cell starts from the same world.

To add a URL: add an entry, usually built from the presets (``PAGE``, ``API``, ``api_edit`` …).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction

from tests.workflow.urls_world import (
    ROLES,
    STATES,
    Route,
    World,
    admin_model_of,
    build_world,
    call,
    routes,
    url_of,
)

Row = dict[str, int]
Expected = Row | dict[str, Row]  # per role, or per state and then per role


def by_role(anonymous: int, revisor: int, styrelse: int, kansli: int, other_kansli: int) -> Row:
    return dict(zip(ROLES, (anonymous, revisor, styrelse, kansli, other_kansli), strict=True))


def by_state(*, draft: Row, proposed: Row, approved: Row) -> dict[str, Row]:
    return {"draft": draft, "proposed": proposed, "approved": approved}


def everyone(status: int) -> Row:
    return by_role(status, status, status, status, status)


# --- presets -----------------------------------------------------------------------------------

PAGE = by_role(302, 200, 200, 200, 404)  # a page of the association's plan
PAGE_FOR_ALL = by_role(302, 200, 200, 200, 200)  # a page every signed-in user has
API = by_role(401, 200, 200, 200, 404)
API_FOR_ALL = by_role(401, 200, 200, 200, 200)
API_NO_METHOD = by_role(401, 405, 405, 405, 405)


def api_write(ok: int) -> Row:
    """Kansli writes; readers are refused (403); another association's kansli sees nothing."""
    return by_role(401, 403, 403, ok, 404)


API_LOCKED = api_write(409)


def api_edit(ok: int) -> dict[str, Row]:
    """A write to a row of the plan: allowed until the plan is approved, then 409."""
    return by_state(draft=api_write(ok), proposed=api_write(ok), approved=API_LOCKED)


def editor(ok: int, *, proposed: int | None = None) -> dict[str, Row]:
    """An editor page's POST (an empty form): kansli's answer, then 409 once approved."""
    row = by_role(302, 403, 403, ok, 404)
    other = by_role(302, 403, 403, ok if proposed is None else proposed, 404)
    return by_state(draft=row, proposed=other, approved=by_role(302, 403, 403, 409, 404))


EDITOR_PAGE = by_role(
    302, 403, 403, 200, 404
)  # the editor is kansli's; an approved plan shows locked


def step(*, draft: Row, proposed: Row, approved: Row) -> dict[str, Row]:
    return by_state(draft=draft, proposed=proposed, approved=approved)


# A workflow step, by who may take it: answered 403 for the wrong role, 409 in the wrong state.
KANSLI_FROM_DRAFT_PAGE = step(
    draft=by_role(302, 403, 403, 200, 404),
    proposed=by_role(302, 403, 403, 409, 404),
    approved=by_role(302, 403, 403, 409, 404),
)
BOARD_OR_KANSLI_FROM_PROPOSED_PAGE = step(
    draft=by_role(302, 403, 409, 409, 404),
    proposed=by_role(302, 403, 200, 200, 404),
    approved=by_role(302, 403, 409, 409, 404),
)
BOARD_FROM_PROPOSED_PAGE = step(
    draft=by_role(302, 403, 409, 403, 404),
    proposed=by_role(302, 403, 200, 403, 404),
    approved=by_role(302, 403, 409, 403, 404),
)
KANSLI_FROM_APPROVED_PAGE = step(
    draft=by_role(302, 403, 403, 409, 404),
    proposed=by_role(302, 403, 403, 409, 404),
    approved=by_role(302, 403, 403, 200, 404),
)


def done(expected: dict[str, Row], status: int) -> dict[str, Row]:
    """The same step taken: ``status`` where the page showed the form (200)."""
    return {
        state: {role: status if answer == 200 else answer for role, answer in row.items()}
        for state, row in expected.items()
    }


def api_step(expected: dict[str, Row], ok: int) -> dict[str, Row]:
    """The page's expectations for the API: 401 for anonymous, ``ok`` where the page says 200."""
    return {
        state: {
            role: 401 if role == "anonymous" else ok if answer == 200 else answer
            for role, answer in row.items()
        }
        for state, row in expected.items()
    }


DECISION = {"decided_on": "2024-12-12", "minutes_paragraph": "§ 12", "dnr": "2024/17"}
COMMENT = {"comment": "Budgeten behöver ses över."}

# --- the table ---------------------------------------------------------------------------------

TABLE: dict[str, dict[str, Expected]] = {
    "healthz": {"get": everyone(200), "post": everyone(405)},
    # The plan's pages.
    "plans:home": {"get": PAGE_FOR_ALL, "post": everyone(405)},
    "plans:plan_detail": {"get": PAGE, "post": everyone(405)},
    "plans:plan_pdf": {"get": PAGE, "post": everyone(405)},
    "plans:plan_history": {"get": PAGE, "post": everyone(405)},
    "plans:plan_submit": {
        "get": KANSLI_FROM_DRAFT_PAGE,
        "post": done(KANSLI_FROM_DRAFT_PAGE, 302),
    },
    "plans:plan_return": {
        "get": BOARD_OR_KANSLI_FROM_PROPOSED_PAGE,
        "post": done(BOARD_OR_KANSLI_FROM_PROPOSED_PAGE, 302),
    },
    "plans:plan_approve": {
        "get": BOARD_FROM_PROPOSED_PAGE,
        "post": done(BOARD_FROM_PROPOSED_PAGE, 302),
    },
    "plans:plan_revise": {
        "get": KANSLI_FROM_APPROVED_PAGE,
        "post": done(KANSLI_FROM_APPROVED_PAGE, 302),
    },
    # The editor (kansli only; an approved plan is shown locked and refuses every POST).
    "editor:start": {"get": PAGE_FOR_ALL, "post": everyone(405)},
    "editor:login": {
        "get": by_role(200, 302, 302, 302, 302),
        "post": by_role(200, 302, 302, 302, 302),
    },
    "editor:logout": {"get": everyone(405), "post": everyone(302)},
    "editor:plan_new": {"get": EDITOR_PAGE, "post": EDITOR_PAGE},
    "editor:plan": {"get": EDITOR_PAGE, "post": editor(400)},
    "editor:budget": {"get": EDITOR_PAGE, "post": editor(409)},
    "editor:budget_preview": {"get": everyone(405), "post": editor(200)},
    "editor:sections": {"get": EDITOR_PAGE, "post": editor(404)},
    "editor:section_preview": {"get": everyone(405), "post": editor(200)},
    "editor:section": {"get": EDITOR_PAGE, "post": editor(400)},
    "editor:organisation": {"get": EDITOR_PAGE, "post": editor(409)},
    "editor:shares_preview": {"get": everyone(405), "post": editor(200)},
    "editor:member_new": {"get": everyone(405), "post": editor(400)},
    "editor:board": {"get": EDITOR_PAGE, "post": editor(400)},
    "editor:staff": {"get": EDITOR_PAGE, "post": editor(400)},
    "editor:groups": {"get": EDITOR_PAGE, "post": editor(400)},
    "editor:group_people": {"get": EDITOR_PAGE, "post": editor(400)},
    "editor:projects": {"get": EDITOR_PAGE, "post": editor(400)},
    "editor:goal_areas": {"get": EDITOR_PAGE, "post": editor(400)},
    "editor:goals": {"get": EDITOR_PAGE, "post": editor(400)},
    "editor:targets": {"get": EDITOR_PAGE, "post": editor(400)},
    "editor:timetable": {"get": EDITOR_PAGE, "post": editor(400)},
    # Personal API tokens.
    "account:tokens": {"get": PAGE_FOR_ALL, "post": by_role(302, 400, 400, 400, 400)},
    "account:token_delete": {
        "get": by_role(302, 405, 405, 405, 405),
        "post": by_role(302, 404, 404, 302, 404),  # the token is kansli's own
    },
    # The API: the workflow, the history, the PDF and the exports.
    "api:plan-workflow": {"get": API},
    "api:plan-history": {"get": API, "post_json": API_NO_METHOD},
    "api:plan-pdf": {"get": API},
    "api:plan-budget-xlsx": {"get": API},
    "api:plan-planfile": {"get": API},
    "api:plan-submit": {
        "get": API_NO_METHOD,
        "post_json": api_step(KANSLI_FROM_DRAFT_PAGE, 200),
    },
    "api:plan-return": {
        "get": API_NO_METHOD,
        "post_json": api_step(BOARD_OR_KANSLI_FROM_PROPOSED_PAGE, 200),
    },
    "api:plan-approve": {
        "get": API_NO_METHOD,
        "post_json": api_step(BOARD_FROM_PROPOSED_PAGE, 200),
    },
    "api:plan-revise": {
        "get": API_NO_METHOD,
        "post_json": api_step(KANSLI_FROM_APPROVED_PAGE, 201),
    },
    "api:schema": {"get": everyone(200)},
    "api:docs": {"get": everyone(200)},
    "api/v1/^(?P<path>.*)$": {"get": everyone(404), "post": everyone(404)},
    # The API's resources: lists (an empty new row is invalid: 400) and rows of the plan.
    "api:association-list": {"get": API_FOR_ALL, "post_json": by_role(401, 403, 403, 405, 405)},
    "api:association-detail": {
        "get": API,
        "patch": api_write(200),
        "delete": by_role(401, 403, 403, 405, 405),
    },
    "api:member-list": {"get": API_FOR_ALL, "post_json": by_role(401, 403, 403, 400, 400)},
    # A member is the association's, not a plan's: no plan state locks it.
    "api:member-detail": {"get": API, "patch": api_write(200), "delete": api_write(204)},
    "api:plan-list": {"get": API_FOR_ALL, "post_json": by_role(401, 403, 403, 400, 400)},
    "api:plan-detail": {"get": API, "patch": api_edit(200), "delete": api_edit(204)},
}

# Every resource of a plan's rows answers alike.
for _basename in (
    "share",
    "boardseat",
    "staffmember",
    "group",
    "groupmember",
    "project",
    "section",
    "timetableentry",
    "budgetcolumn",
    "budgetgroup",
    "budgetline",
    "budgetamount",
    "goalarea",
    "goal",
    "target",
    "outcome",
):
    TABLE[f"api:{_basename}-list"] = {
        "get": API_FOR_ALL,
        "post_json": by_role(401, 403, 403, 400, 400),
    }
    TABLE[f"api:{_basename}-detail"] = {"get": API, "patch": api_edit(200), "delete": api_edit(204)}

# Bodies of the requests that need one.
DATA: dict[str, dict[str, Any]] = {
    "plans:plan_return": {"post": COMMENT},
    "plans:plan_approve": {"post": DECISION},
    "api:plan-return": {"post_json": COMMENT},
    "api:plan-approve": {"post_json": DECISION},
    "api:association-detail": {"patch": {"vision": "Alla ska kunna arbeta."}},
    "api:member-detail": {"patch": {"name": "Nytt namn"}},
    "api:plan-detail": {"patch": {"title": "Verksamhetsplan"}},
    "api:share-detail": {"patch": {"share_pct": "20"}},
    "api:boardseat-detail": {"patch": {"person": "Cecilia Carlsson"}},
    "api:staffmember-detail": {"patch": {"role": "Administratör"}},
    "api:group-detail": {"patch": {"description": "Bereder ärenden."}},
    "api:groupmember-detail": {"patch": {"person": "Doris Dahl"}},
    "api:project-detail": {"patch": {"description": "Stöd till unga."}},
    "api:section-detail": {"patch": {"body": "Ny text."}},
    "api:timetableentry-detail": {"patch": {"event": "Extra möte"}},
    "api:budgetcolumn-detail": {"patch": {"label": "Budget"}},
    "api:budgetgroup-detail": {"patch": {"name": "Administrativa kostnader"}},
    "api:budgetline-detail": {"patch": {"name": "Lön"}},
    "api:budgetamount-detail": {"patch": {"amount": "2500.50"}},
    "api:goalarea-detail": {"patch": {"description": "Fler i arbete."}},
    "api:goal-detail": {"patch": {"comment": "Går bra."}},
    "api:target-detail": {"patch": {"unit": "pers"}},
    "api:outcome-detail": {"patch": {"text": "Nästan."}},
}

# --- the admin ---------------------------------------------------------------------------------

ADMIN_SITE: dict[str, dict[str, Expected]] = {
    "admin:index": {"get": PAGE_FOR_ALL},
    "admin:app_list": {"get": PAGE_FOR_ALL},  # of the app "plans"
    "admin:login": {"get": by_role(200, 302, 302, 302, 302)},
    "admin:logout": {"get": by_role(302, 405, 405, 405, 405)},
    "admin:password_change": {"get": PAGE_FOR_ALL},
    "admin:password_change_done": {"get": PAGE_FOR_ALL},
    "admin:autocomplete": {"get": by_role(302, 403, 403, 403, 403)},
    "admin:jsi18n": {"get": PAGE_FOR_ALL},
    "admin:view_on_site": {"get": by_role(302, 404, 404, 404, 404)},  # plans have no such page
    "admin/(?P<url>.*)$": {"get": by_role(302, 404, 404, 404, 404)},
}

# How each registered model's admin answers, by class. A newly registered model needs a class.
ADMIN_MODELS = {
    "plans.plan": "plan",
    "plans.group": "plan",
    "budget.budgetgroup": "plan",
    "budget.budgetline": "plan",
    "goals.goalarea": "plan",
    "goals.goal": "plan",
    "goals.target": "plan",
    "plans.association": "association",
    "auth.user": "site",
    "auth.group": "site",
    "knox.authtoken": "site",
}
# The admin of a plan's rows: every role reads; kansli changes until the plan is approved.
ADMIN_DELETE = by_state(
    draft=by_role(302, 403, 403, 200, 404),
    proposed=by_role(302, 403, 403, 200, 404),
    approved=by_role(302, 403, 403, 403, 404),
)
ADMIN_CLASSES: dict[str, dict[str, dict[str, Expected]]] = {
    "plan": {
        "changelist": {"get": PAGE_FOR_ALL},
        "add": {"get": by_role(302, 403, 403, 200, 200)},
        "history": {"get": PAGE},
        "change": {"get": PAGE},
        "delete": {"get": ADMIN_DELETE, "post": ADMIN_DELETE},
        "redirect": {"get": everyone(302)},
    },
    "association": {
        "changelist": {"get": PAGE_FOR_ALL},
        "add": {"get": by_role(302, 403, 403, 403, 403)},
        "history": {"get": PAGE},
        "change": {"get": PAGE},
        "delete": {
            "get": by_role(302, 403, 403, 403, 404),
            "post": by_role(302, 403, 403, 403, 404),
        },
        "redirect": {"get": everyone(302)},
    },
    # Users, groups and tokens: the site administrators' only.
    "site": {
        "changelist": {"get": by_role(302, 403, 403, 403, 403)},
        "add": {"get": by_role(302, 403, 403, 403, 403)},
        "history": {"get": by_role(302, 403, 403, 403, 403)},
        "change": {"get": by_role(302, 403, 403, 403, 403)},
        "delete": {
            "get": by_role(302, 403, 403, 403, 403),
            "post": by_role(302, 403, 403, 403, 403),
        },
        "password_change": {"get": by_role(302, 403, 403, 403, 403)},
        "redirect": {"get": everyone(302)},
    },
}


def admin_entries() -> dict[str, dict[str, Expected]]:
    entries = dict(ADMIN_SITE)
    for route in routes():
        if not route.key.startswith(("admin:", "admin/")) or route.key in ADMIN_SITE:
            continue
        model = admin_model_of(route)
        assert model is not None, f"{route.key}: an admin URL of no registered model"
        label = model._meta.label_lower
        assert label in ADMIN_MODELS, f"{label} is registered in the admin: add it to ADMIN_MODELS"
        view = "redirect" if route.name is None else route.key.rsplit("_", 1)[1]
        if route.key.endswith("_password_change"):
            view = "password_change"
        entries[route.key] = ADMIN_CLASSES[ADMIN_MODELS[label]][view]
    return entries


def full_table() -> dict[str, dict[str, Expected]]:
    return {**TABLE, **admin_entries()}


# --- running it ----------------------------------------------------------------------------------

STATEFUL_ARGUMENTS = {
    "plan_id",
    "pk",
    "object_id",
    "id",
    "section_id",
    "group_id",
    "area_id",
    "goal_id",
}


def route_by_key() -> dict[str, Route]:
    """The first pattern of each key; a router's ``.json``-style twin answers like it."""
    found: dict[str, Route] = {}
    for route in routes():
        if "format" not in route.arguments:
            found.setdefault(route.key, route)
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def observed(world: World, route: Route, method: str, expected: Expected) -> Expected:
    data = DATA.get(route.key, {}).get(method)
    stateful = bool(STATEFUL_ARGUMENTS & set(route.arguments))
    if not stateful:
        assert set(expected) == set(ROLES), f"{route.key} names no plan: expect by role only"
        url = url_of(world, route, None)
        return {role: _call(world, role, method, url, data) for role in ROLES}
    answers: dict[str, Row] = {}
    for state in STATES:
        url = url_of(world, route, state)
        answers[state] = {role: _call(world, role, method, url, data) for role in ROLES}
    return answers


def _call(world: World, role: str, method: str, url: str, data: Any) -> int:
    cache.clear()  # throttles and login counters start empty in every cell
    return call(world, role, method, url, data)


def per_state(expected: Expected, stateful: bool) -> Expected:
    """Expand an expectation by role into one per state, for a URL that names a plan."""
    if not stateful or set(expected) == set(STATES):
        return expected
    return dict.fromkeys(STATES, expected)


def test_every_url_pattern_has_an_entry():
    keys = set(route_by_key())
    table = set(full_table())

    assert sorted(keys - table) == [], "URL patterns without an entry in the table"
    assert sorted(table - keys) == [], "entries of URL patterns that no longer exist"


def test_the_admin_has_a_class_for_every_registered_model():
    registered = {model._meta.label_lower for model in admin.site._registry}

    assert registered == set(ADMIN_MODELS)


@pytest.mark.parametrize("key", sorted(full_table()))
def test_every_url_answers_each_role_in_each_plan_state_as_the_table_says(world, db, key):
    route = route_by_key()[key]
    stateful = bool(STATEFUL_ARGUMENTS & set(route.arguments))
    for method, expected in full_table()[key].items():
        assert observed(world, route, method, expected) == per_state(expected, stateful), (
            f"{method.upper()} {key}"
        )
