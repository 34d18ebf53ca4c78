"""Bad writes answer 400 with the field named, in Swedish, and change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget.models import BudgetAmount, BudgetLine
from plans.models import ContributionShare, Plan
from plans.services import OTHER_ASSOCIATION, OTHER_PLAN
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

API = "/api/v1"


def snapshot():
    """Everything a bad write could have touched."""
    return (
        list(BudgetAmount.objects.order_by("id").values()),
        list(BudgetLine.objects.order_by("id").values()),
        list(ContributionShare.objects.order_by("id").values()),
        list(Plan.objects.order_by("id").values()),
    )


@pytest.fixture
def kansli(world):
    return client_for(world.users["kansli"])


@pytest.mark.parametrize(
    "amount",
    ["12,5", "abc", "", "1.234.567", "3216600.005", "1e400", "NaN", "Infinity", 0.1, True, None],
)
def test_malformed_amount_is_refused_naming_the_field(world, kansli, amount):
    rows = world.draft.rows
    before = snapshot()

    response = kansli.post(
        f"{API}/budget-amounts/",
        {"line": rows["budget-lines"].id, "column": rows["spare-column"].id, "amount": amount},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["amount"]
    assert snapshot() == before


def test_a_float_is_refused_with_a_swedish_explanation(world, kansli):
    response = kansli.patch(
        f"{API}/budget-amounts/{world.draft.rows['budget-amounts'].id}/",
        {"amount": 1000.5},
        format="json",
    )

    assert response.status_code == 400
    assert "flyttal är inte exakt" in response.json()["amount"][0]


def test_amount_as_decimal_string_or_integer_is_stored_exactly(world, kansli):
    amount = world.draft.rows["budget-amounts"]

    as_text = kansli.patch(
        f"{API}/budget-amounts/{amount.id}/", {"amount": "-2068098.50"}, format="json"
    )
    as_integer = kansli.patch(
        f"{API}/plans/{world.draft.plan.id}/", {"opening_equity": 6091276}, format="json"
    )

    assert as_text.status_code == 200
    assert as_text.json()["amount"] == "-2068098.50"
    amount.refresh_from_db()
    assert amount.amount.amount == Decimal("-2068098.50")
    assert as_integer.json()["opening_equity"] == "6091276.00"


def test_share_over_100_percent_is_refused(world, kansli):
    share = world.draft.rows["shares"]
    before = snapshot()

    response = kansli.patch(f"{API}/shares/{share.id}/", {"share_pct": "150"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["share_pct"]
    assert snapshot() == before


def test_shares_adding_up_to_more_than_100_percent_are_refused(world, kansli):
    _, region, _ = world.draft.members
    before = snapshot()

    response = kansli.post(
        f"{API}/shares/",
        {"plan": world.draft.plan.id, "member": region.id, "share_pct": "80"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "share_pct": ["Andelarna i planen blir tillsammans 105\xa0%, mer än 100 %."]
    }
    assert snapshot() == before


def test_a_line_in_another_associations_plan_is_refused(world, kansli):
    before = snapshot()

    response = kansli.post(
        f"{API}/budget-lines/",
        {"group": world.other.rows["budget-groups"].id, "name": "Smuggel"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["group"]
    assert snapshot() == before


def test_moving_a_line_into_another_associations_plan_is_refused(world, kansli):
    line = world.draft.rows["budget-lines"]
    before = snapshot()

    response = kansli.patch(
        f"{API}/budget-lines/{line.id}/",
        {"group": world.other.rows["budget-groups"].id},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["group"]
    assert snapshot() == before


def test_a_line_pointing_at_another_plans_project_is_refused(world, kansli):
    line = world.draft.rows["budget-lines"]
    before = snapshot()

    # The approved plan is the same association's, so the project is visible: the service says no.
    response = kansli.patch(
        f"{API}/budget-lines/{line.id}/",
        {"project": world.approved.rows["projects"].id},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"project": [OTHER_PLAN]}
    assert snapshot() == before


def test_a_line_paid_by_another_associations_member_is_refused(world, kansli):
    line = world.draft.rows["budget-lines"]

    response = kansli.patch(
        f"{API}/budget-lines/{line.id}/", {"member": world.other.members[0].id}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["member"]


def test_an_amount_in_a_column_of_another_plan_is_refused(world, kansli):
    before = snapshot()

    response = kansli.post(
        f"{API}/budget-amounts/",
        {
            "line": world.draft.rows["budget-lines"].id,
            "column": world.approved.rows["spare-column"].id,
            "amount": "100.00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"column": [OTHER_PLAN]}
    assert snapshot() == before


def test_a_board_seat_for_another_associations_member_is_refused(world, kansli):
    response = kansli.post(
        f"{API}/board/",
        {
            "plan": world.draft.plan.id,
            "member": world.other.members[1].id,
            "role": "deputy",
            "person": "Gun Gran",
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["member"]


def test_a_member_of_another_association_is_refused_even_when_the_caller_sees_both(world):
    world.users["kansli"].memberships.create(association=world.other_association, role="kansli")
    client = client_for(world.users["kansli"])

    response = client.patch(
        f"{API}/board/{world.draft.rows['board'].id}/",
        {"member": world.other.members[1].id},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"member": [OTHER_ASSOCIATION]}


def test_a_sub_line_of_a_sub_line_is_refused(world, kansli):
    line = world.draft.rows["budget-lines"]
    group = line.group
    parent = BudgetLine.objects.create(group=group, name="Huvudrad")
    child = BudgetLine.objects.create(group=group, name="Underrad", parent=parent)

    response = kansli.patch(f"{API}/budget-lines/{line.id}/", {"parent": child.id}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["parent"]


def test_model_validation_speaks_swedish(world, kansli):
    response = kansli.patch(
        f"{API}/timetable/{world.draft.rows['timetable'].id}/", {"month": 13}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["month"] == ["Se till att detta värde är mindre än eller lika med 12."]


def test_a_plan_cannot_move_to_another_association(world):
    client = client_for(world.users["kansli"])
    world.users["kansli"].memberships.create(association=world.other_association, role="kansli")

    response = client.patch(
        f"{API}/plans/{world.draft.plan.id}/",
        {"association": world.other_association.id, "year": 2035},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["association"]


def test_a_duplicate_plan_year_names_the_problem(world, kansli):
    response = kansli.post(
        f"{API}/plans/",
        {"association": world.association.id, "year": world.draft.plan.year},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_deleting_a_member_in_use_is_a_conflict(world, kansli):
    state = world.draft.members[0]

    response = kansli.delete(f"{API}/members/{state.id}/")

    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    assert "styrelse" in response.json()["detail"]
