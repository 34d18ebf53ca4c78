"""The start page: the user's associations, their plans, status, year and check findings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.editor.selectors import START_PAGE_QUERIES, start_page_rows
from plans.models import Section
from plans.rendering.document import plan_document
from tests.editor.conftest import load_seed, user_with_role
from tests.factories import MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_start_page_counts_the_same_findings_as_the_plan_page(varna):
    Section.objects.create(
        plan=varna, title="Med tal", body="Andel {{adminandel 2022}}, {{okänt 2022}}."
    )
    user = user_with_role(varna, "kansli")
    [row] = start_page_rows(user=user)
    [item] = row.plans
    findings = plan_document(plan=varna).findings
    assert item.findings == len(findings) == 5
    assert item.errors == sum(1 for f in findings if f.severity == "error") == 1


def test_start_page_lists_associations_plans_status_and_findings(client, varna):
    client.force_login(user_with_role(varna, "revisor"))
    html = client.get(reverse("editor:start")).content.decode()
    assert "Samordningsförbundet VärNa" in html
    assert "Verksamhetsplan och budget 2021" in html
    assert "utkast" in html
    assert "4 anmärkningar" in html
    assert reverse("plans:plan_pdf", args=[varna.pk]) in html


def test_start_page_shows_only_the_users_associations(client, varna):
    other = PlanFactory(title="Annat förbunds plan")
    client.force_login(user_with_role(varna, "kansli"))
    html = client.get(reverse("editor:start")).content.decode()
    assert "Annat förbunds plan" not in html
    assert reverse("plans:plan_detail", args=[other.pk]) not in html


def test_start_page_queries_do_not_grow_with_the_plans(client, django_assert_num_queries, varna):
    user = user_with_role(varna, "kansli")
    for name in ("vasterdalarna-2024", "botkyrka-huddinge-salem-2018"):
        plan = load_seed(name)
        MembershipFactory(user=user, association=plan.association, role="styrelse")
    client.force_login(user)
    with django_assert_num_queries(2 + START_PAGE_QUERIES):  # session and user, then the page
        html = client.get(reverse("editor:start")).content.decode()
    assert html.count("<tbody>") == 3
