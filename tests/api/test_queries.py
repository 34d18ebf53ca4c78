"""Query counts of the API, pinned, and the same however many rows there are.

A logged-in request costs 2 queries (session, user); a page costs 2 (count, rows); each nested
list (a line's amounts, a member's shares, a group's people, a target's outcomes) 1 more.
"""

from __future__ import annotations

import pytest

from budget.selectors import PLAN_BUDGET_INPUT_QUERIES
from tests.api.conftest import build_plan, client_for
from tests.api.test_permissions import ROUTES

pytestmark = pytest.mark.django_db

SESSION = 2
PAGE = 2
NESTED = {"members", "groups", "budget-lines", "targets"}
LIST_QUERIES = {route: SESSION + PAGE + (route in NESTED) for route in ROUTES}
# Plan detail: the session, the plan, then the budget's input in a fixed number of queries.
DETAIL_QUERIES = SESSION + 1 + PLAN_BUDGET_INPUT_QUERIES


def grow(world, plans: int) -> None:
    for year in range(2030, 2030 + plans):
        build_plan(world.association, world.draft.members, year=year)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("extra_plans", [0, 3])
def test_list_query_count_is_pinned(world, django_assert_num_queries, route, extra_plans):
    grow(world, extra_plans)
    client = client_for(world.users["revisor"])

    with django_assert_num_queries(LIST_QUERIES[route]):
        response = client.get(f"/api/v1/{route}/")

    assert response.status_code == 200
    # The rows are really there: every extra plan adds rows to each plan's list.
    grows = route not in {"associations", "members"}
    assert response.json()["count"] >= (2 + extra_plans if grows else 1)


@pytest.mark.parametrize("extra_lines", [0, 40])
def test_plan_detail_query_count_is_pinned(world, django_assert_num_queries, extra_lines):
    rows = world.draft.rows
    for n in range(extra_lines):
        line = type(rows["budget-lines"]).objects.create(group=rows["budget-groups"], name=f"R{n}")
        line.amounts.create(column=rows["budget-columns"], amount=n)
    client = client_for(world.users["revisor"])

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(f"/api/v1/plans/{world.draft.plan.pk}/")

    assert response.status_code == 200
    assert len(response.json()["summary"]["columns"]) == 2


@pytest.mark.parametrize("extra_plans", [0, 3])
def test_budget_line_list_with_filter_and_big_page_is_pinned(
    world, django_assert_num_queries, extra_plans
):
    grow(world, extra_plans)
    client = client_for(world.users["revisor"])

    with django_assert_num_queries(SESSION + PAGE + 1):
        response = client.get(
            f"/api/v1/budget-lines/?association={world.association.pk}&page_size=500&ordering=-id"
        )

    assert response.json()["count"] == 2 + extra_plans


def test_budget_xlsx_query_count_is_pinned(world, django_assert_num_queries):
    client = client_for(world.users["revisor"])

    # The session, the plan with its association, the budget input.
    with django_assert_num_queries(SESSION + 1 + PLAN_BUDGET_INPUT_QUERIES + 1):
        response = client.get(f"/api/v1/plans/{world.draft.plan.pk}/budget.xlsx")

    assert response.status_code == 200
