"""Fixtures of the editor's tests: the seed plans and users of each role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plans.models import Plan
from plans.planfile import plan_import
from tests.factories import MembershipFactory, UserFactory

DEMO = Path(__file__).resolve().parents[2] / "plans" / "demo"


def load_seed(name: str) -> Plan:
    return plan_import(data=json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8")))


def user_with_role(plan: Plan, role: str):
    user = UserFactory()
    MembershipFactory(user=user, association=plan.association, role=role)
    return user


@pytest.fixture
def varna(db) -> Plan:
    return load_seed("varna-2021")


@pytest.fixture
def kansli_client(client, varna):
    client.force_login(user_with_role(varna, "kansli"))
    return client
