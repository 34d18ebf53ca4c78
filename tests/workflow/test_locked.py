"""An approved plan is read-only through every door: services, pages, API, admin, plan-file import.

Each test tries its door against an approved plan and then checks that the database holds exactly
what it held before (``snapshot``: the plan file of the plan, its own row, and the row count of
every table a plan owns).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from goals.models import Goal, GoalArea, Outcome, Target
from plans import services
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
from plans.planfile import PlanFileError, plan_export, plan_export_bytes, plan_import
from plans.planfile import errors as planfile_errors
from plans.workflow import PLAN_LOCKED, PlanLocked, ensure_plan_editable
from tests.workflow.conftest import api_client, build_plan, page_client, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(place) -> Plan:
    """An approved plan stored as approved (no PDF rendered: these tests are about writes)."""
    return build_plan(place.association, place.members, status=PlanStatus.APPROVED)


# Every API route of a plan's rows: the model, a change to PATCH, a new row to POST.
ROUTES: dict[str, tuple[type, dict[str, Any]]] = {
    "shares": (ContributionShare, {"share_pct": "20"}),
    "board": (BoardSeat, {"person": "Cecilia Carlsson"}),
    "office": (StaffMember, {"role": "Administratör"}),
    "groups": (Group, {"description": "Bereder ärenden."}),
    "group-members": (GroupMember, {"person": "Doris Dahl"}),
    "projects": (Project, {"description": "Stöd till unga."}),
    "sections": (Section, {"body": "Ny text."}),
    "timetable": (TimetableEntry, {"event": "Extra möte"}),
    "budget-columns": (BudgetColumn, {"label": "Budget"}),
    "budget-groups": (BudgetGroup, {"name": "Administrativa kostnader"}),
    "budget-lines": (BudgetLine, {"name": "Lön"}),
    "budget-amounts": (BudgetAmount, {"amount": "2500.50"}),
    "goal-areas": (GoalArea, {"description": "Fler i arbete."}),
    "goals": (Goal, {"comment": "Går bra."}),
    "targets": (Target, {"unit": "pers"}),
    "outcomes": (Outcome, {"text": "Nästan."}),
}


def row_of(model: type, plan: Plan) -> Any:
    path = {
        GroupMember: "group__plan",
        BudgetLine: "group__plan",
        BudgetAmount: "line__group__plan",
        Goal: "area__plan",
        Target: "goal__area__plan",
        Outcome: "target__goal__area__plan",
    }.get(model, "plan")
    return model.objects.filter(**{path: plan}).order_by("id").first()


def new_row_payload(route: str, plan: Plan) -> dict[str, Any]:
    """A valid new row of ``route`` in ``plan`` (valid but for the plan being approved)."""
    region = plan.association.members.get(kind="region")
    newcomer = plan.association.members.get(name="Ny kommun")
    return {
        "shares": {"plan": plan.pk, "member": newcomer.pk, "share_pct": "0"},
        "board": {"plan": plan.pk, "member": region.pk, "role": "deputy", "person": "Eva Ek"},
        "office": {"plan": plan.pk, "role": "Projektledare", "fte": "0.50"},
        "groups": {"plan": plan.pk, "name": "Referensgrupp", "kind": "reference"},
        "group-members": {"group": row_of(Group, plan).pk, "person": "Fia Falk"},
        "projects": {"plan": plan.pk, "name": "Ny insats", "kind": "structural"},
        "sections": {"plan": plan.pk, "title": "Budget", "level": 1, "body": "Text."},
        "timetable": {"plan": plan.pk, "year": plan.year, "month": 6, "event": "Uppföljning"},
        "budget-columns": {"plan": plan.pk, "kind": "outcome", "year": 2023, "label": "Utfall"},
        "budget-groups": {"plan": plan.pk, "kind": "other_income", "name": "Övrigt"},
        "budget-lines": {"group": row_of(BudgetGroup, plan).pk, "name": "Lokaler"},
        "budget-amounts": {
            "line": BudgetLine.objects.get(group__plan=plan, name="Personal").pk,
            "column": BudgetColumn.objects.get(plan=plan, label="Prognos 2024").pk,
            "amount": "1.00",
        },
        "goal-areas": {"plan": plan.pk, "name": "Finansiera"},
        "goals": {"area": row_of(GoalArea, plan).pk, "indicator": "Antal deltagare"},
        "targets": {"goal": row_of(Goal, plan).pk, "kind": "number", "value": "185"},
        "outcomes": {"target": row_of(Target, plan).pk, "period": "Årsredovisning", "value": "1"},
    }[route]


# ---------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES)
def test_the_services_refuse_every_row_of_an_approved_plan(approved, route):
    model, _patch = ROUTES[route]
    before = snapshot(approved)
    row = row_of(model, approved)

    with pytest.raises(services.PlanLockedError):
        services.plan_row_save(row=row)
    with pytest.raises(services.PlanLockedError):
        services.plan_row_delete(row=row)

    assert snapshot(approved) == before


def test_the_services_refuse_the_approved_plan_itself(approved):
    before = snapshot(approved)
    approved.title = "Ändrad"

    with pytest.raises(services.PlanLockedError):
        services.plan_save(plan=approved)
    with pytest.raises(services.PlanLockedError):
        services.plan_delete(plan=Plan.objects.get(pk=approved.pk))
    with pytest.raises(PlanLocked, match="Skapa en revidering"):
        ensure_plan_editable(approved)

    assert snapshot(approved) == before


# ---------------------------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES)
def test_the_api_refuses_patch_put_post_and_delete_on_an_approved_plan(place, approved, route):
    model, patch = ROUTES[route]
    # Room for one more share and one more amount, so the new rows are valid but for the lock.
    Member.objects.create(association=place.association, name="Ny kommun", kind="municipality")
    BudgetColumn.objects.create(plan=approved, kind="forecast", year=2024, label="Prognos 2024")
    before = snapshot(approved)
    client = api_client(place.users["kansli"], token=True)
    detail = f"/api/v1/{route}/{row_of(model, approved).pk}/"
    body = client.get(detail).json()

    answers = {
        "patch": client.patch(detail, patch, format="json"),
        "put": client.put(detail, body, format="json"),
        "delete": client.delete(detail),
        "post": client.post(f"/api/v1/{route}/", new_row_payload(route, approved), format="json"),
    }

    assert {method: r.status_code for method, r in answers.items()} == dict.fromkeys(answers, 409)
    assert {r.json()["code"] for r in answers.values()} == {"plan_approved"}
    assert snapshot(approved) == before


def test_the_api_refuses_to_change_or_delete_the_approved_plan(place, approved):
    before = snapshot(approved)
    client = api_client(place.users["kansli"])
    detail = f"/api/v1/plans/{approved.pk}/"

    assert client.patch(detail, {"title": "Ändrad"}, format="json").status_code == 409
    assert client.delete(detail).status_code == 409
    assert client.post(f"/api/v1/plans/{approved.pk}/submit/").status_code == 409
    assert snapshot(approved) == before


def test_readers_writing_to_an_approved_plan_get_403_and_change_nothing(place, approved):
    before = snapshot(approved)
    section = row_of(Section, approved)

    for role in ("revisor", "styrelse"):
        response = api_client(place.users[role]).patch(
            f"/api/v1/sections/{section.pk}/", {"body": "X"}, format="json"
        )
        assert response.status_code == 403

    assert snapshot(approved) == before


# ---------------------------------------------------------------------------------------------
# Admin
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.se", "x")


def test_the_admin_refuses_to_change_or_delete_an_approved_plan(approved, admin_user):
    before = snapshot(approved)
    client = page_client(admin_user)
    data = {
        "association": approved.association_id,
        "year": approved.year,
        "revision": 1,
        "title": "Ändrad i admin",
        "status": "draft",
        "opening_equity_0": "1",
        "opening_equity_1": "SEK",
        "display_unit": "kr",
    }

    change = client.post(reverse("admin:plans_plan_change", args=[approved.pk]), data)
    delete = client.post(reverse("admin:plans_plan_delete", args=[approved.pk]), {"post": "yes"})

    assert change.status_code in {403, 200}
    assert delete.status_code == 403
    assert snapshot(approved) == before


@pytest.mark.parametrize(
    ("model", "admin_name", "change"),
    [
        (BudgetLine, "budget_budgetline", {"name": "Ändrad i admin"}),
        (Goal, "goals_goal", {"indicator": "Ändrad i admin"}),
        (Group, "plans_group", {"name": "Ändrad i admin"}),
    ],
)
def test_the_admin_refuses_to_change_or_delete_rows_of_an_approved_plan(
    place, approved, admin_user, model, admin_name, change
):
    row = row_of(model, approved)
    kansli = place.users["kansli"]
    kansli.is_staff = True
    kansli.save()
    before = snapshot(approved)

    for user in (admin_user, kansli):
        client = page_client(user)
        url = reverse(f"admin:{admin_name}_change", args=[row.pk])
        response = client.post(url, change)
        deleted = client.post(reverse(f"admin:{admin_name}_delete", args=[row.pk]), {"post": "yes"})
        assert response.status_code in {200, 403}
        assert deleted.status_code == 403

    assert snapshot(approved) == before


def test_the_admin_cannot_add_rows_to_an_approved_plan(place, approved, admin_user):
    before = snapshot(approved)
    group = row_of(BudgetGroup, approved)

    response = page_client(admin_user).post(
        reverse("admin:budget_budgetline_add"), {"group": group.pk, "name": "Smugglad", "order": 0}
    )

    assert response.status_code in {200, 403}
    assert snapshot(approved) == before


# ---------------------------------------------------------------------------------------------
# Plan-file import
# ---------------------------------------------------------------------------------------------


def test_a_plan_file_import_never_replaces_an_approved_plan(approved):
    data = plan_export(plan=approved)
    data["plan"]["title"] = "Ersatt"
    data["plan"]["status"] = "draft"
    data["plan"]["decided_on"] = None
    before = snapshot(approved)

    with pytest.raises(PlanFileError) as error:
        plan_import(data=data, replace=True)

    assert planfile_errors.APPROVED_NOT_REPLACEABLE in str(error.value)
    assert snapshot(approved) == before


def test_the_import_command_with_replace_refuses_an_approved_plan(approved, tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(plan_export_bytes(plan=approved))
    before = snapshot(approved)

    with pytest.raises((CommandError, SystemExit)):
        call_command("import_plan", str(path), "--replace")

    assert snapshot(approved) == before


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def test_the_workflow_pages_cannot_change_an_approved_plan(place, approved):
    before = snapshot(approved)
    kansli, board = page_client(place.users["kansli"]), page_client(place.users["styrelse"])
    decision = {"decided_on": "2024-12-01", "minutes_paragraph": "§ 1", "dnr": "1"}

    assert kansli.post(reverse("plans:plan_submit", args=[approved.pk])).status_code == 409
    assert (
        board.post(reverse("plans:plan_approve", args=[approved.pk]), decision).status_code == 409
    )
    response = board.post(reverse("plans:plan_return", args=[approved.pk]), {"comment": "Nej"})
    assert response.status_code == 409
    assert snapshot(approved) == before
    assert Plan.objects.get(pk=approved.pk).status == PlanStatus.APPROVED


def test_the_locked_message_tells_the_user_to_make_a_revision():
    assert PLAN_LOCKED == (
        "Planen är fastställd och kan inte ändras. Skapa en revidering för att ändra den."
    )
