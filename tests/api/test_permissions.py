"""Every API route × role × method: who may read, who may write, and what the others get.

Readers (revisor, styrelse) get 403 on every write; kansli of another association gets 404 for
the rows of this one (and 400 naming the field when it points a new row at them); anonymous
callers get 401.
"""

from __future__ import annotations

from typing import Any

import pytest

from plans.models import Member
from tests.api.conftest import PlanRows, World, client_for

pytestmark = pytest.mark.django_db

API = "/api/v1"

# The field that ties a new row to its association or plan, per route.
PARENT_FIELD = {
    "associations": None,
    "members": "association",
    "shares": "plan",
    "board": "plan",
    "office": "plan",
    "groups": "plan",
    "group-members": "group",
    "projects": "plan",
    "plans": "association",
    "sections": "plan",
    "timetable": "plan",
    "budget-columns": "plan",
    "budget-groups": "plan",
    "budget-lines": "group",
    "budget-amounts": "line",
    "goal-areas": "plan",
    "goals": "area",
    "targets": "goal",
    "outcomes": "target",
}
ROUTES = list(PARENT_FIELD)
PLAN_ROUTES = [route for route in ROUTES if route not in {"associations", "members"}]

PATCHES = {
    "associations": {"vision": "Alla ska kunna arbeta."},
    "members": {"name": "Nytt namn"},
    "shares": {"share_pct": "20"},
    "board": {"person": "Cecilia Carlsson"},
    "office": {"role": "Administratör"},
    "groups": {"description": "Bereder ärenden."},
    "group-members": {"person": "Doris Dahl"},
    "projects": {"description": "Stöd till unga."},
    "plans": {"title": "Verksamhetsplan"},
    "sections": {"body": "Ny text."},
    "timetable": {"event": "Styrelsemöte"},
    "budget-columns": {"label": "Budget"},
    "budget-groups": {"name": "Administrativa kostnader"},
    "budget-lines": {"name": "Lön"},
    "budget-amounts": {"amount": "2500.50"},
    "goal-areas": {"description": "Fler i arbete."},
    "goals": {"comment": "Går bra."},
    "targets": {"unit": "pers"},
    "outcomes": {"text": "Nästan."},
}


def create_payload(route: str, rows: PlanRows) -> dict[str, Any]:
    """A valid new row of ``route`` in the plan of ``rows``."""
    plan, r = rows.plan, rows.rows
    state, region, _ = rows.members
    return {
        "members": {
            "association": plan.association_id,
            "name": "Ny kommun",
            "kind": "municipality",
        },
        "shares": {"plan": plan.id, "member": region.id, "share_pct": "25.000000"},
        "board": {"plan": plan.id, "member": region.id, "role": "ordinary", "person": "Eva Ek"},
        "office": {"plan": plan.id, "role": "Projektledare", "fte": "0.50"},
        "groups": {"plan": plan.id, "name": "Referensgrupp", "kind": "reference"},
        "group-members": {"group": r["groups"].id, "person": "Fia Falk", "member": state.id},
        "projects": {"plan": plan.id, "name": "Ny insats", "kind": "structural"},
        "plans": {"association": plan.association_id, "year": 2030, "opening_equity": "1.00"},
        "sections": {"plan": plan.id, "title": "Budget", "level": 1, "body": "Text."},
        "timetable": {"plan": plan.id, "year": plan.year, "month": 6, "event": "Uppföljning"},
        "budget-columns": {"plan": plan.id, "kind": "forecast", "year": 2020, "label": "Prognos"},
        "budget-groups": {"plan": plan.id, "kind": "contributions", "name": "Medlemsavgifter"},
        "budget-lines": {"group": r["budget-groups"].id, "name": "Lokaler"},
        "budget-amounts": {
            "line": r["budget-lines"].id,
            "column": r["spare-column"].id,
            "amount": "3216600.00",
        },
        "goal-areas": {"plan": plan.id, "name": "Finansiera"},
        "goals": {"area": r["goal-areas"].id, "indicator": "Antal deltagare"},
        "targets": {"goal": r["goals"].id, "kind": "number", "value": "185", "unit": "pers"},
        "outcomes": {"target": r["targets"].id, "period": "Årsredovisning", "value": "150"},
    }[route]


def subject(route: str, world: World, rows: PlanRows) -> Any:
    """The existing row the detail routes are called on."""
    if route == "associations":
        return rows.plan.association
    if route == "members":
        return Member.objects.get(association=rows.plan.association, name="Vilande")
    return rows.rows[route]


READER = {
    "list": 200,
    "retrieve": 200,
    "partial_update": 403,
    "update": 403,
    "create": 403,
    "destroy": 403,
}
EXPECTED: dict[str, dict[str, int]] = {
    "anonymous": dict.fromkeys(READER, 401),
    "revisor": READER,
    "styrelse": READER,
    "kansli": {
        "list": 200,
        "retrieve": 200,
        "partial_update": 200,
        "update": 200,
        "create": 201,
        "destroy": 204,
    },
    "other_kansli": {
        "list": 200,
        "retrieve": 404,
        "partial_update": 404,
        "update": 404,
        "create": 400,
        "destroy": 404,
    },
    # A user without any role: sees nothing, may write nothing.
    "outsider": {**READER, "retrieve": 404},
}
# Associations are created and removed in admin only.
ASSOCIATION_OVERRIDES = {"kansli": {"create": 405, "destroy": 405}, "other_kansli": {"create": 405}}


def expected(route: str, role: str) -> dict[str, int]:
    codes = dict(EXPECTED[role])
    if route == "associations":
        codes.update(ASSOCIATION_OVERRIDES.get(role, {}))
        if role == "other_kansli":
            codes["destroy"] = 405
    return codes


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("route", ROUTES)
def test_every_route_answers_each_role_as_its_rights_say(world, route, role):
    rows = world.draft
    obj = subject(route, world, rows)
    body = client_for(world.users["kansli"]).get(f"{API}/{route}/{obj.pk}/").json()
    client = client_for(world.users.get(role))
    detail = f"{API}/{route}/{obj.pk}/"
    payload = create_payload(route, rows) if route != "associations" else {}

    answers = {
        "list": client.get(f"{API}/{route}/"),
        "retrieve": client.get(detail),
        "partial_update": client.patch(detail, PATCHES[route], format="json"),
        "update": client.put(detail, body, format="json"),
        "create": client.post(f"{API}/{route}/", payload, format="json"),
        "destroy": client.delete(detail),
    }

    got = {action: response.status_code for action, response in answers.items()}
    assert got == expected(route, role), {
        action: (response.status_code, _text(response)) for action, response in answers.items()
    }
    if role in {"other_kansli", "outsider"}:
        listed = [row["id"] for row in answers["list"].json()["results"]]
        assert obj.pk not in listed
    if role == "kansli":
        assert obj.pk in [row["id"] for row in answers["list"].json()["results"]]
    if role == "other_kansli" and PARENT_FIELD[route]:
        assert PARENT_FIELD[route] in answers["create"].json()


@pytest.mark.parametrize("route", ["planfile/", "budget.xlsx"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("revisor", 200),
        ("styrelse", 200),
        ("kansli", 200),
        ("other_kansli", 404),
        ("outsider", 404),
    ],
)
def test_exports_are_for_the_plans_readers(world, route, role, status):
    client = client_for(world.users.get(role))

    response = client.get(f"{API}/plans/{world.draft.plan.pk}/{route}")

    assert response.status_code == status


@pytest.mark.parametrize("route", PLAN_ROUTES)
def test_writes_to_an_approved_plan_are_conflicts(world, route):
    rows = world.approved
    obj = subject(route, world, rows)
    client = client_for(world.users["kansli"])
    detail = f"{API}/{route}/{obj.pk}/"
    body = client.get(detail).json()
    before = client.get(detail).json()

    answers = {
        "partial_update": client.patch(detail, PATCHES[route], format="json"),
        "update": client.put(detail, body, format="json"),
        "destroy": client.delete(detail),
    }
    if route != "plans":
        answers["create"] = client.post(
            f"{API}/{route}/", create_payload(route, rows), format="json"
        )

    assert {action: r.status_code for action, r in answers.items()} == dict.fromkeys(answers, 409)
    for response in answers.values():
        assert response.json()["code"] == "plan_approved"
        assert "fastställd" in response.json()["detail"]
    assert client.get(detail).json() == before


def test_readers_get_a_swedish_reason_for_refused_writes(world):
    client = client_for(world.users["revisor"])

    response = client.patch(
        f"{API}/plans/{world.draft.plan.pk}/", {"title": "Ändrad"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Bara kansliet kan ändra")


def test_a_token_reads_like_its_user(world):
    client = client_for(world.users["revisor"], token=True)

    response = client.get(f"{API}/plans/")

    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {
        world.draft.plan.pk,
        world.approved.plan.pk,
    }


def test_an_unknown_token_is_refused(world):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)

    response = client.get(f"{API}/plans/")

    assert response.status_code == 401


def _text(response) -> str:
    return response.content.decode(errors="replace")[:300]
