"""The plan's own fields: title, dnr, bilaga, unit; versioned like every editable object."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Plan
from tests.editor.conftest import user_with_role
from tests.editor.pages import FormData, form_fields

pytestmark = pytest.mark.django_db


def settings_form(client, plan) -> FormData:
    html = client.get(reverse("editor:plan", args=[plan.pk])).content.decode()
    return FormData(form_fields(html))


def test_plan_fields_are_saved_and_the_version_moves_on(kansli_client, varna):
    form = settings_form(kansli_client, varna)
    form["dnr"] = "2021-007"
    form["display_unit"] = "tkr"
    response = kansli_client.post(reverse("editor:plan", args=[varna.pk]), form.post())
    assert response.status_code == 302
    saved = Plan.objects.get(pk=varna.pk)
    assert (saved.dnr, saved.display_unit, saved.version) == ("2021-007", "tkr", varna.version + 1)


def test_the_later_save_of_the_plan_fields_is_refused_with_the_other_values(client, varna):
    first, second = user_with_role(varna, "kansli"), user_with_role(varna, "kansli")
    client.force_login(first)
    mine = settings_form(client, varna)
    client.force_login(second)
    theirs = settings_form(client, varna)
    theirs["dnr"] = "2021-100"
    client.post(reverse("editor:plan", args=[varna.pk]), theirs.post())

    client.force_login(first)
    mine["dnr"] = "2021-200"
    response = client.post(reverse("editor:plan", args=[varna.pk]), mine.post())
    html = response.content.decode()
    assert response.status_code == 409
    assert "diarienummer: 2021-100" in html
    assert 'value="2021-200"' in html
    assert Plan.objects.get(pk=varna.pk).dnr == "2021-100"


def test_a_too_long_dnr_is_refused_at_its_field(kansli_client, varna):
    form = settings_form(kansli_client, varna)
    form["dnr"] = "x" * 60
    response = kansli_client.post(reverse("editor:plan", args=[varna.pk]), form.post())
    assert response.status_code == 400
    assert "har som mest 50 tecken (den har 60)" in response.content.decode()
    assert Plan.objects.get(pk=varna.pk).dnr == varna.dnr


def test_plan_and_new_plan_pages_have_fixed_query_counts(
    kansli_client, varna, django_assert_num_queries
):
    with django_assert_num_queries(4):  # session, user, plan, role
        kansli_client.get(reverse("editor:plan", args=[varna.pk]))
    with django_assert_num_queries(6):  # session, user, association, role, latest plan, plans
        kansli_client.get(reverse("editor:plan_new", args=[varna.association_id]))
