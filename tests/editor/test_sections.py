"""Prose sections: Markdown with a live preview of its figures, versions, order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Section
from tests.editor.conftest import user_with_role
from tests.editor.pages import FormData, form_fields

pytestmark = pytest.mark.django_db


def section_of(plan, title: str) -> Section:
    return Section.objects.get(plan=plan, title=title)


def section_form(client, plan, section) -> FormData:
    html = client.get(reverse("editor:section", args=[plan.pk, section.pk])).content.decode()
    return FormData(form_fields(html, "section-form"))


def test_preview_fills_in_live_figures_from_the_computation(kansli_client, varna):
    response = kansli_client.post(
        reverse("editor:section_preview", args=[varna.pk]),
        {"title": "Budget", "body": "Administrationen är **{{adminandel 2022}}** av kostnaderna."},
    )
    data = response.json()
    assert '<span class="live-figure">21,0&nbsp;%</span>' in data["html"]
    assert "<strong>" in data["html"]
    assert data["findings"].strip() == ""


def test_preview_shows_an_unknown_figure_as_a_finding(kansli_client, varna):
    data = kansli_client.post(
        reverse("editor:section_preview", args=[varna.pk]),
        {"title": "Budget", "body": "Se {{adminandel 2031}}."},
    ).json()
    assert "[okänt tal: adminandel 2031]" in data["html"]
    assert "ingen budgetkolumn ”2031”" in data["findings"]


def test_section_page_shows_the_preview_and_saves_with_a_new_version(kansli_client, varna):
    section = section_of(varna, "Kommentarer till budget")
    form = section_form(kansli_client, varna, section)
    form["body"] = "Eget kapital vid utgången av 2022: {{eget_kapital 2022}}."
    response = kansli_client.post(
        reverse("editor:section", args=[varna.pk, section.pk]), form.post()
    )
    assert response.status_code == 302
    saved = Section.objects.get(pk=section.pk)
    assert saved.body == "Eget kapital vid utgången av 2022: {{eget_kapital 2022}}."
    assert saved.version == section.version + 1
    html = kansli_client.get(response["Location"]).content.decode()
    assert '<span class="live-figure">1&nbsp;862&nbsp;129&nbsp;kr</span>' in html


def test_the_later_save_of_a_section_is_refused_and_shows_the_other_text(client, varna):
    section = section_of(varna, "Kommentarer till budget")
    first, second = user_with_role(varna, "kansli"), user_with_role(varna, "kansli")
    client.force_login(first)
    mine = section_form(client, varna, section)
    client.force_login(second)
    theirs = section_form(client, varna, section)
    theirs["body"] = "Deras text."
    client.post(reverse("editor:section", args=[varna.pk, section.pk]), theirs.post())

    client.force_login(first)
    mine["body"] = "Min text."
    response = client.post(reverse("editor:section", args=[varna.pk, section.pk]), mine.post())
    html = response.content.decode()
    assert response.status_code == 409
    assert "har ändrats av någon annan sedan du öppnade sidan" in html
    assert "Deras text.</textarea>" in html
    assert "Min text.</textarea>" in html
    assert Section.objects.get(pk=section.pk).body == "Deras text."
    again = FormData(form_fields(html, "section-form"))
    assert (
        client.post(
            reverse("editor:section", args=[varna.pk, section.pk]), again.post()
        ).status_code
        == 302
    )
    assert Section.objects.get(pk=section.pk).body == "Min text."


def test_sections_are_added_moved_and_deleted(kansli_client, varna):
    url = reverse("editor:sections", args=[varna.pk])
    response = kansli_client.post(url, {"add": "1", "title": "Nytt avsnitt"})
    new = section_of(varna, "Nytt avsnitt")
    assert response["Location"] == reverse("editor:section", args=[varna.pk, new.pk])
    titles = list(
        Section.objects.filter(plan=varna).order_by("order", "id").values_list("title", flat=True)
    )
    assert titles[-1] == "Nytt avsnitt"
    kansli_client.post(url, {"op": f"up:{new.pk}"})
    titles = list(
        Section.objects.filter(plan=varna).order_by("order", "id").values_list("title", flat=True)
    )
    assert titles[-2:] == ["Nytt avsnitt", "Kommentarer till budget"]
    kansli_client.post(url, {"op": f"delete:{new.pk}", f"version-{new.pk}": "1"})
    assert not Section.objects.filter(pk=new.pk).exists()


def test_deleting_a_section_someone_else_changed_is_refused(kansli_client, varna):
    section = section_of(varna, "Kommentarer till budget")
    Section.objects.filter(pk=section.pk).update(version=section.version + 1)
    response = kansli_client.post(
        reverse("editor:sections", args=[varna.pk]),
        {"op": f"delete:{section.pk}", f"version-{section.pk}": str(section.version)},
    )
    assert response.status_code == 409
    assert Section.objects.filter(pk=section.pk).exists()


def test_section_pages_have_fixed_query_counts(kansli_client, varna, django_assert_num_queries):
    section = section_of(varna, "Kommentarer till budget")
    with django_assert_num_queries(5):  # session, user, plan, role, sections
        kansli_client.get(reverse("editor:sections", args=[varna.pk]))
    with django_assert_num_queries(13):  # session, user, plan, role, section, the budget (8)
        kansli_client.get(reverse("editor:section", args=[varna.pk, section.pk]))


def test_another_associations_section_is_404(kansli_client, varna):
    from tests.factories import PlanFactory

    other = Section.objects.create(plan=PlanFactory(), title="Annan")
    assert (
        kansli_client.get(reverse("editor:section", args=[varna.pk, other.pk])).status_code == 404
    )
