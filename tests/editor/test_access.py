"""Who may edit: kansli of the plan's association only; an approved plan not at all."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from goals.models import Goal, GoalArea
from plans.models import Group, Plan, Section
from tests.editor.conftest import user_with_role
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def edit_urls(plan: Plan) -> list[str]:
    """Every URL of the editor that reads or writes ``plan``."""
    section = Section.objects.filter(plan=plan).first()
    group = Group.objects.filter(plan=plan).first()
    area = GoalArea.objects.filter(plan=plan).first()
    goal = Goal.objects.filter(area=area).first()
    names = [
        "plan",
        "budget",
        "budget_preview",
        "sections",
        "section_preview",
        "organisation",
        "shares_preview",
        "member_new",
        "board",
        "staff",
        "groups",
        "projects",
        "goal_areas",
        "timetable",
    ]
    urls = [reverse(f"editor:{name}", args=[plan.pk]) for name in names]
    urls += [
        reverse("editor:section", args=[plan.pk, section.pk]),
        reverse("editor:group_people", args=[plan.pk, group.pk]),
        reverse("editor:goals", args=[plan.pk, area.pk]),
        reverse("editor:targets", args=[plan.pk, area.pk, goal.pk]),
        reverse("editor:plan_new", args=[plan.association_id]),
    ]
    return urls


@pytest.mark.parametrize("role", ["revisor", "styrelse"])
def test_every_edit_url_refuses_readers_with_403(client, varna, role):
    client.force_login(user_with_role(varna, role))
    for url in edit_urls(varna):
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {"title": "Ändrad"}).status_code == 403, url
    assert Section.objects.filter(plan=varna, title="Ändrad").count() == 0


def test_every_edit_url_answers_404_for_another_associations_kansli(client, varna):
    client.force_login(user_with_role(PlanFactory(), "kansli"))
    for url in edit_urls(varna):
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {}).status_code == 404, url


def test_anonymous_visitors_are_sent_to_the_login_page(client, varna):
    for url in edit_urls(varna):
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("editor:login") + "?next="), url


@pytest.mark.parametrize("role", ["revisor", "styrelse"])
def test_readers_see_no_edit_controls_on_the_start_page(client, varna, role):
    client.force_login(user_with_role(varna, role))
    html = client.get(reverse("editor:start")).content.decode()
    assert "Verksamhetsplan och budget 2021" in html
    assert "/redigera/" not in html
    assert "Redigera" not in html
    assert "Ny plan" not in html


def test_kansli_sees_edit_and_new_plan_on_the_start_page(kansli_client, varna):
    html = kansli_client.get(reverse("editor:start")).content.decode()
    assert reverse("editor:plan", args=[varna.pk]) in html
    assert reverse("editor:plan_new", args=[varna.association_id]) in html


def test_an_approved_plan_cannot_be_edited(kansli_client, varna):
    Plan.objects.filter(pk=varna.pk).update(
        status="approved", decided_on=datetime.date(2020, 12, 10)
    )
    page = kansli_client.get(reverse("editor:budget", args=[varna.pk]))
    assert page.status_code == 200
    assert "är fastställd den 10 december 2020 och kan inte ändras" in page.content.decode()
    assert 'name="op"' not in page.content.decode()
    response = kansli_client.post(
        reverse("editor:sections", args=[varna.pk]), {"add": "1", "title": "Nytt"}
    )
    assert response.status_code == 409
    assert not Section.objects.filter(plan=varna, title="Nytt").exists()
    start = kansli_client.get(reverse("editor:start")).content.decode()
    assert reverse("editor:plan", args=[varna.pk]) not in start


def test_login_page_is_swedish_and_logs_in_and_out(client, varna):
    user = user_with_role(varna, "kansli")
    page = client.get(reverse("editor:login")).content.decode()
    assert "Användarnamn" in page and "Lösenord" in page and "Logga in" in page
    wrong = client.post(reverse("editor:login"), {"username": user.username, "password": "fel"})
    assert "Fel användarnamn eller lösenord." in wrong.content.decode()
    response = client.post(
        reverse("editor:login"), {"username": user.username, "password": "lösenord-för-test"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("editor:start")
    assert "Logga ut" in client.get(reverse("editor:start")).content.decode()
    response = client.post(reverse("editor:logout"))
    assert response["Location"] == reverse("editor:login")
    assert client.get(reverse("editor:start")).status_code == 302
