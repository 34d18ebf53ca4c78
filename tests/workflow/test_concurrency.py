"""Simultaneous approvals: the plan's row lock lets exactly one through; the others conflict."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.urls import reverse

from plans.history import AuditEvent
from plans.models import Plan, PlanStatus, Role
from plans.workflow import APPROVE_NOT_PROPOSED
from plans.workflow_models import ArchivedPdf, PlanTransition
from tests.factories import MembershipFactory
from tests.workflow.conftest import api_client, build_place, build_plan, page_client

ATTEMPTS = 10


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks (select_for_update does nothing there) and lets one writer in "
    "at a time with a database lock; the concurrency guarantee is tested on PostgreSQL "
    "(DATABASE_URL=postgres://…).",
)
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_approvals_end_in_exactly_one_approval():
    place = build_place()
    plan = build_plan(place.association, place.members, status=PlanStatus.PROPOSED)
    board = [
        MembershipFactory(association=place.association, role=Role.STYRELSE).user
        for _ in range(ATTEMPTS)
    ]
    # Half of them through the API, half through the page; each thread has its own connection.
    clients = [
        (api_client(user), "api") if index % 2 else (page_client(user), "page")
        for index, user in enumerate(board)
    ]
    decision = {"decided_on": "2024-12-12", "minutes_paragraph": "§ 12", "dnr": "2024/17"}
    start = threading.Barrier(ATTEMPTS)

    def approve(client_and_door) -> tuple[int, str, str]:
        client, door = client_and_door
        try:
            start.wait(timeout=30)
            if door == "api":
                response = client.post(f"/api/v1/plans/{plan.pk}/approve/", decision, format="json")
                body = response.json() if response.status_code != 200 else {}
                return response.status_code, door, body.get("detail", "")
            response = client.post(reverse("plans:plan_approve", args=[plan.pk]), decision)
            return response.status_code, door, response.content.decode()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        results = list(pool.map(approve, clients))

    succeeded = [result for result in results if result[0] in {200, 302}]
    conflicts = [result for result in results if result[0] == 409]
    assert len(succeeded) == 1, results
    assert len(conflicts) == ATTEMPTS - 1, results
    reason = APPROVE_NOT_PROPOSED.format(status="fastställd")
    assert all(reason in text for _status, _door, text in conflicts)
    assert {door for _status, door, _text in conflicts} == {"api", "page"}

    stored = Plan.objects.get(pk=plan.pk)
    assert (stored.status, stored.version) == (PlanStatus.APPROVED, 2)
    assert ArchivedPdf.objects.filter(plan=plan).count() == 1
    assert PlanTransition.objects.filter(plan_id=plan.pk, action="approve").count() == 1
    approvals = AuditEvent.objects.filter(
        model="plans.plan", object_id=plan.pk, action="update", new__status="approved"
    )
    assert approvals.count() == 1
