"""New plans: empty, or copied from last year's and moved on a year."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup
from budget.selectors import plan_summary
from goals.models import Target
from plans.editor.forms import YEAR_TAKEN
from plans.editor.services import plan_copy_to_year, plan_create_empty
from plans.models import Plan, Section, TimetableEntry
from plans.planfile import plan_export

pytestmark = pytest.mark.django_db


def amount(plan: Plan, line: str, label: str) -> Decimal | None:
    found = BudgetAmount.objects.filter(
        line__group__plan=plan, line__name=line, column__label=label
    ).first()
    return found.amount.amount if found else None


def test_copy_moves_every_column_one_year_on_with_next_years_amounts(varna):
    copy = plan_copy_to_year(source=varna, year=2022)
    columns = list(
        BudgetColumn.objects.filter(plan=copy)
        .order_by("order")
        .values_list("label", "kind", "year")
    )
    assert columns == [
        ("2022 − 10 %", "scenario", 2022),
        ("2023", "budget", 2023),
        ("2024", "budget", 2024),
    ]
    # 2022's amounts come from the 2022 column, 2023's from 2023; 2024 has no column to come
    # from, so it keeps the amounts of the column it moved from.
    assert amount(copy, "Personalkostnader", "2022 − 10 %") == Decimal("2113596")
    assert amount(copy, "Personalkostnader", "2023") == Decimal("2213050")
    assert amount(copy, "Personalkostnader", "2024") == Decimal("2213050")
    assert amount(copy, "Övriga intäkter Nytt projekt", "2022 − 10 %") == Decimal("2000000")


def test_copy_opens_with_last_years_closing_equity(varna):
    closing_2021 = plan_summary(plan=varna).column(2021).closing_equity
    copy = plan_copy_to_year(source=varna, year=2022)
    assert copy.opening_equity.amount == closing_2021 == Decimal("2983326")


def test_copy_is_a_draft_and_the_source_is_untouched(varna):
    before = plan_export(plan=varna)
    copy = plan_copy_to_year(source=varna, year=2022)
    assert (copy.year, copy.revision, copy.status, copy.dnr) == (2022, 1, "draft", "")
    assert plan_export(plan=Plan.objects.get(pk=varna.pk)) == before


def test_copy_keeps_sections_organisation_and_moves_the_timetable(varna):
    copy = plan_copy_to_year(source=varna, year=2022)
    assert list(Section.objects.filter(plan=copy).values_list("title", "body")) == list(
        Section.objects.filter(plan=varna).values_list("title", "body")
    )
    assert copy.shares.count() == varna.shares.count() == 4
    assert copy.board_seats.count() == varna.board_seats.count()
    assert copy.projects.count() == varna.projects.count()
    first = TimetableEntry.objects.filter(plan=copy).order_by("year", "month", "order").first()
    assert (first.year, first.month, first.event) == (
        2022,
        1,
        "Avstämningsrapport Amazon sammanställd och klar (senast sista januari)",
    )


def test_copy_makes_this_years_targets_last_years(varna):
    copy = plan_copy_to_year(source=varna, year=2022)
    target = Target.objects.get(
        goal__area__plan=copy, goal__indicator__startswith="Antal deltagare i VärNas"
    )
    assert (target.value, target.previous_value) == (Decimal("185.00"), Decimal("185.00"))
    assert target.outcomes.count() == 0


def test_copy_changes_the_member_allocation_by_a_percentage_in_whole_kronor(varna):
    copy = plan_copy_to_year(source=varna, year=2022, allocation_change_pct=Decimal("2.5"))
    summary = plan_summary(plan=copy)
    column = summary.column("2023")
    # 7 652 000 × 1,025 = 7 843 300, split by the shares to the krona.
    assert column.allocation == Decimal("7843300")
    assert amount(copy, "FK/AF", "2023") == Decimal("3921650")
    assert all(c.entered == c.computed for c in column.contributions)


def test_empty_plan_has_the_usual_groups_and_one_column(varna):
    plan = plan_create_empty(association=varna.association, year=2030)
    assert list(BudgetColumn.objects.filter(plan=plan).values_list("label", flat=True)) == ["2030"]
    assert BudgetGroup.objects.filter(plan=plan).count() == 5
    assert plan.status == "draft"


def test_new_plan_page_copies_last_years_plan(kansli_client, varna):
    page = reverse("editor:plan_new", args=[varna.association_id])
    html = kansli_client.get(page).content.decode()
    assert 'value="2022"' in html  # next year is proposed
    response = kansli_client.post(
        page, {"year": "2022", "source": str(varna.pk), "allocation_change": "−10"}
    )
    copy = Plan.objects.get(association=varna.association, year=2022)
    assert response.status_code == 302
    assert response["Location"] == reverse("editor:plan", args=[copy.pk])
    assert plan_summary(plan=copy).column("2023").allocation == Decimal("6886800")


def test_new_plan_page_refuses_a_year_that_has_a_plan(kansli_client, varna):
    page = reverse("editor:plan_new", args=[varna.association_id])
    response = kansli_client.post(page, {"year": "2021", "source": ""})
    assert response.status_code == 200
    assert YEAR_TAKEN.format(year=2021) in response.content.decode()
    assert Plan.objects.filter(association=varna.association).count() == 1


def test_new_plan_page_shows_a_malformed_percentage_in_swedish(kansli_client, varna):
    page = reverse("editor:plan_new", args=[varna.association_id])
    response = kansli_client.post(
        page, {"year": "2022", "source": str(varna.pk), "allocation_change": "tio"}
    )
    html = response.content.decode()
    assert "Ange en procentsats, till exempel 2,5 eller −10." in html
    assert 'value="tio"' in html
