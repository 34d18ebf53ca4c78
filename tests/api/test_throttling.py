"""Request rates: per user, and per client for anonymous calls (refused ones count too)."""

from __future__ import annotations

import pytest

from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "anon": "2/minute"},
    }


def test_a_user_past_the_rate_waits(world, rates):
    client = client_for(world.users["revisor"])

    statuses = [client.get("/api/v1/plans/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    throttled = client.get("/api/v1/plans/")
    assert int(throttled["Retry-After"]) > 0
    assert throttled.json()["detail"]


def test_each_user_has_a_rate_of_their_own(world, rates):
    first = client_for(world.users["revisor"])
    for _ in range(3):
        first.get("/api/v1/plans/")

    response = client_for(world.users["styrelse"]).get("/api/v1/plans/")

    assert first.get("/api/v1/plans/").status_code == 429
    assert response.status_code == 200


def test_anonymous_calls_are_throttled_even_when_refused(world, rates):
    client = client_for()

    statuses = [client.get("/api/v1/plans/").status_code for _ in range(3)]

    assert statuses == [401, 401, 429]


def test_guessing_tokens_is_throttled(world, rates):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Token " + "ab" * 32)

    statuses = [client.get("/api/v1/plans/").status_code for _ in range(3)]

    assert statuses == [401, 401, 429]


def test_the_schema_is_throttled_for_anonymous_callers(rates):
    client = client_for()

    statuses = [client.get("/api/v1/schema/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
