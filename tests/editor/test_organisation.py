"""Members and shares: 100 % and the 50/25/25 split shown at once; members added."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import ContributionShare, Member
from tests.editor.conftest import user_with_role
from tests.editor.pages import FormData, form_fields

pytestmark = pytest.mark.django_db


def shares(plan) -> dict[str, Decimal]:
    return {
        s.member.name: s.share_pct
        for s in ContributionShare.objects.filter(plan=plan).select_related("member")
    }


def shares_form(client, plan) -> FormData:
    html = client.get(reverse("editor:organisation", args=[plan.pk])).content.decode()
    return FormData(form_fields(html, "shares-form"))


def field(plan, name: str) -> str:
    return f"share-{Member.objects.get(association=plan.association, name=name).pk}"


def test_page_shows_the_shares_and_that_they_make_100_and_50_25_25(kansli_client, varna):
    form = shares_form(kansli_client, varna)
    assert form[field(varna, "Nacka kommun")] == "17,525"
    html = kansli_client.get(reverse("editor:organisation", args=[varna.pk])).content.decode()
    assert "– 100 %, stämmer" in html
    assert "50 / 25 / 25 %, stämmer" in html


def test_preview_tells_at_once_when_the_shares_are_off(kansli_client, varna):
    form = shares_form(kansli_client, varna)
    form[field(varna, "Nacka kommun")] = "20"
    data = kansli_client.post(reverse("editor:shares_preview", args=[varna.pk]), form.post()).json()
    assert "Summa: <strong>102,475\xa0%</strong>" in data["html"]
    assert "ska vara 100 %" in data["html"]
    assert "kommunerna 27,475\xa0%" in data["html"]
    assert "lagen säger 50 / 25 / 25 %" in data["html"]
    assert data["errors"] == {}
    form[field(varna, "Nacka kommun")] = "tjugo"
    data = kansli_client.post(reverse("editor:shares_preview", args=[varna.pk]), form.post()).json()
    assert data["errors"] == {
        field(varna, "Nacka kommun"): "Ange andelen i procent, till exempel 11,75."
    }


def test_shares_are_saved_in_swedish_decimals(kansli_client, varna):
    form = shares_form(kansli_client, varna)
    form[field(varna, "Nacka kommun")] = "17,5"
    form[field(varna, "Värmdö kommun")] = "7,5"
    response = kansli_client.post(reverse("editor:organisation", args=[varna.pk]), form.post())
    assert response.status_code == 302
    assert shares(varna)["Nacka kommun"] == Decimal("17.5")
    assert shares(varna)["Värmdö kommun"] == Decimal("7.5")


def test_shares_above_100_are_refused_and_kept_on_the_page(kansli_client, varna):
    form = shares_form(kansli_client, varna)
    form[field(varna, "Nacka kommun")] = "30"
    response = kansli_client.post(reverse("editor:organisation", args=[varna.pk]), form.post())
    html = response.content.decode()
    assert response.status_code == 400
    assert "Andelarna blir tillsammans 112,475\xa0%, mer än 100 %. Inget har sparats." in html
    assert 'value="30"' in html
    assert shares(varna)["Nacka kommun"] == Decimal("17.525")


def test_the_later_save_of_the_shares_is_refused(client, varna):
    first, second = user_with_role(varna, "kansli"), user_with_role(varna, "kansli")
    client.force_login(first)
    mine = shares_form(client, varna)
    client.force_login(second)
    theirs = shares_form(client, varna)
    theirs[field(varna, "Nacka kommun")] = "17"
    theirs[field(varna, "Värmdö kommun")] = "8"
    client.post(reverse("editor:organisation", args=[varna.pk]), theirs.post())

    client.force_login(first)
    mine[field(varna, "Nacka kommun")] = "18"
    mine[field(varna, "Värmdö kommun")] = "7"
    response = client.post(reverse("editor:organisation", args=[varna.pk]), mine.post())
    assert response.status_code == 409
    assert "Nacka kommun 17\xa0%, Värmdö kommun 8\xa0%" in response.content.decode()
    assert shares(varna)["Nacka kommun"] == Decimal(17)


def test_a_member_is_added_to_the_association(kansli_client, varna):
    response = kansli_client.post(
        reverse("editor:member_new", args=[varna.pk]),
        {"name": "Tyresö kommun", "kind": "municipality"},
    )
    assert response.status_code == 302
    member = Member.objects.get(association=varna.association, name="Tyresö kommun")
    assert (
        member.order > Member.objects.get(association=varna.association, name="Värmdö kommun").order
    )
    again = kansli_client.post(
        reverse("editor:member_new", args=[varna.pk]),
        {"name": "Tyresö kommun", "kind": "municipality"},
    )
    assert "Förbundet har redan en medlem med det namnet." in again.content.decode()


def test_organisation_page_has_a_fixed_query_count(kansli_client, varna, django_assert_num_queries):
    # session, user, plan, role, members, shares, the budget input (8)
    with django_assert_num_queries(14):
        assert kansli_client.get(reverse("editor:organisation", args=[varna.pk])).status_code == 200
