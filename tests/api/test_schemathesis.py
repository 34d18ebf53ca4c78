"""Schemathesis against the OpenAPI schema, through the WSGI app, with an auditor's and a kansli's
token: generated calls to every operation give no 5xx and no response outside the schema.

Valid and invalid inputs are generated (Hypothesis, a few examples per operation, both tokens per
example), so the whole run stays well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from plans.models import Role
from tests.api.conftest import build_association, build_plan
from tests.factories import MembershipFactory

ROLES = (Role.REVISOR, Role.KANSLI)
WSGI_HOST = "localhost"  # where schemathesis addresses a WSGI app
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 4

CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
        "generation": {"mode": "all", "max-examples": EXAMPLES_PER_OPERATION},
    }
)


def load_schema():
    """The schema as the app serves it, fetched through WSGI at collection (no database needed)."""
    with override_settings(ALLOWED_HOSTS=[WSGI_HOST]):
        return schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler(), config=CONFIG)


schema = load_schema()


@pytest.fixture
def tokens(db, settings):
    """Tokens of an auditor and of the kansli of an association with one plan of every row."""
    settings.ALLOWED_HOSTS = [WSGI_HOST]
    association, members = build_association("Samordningsförbundet Ett")
    build_plan(association, members)
    users = [MembershipFactory(association=association, role=role).user for role in ROLES]
    # As Django's test client does: a request must not close the test's open transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield [AuthToken.objects.create(user=user)[1] for user in users]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_within_its_schema(case, tokens):
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


def test_schema_covers_every_route():
    paths = set(schema.raw_schema["paths"])

    assert "/api/v1/plans/{id}/budget.xlsx" in paths
    assert len(paths) >= 40
