"""Lists: filters (association, year, status …), pagination, ordering; amounts as decimal strings."""

from __future__ import annotations

import pytest

from plans.models import PlanStatus
from tests.api.conftest import build_plan, client_for

pytestmark = pytest.mark.django_db

API = "/api/v1"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def both(world):
    """A user who is kansli in both associations, so filters have something to choose from."""
    user = world.users["kansli"]
    user.memberships.create(association=world.other_association, role="kansli")
    return client_for(user)


def test_plans_filter_by_association_year_and_status(world, both):
    draft, approved, other = world.draft.plan, world.approved.plan, world.other.plan

    assert set(ids(both.get(f"{API}/plans/"))) == {draft.id, approved.id, other.id}
    assert set(ids(both.get(f"{API}/plans/?association={world.association.id}"))) == {
        draft.id,
        approved.id,
    }
    assert set(ids(both.get(f"{API}/plans/?year=2021"))) == {draft.id, other.id}
    assert ids(both.get(f"{API}/plans/?status={PlanStatus.APPROVED}")) == [approved.id]
    assert ids(
        both.get(f"{API}/plans/?association={world.other_association.id}&year=2021&status=draft")
    ) == [other.id]


def test_plan_rows_filter_by_their_plans_association_year_and_status(world, both):
    lines = {
        rows.plan.id: rows.rows["budget-lines"].id
        for rows in (world.draft, world.approved, world.other)
    }

    by_status = ids(both.get(f"{API}/budget-lines/?plan_status=approved"))
    by_year = ids(both.get(f"{API}/budget-lines/?year=2021&association={world.association.id}"))
    by_plan = ids(both.get(f"{API}/budget-lines/?plan={world.other.plan.id}"))

    assert by_status == [lines[world.approved.plan.id]]
    assert by_year == [lines[world.draft.plan.id]]
    assert by_plan == [lines[world.other.plan.id]]


def test_filtering_on_an_association_the_caller_cannot_see_gives_nothing(world):
    client = client_for(world.users["revisor"])

    response = client.get(f"{API}/plans/?association={world.other_association.id}")

    assert ids(response) == []


@pytest.mark.parametrize("query", ["year=abc", "year=20.5", "status=klar", "association=x"])
def test_malformed_filters_are_400_naming_the_filter(world, query):
    response = client_for(world.users["revisor"]).get(f"{API}/plans/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_pages_hold_page_size_rows_and_link_onwards(world):
    for year in range(2030, 2035):
        build_plan(world.association, world.draft.members, year=year)
    client = client_for(world.users["revisor"])

    first = client.get(f"{API}/plans/?page_size=3&ordering=year").json()
    second = client.get(first["next"]).json()

    assert first["count"] == 7
    assert [p["year"] for p in first["results"]] == [2020, 2021, 2030]
    assert [p["year"] for p in second["results"]] == [2031, 2032, 2033]
    assert second["previous"] is not None


def test_ordering_descends_with_a_minus(world):
    client = client_for(world.users["revisor"])

    years = [p["year"] for p in client.get(f"{API}/plans/?ordering=-year").json()["results"]]

    assert years == [2021, 2020]


def test_ordering_on_an_unlisted_field_is_ignored(world):
    client = client_for(world.users["revisor"])

    response = client.get(f"{API}/plans/?ordering=dnr")

    assert response.status_code == 200


def test_amounts_are_the_same_decimal_strings_everywhere(world):
    rows = world.draft.rows
    rows["budget-amounts"].amount = "3216600"
    rows["budget-amounts"].save()
    client = client_for(world.users["revisor"])
    plan_id = world.draft.plan.id

    amount = client.get(f"{API}/budget-amounts/{rows['budget-amounts'].id}/").json()["amount"]
    in_line = client.get(f"{API}/budget-lines/{rows['budget-lines'].id}/").json()["amounts"]
    detail = client.get(f"{API}/plans/{plan_id}/").json()
    column = detail["summary"]["columns"][0]

    assert amount == "3216600.00"
    assert in_line[0]["amount"] == "3216600.00"
    assert column["kind_totals"]["administration"] == "3216600.00"
    assert column["total_costs"] == "3216600.00"
    assert column["result"] == "-3216600.00"
    assert detail["opening_equity"] == "500000.00"
