"""The editor in a real browser (Debian's Chromium through Playwright).

Each test ends on an ``expect()`` of the final state: the live server's tables are flushed after
the test, so nothing may still be loading then.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from budget.models import BudgetColumn, BudgetLine
from finsam.formatting import DOT_IN_AMOUNT
from plans.editor.services import plan_copy_to_year
from plans.models import Plan, Section
from tests.editor.conftest import user_with_role
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\xa0"


def log_in(page: Page, live_server, user) -> None:
    page.goto(live_server.url + reverse("editor:login"))
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Verksamhetsplaner")).to_be_visible()


def cell(page: Page, plan: Plan, line: str, label: str):
    line_id = BudgetLine.objects.get(group__plan=plan, name=line).pk
    column_id = BudgetColumn.objects.get(plan=plan, label=label).pk
    return page.locator(f'[name="line-{line_id}-amount-{column_id}"]')


def figure(page: Page, plan: Plan, key: str, label: str):
    column_id = BudgetColumn.objects.get(plan=plan, label=label).pk
    return page.locator(f'output[data-calc="{key}-{column_id}"]')


def mark_page(page: Page) -> None:
    """Put a mark on the loaded page; a page load would take it away."""
    page.evaluate("window.__notReloaded = true")


def still_same_page(page: Page) -> bool:
    return page.evaluate("window.__notReloaded === true")


def test_kansli_logs_in_and_copies_varna_2021_into_2022(page: Page, live_server, varna):
    log_in(page, live_server, user_with_role(varna, "kansli"))
    page.get_by_role("link", name="Ny plan för Samordningsförbundet VärNa").click()
    expect(page.get_by_label("År")).to_have_value("2022")
    expect(page.get_by_label("Utgå från")).to_have_value(str(varna.pk))
    page.get_by_label("Ändring av medlemsavgifterna, %").fill("2,5")
    page.get_by_role("button", name="Skapa planen").click()
    expect(page.get_by_text("Planen för 2022 är skapad som utkast")).to_be_visible()
    copy = Plan.objects.get(association=varna.association, year=2022)
    page.get_by_role("link", name="Budget", exact=True).click()
    expect(page.get_by_role("columnheader", name="2024")).to_be_visible()
    expect(cell(page, copy, "Personalkostnader", "2023")).to_have_value("2 213 050")


def test_the_grid_recomputes_totals_equity_and_checks_without_a_page_load(
    page: Page, live_server, varna
):
    plan = plan_copy_to_year(source=varna, year=2022)
    log_in(page, live_server, user_with_role(varna, "kansli"))
    page.goto(live_server.url + reverse("editor:budget", args=[plan.pk]))
    mark_page(page)
    closing = figure(page, plan, "ce", "2023")
    costs = figure(page, plan, "tc", "2023")
    before_closing, before_costs = closing.inner_text(), costs.inner_text()
    checks = page.locator("#grid-checks")
    expect(checks.locator('[data-code="deficit_uncovered"]')).to_have_count(0)

    staff = cell(page, plan, "Personalkostnader", "2023")
    staff.fill("−9 213 050")  # a negative cost: a correction of seven million and more
    staff.fill("9 213 050")
    expect(closing).not_to_have_text(before_closing)
    expect(costs).not_to_have_text(before_costs)
    expect(checks.locator('[data-code="deficit_uncovered"]')).to_have_count(1)
    assert still_same_page(page)

    # Enter moves down a line in the same column, like a spreadsheet.
    staff.press("Enter")
    expect(cell(page, plan, "Övriga kostnader", "2023")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(cell(page, plan, "Övriga kostnader", "2023")).to_be_focused()  # caret not at the start
    expect(figure(page, plan, "res", "2023")).to_have_text(re.compile(r"^−"))


def test_a_malformed_amount_shows_the_swedish_error_at_its_cell_and_keeps_the_text(
    page: Page, live_server, varna
):
    log_in(page, live_server, user_with_role(varna, "kansli"))
    page.goto(live_server.url + reverse("editor:budget", args=[varna.pk]))
    amount = cell(page, varna, "Revision", "2022")
    amount.fill("50.000")
    error = page.locator(f"#err-{amount.get_attribute('name')}")
    expect(error).to_have_text(DOT_IN_AMOUNT)
    expect(amount).to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Spara budgeten").first.click()
    expect(page.get_by_text("Budgeten sparades inte.")).to_be_visible()
    expect(amount).to_have_value("50.000")
    expect(error).to_have_text(DOT_IN_AMOUNT)


def test_a_section_with_a_live_figure_shows_it_in_the_preview(page: Page, live_server, varna):
    section = Section.objects.get(plan=varna, title="Kommentarer till budget")
    log_in(page, live_server, user_with_role(varna, "kansli"))
    page.goto(live_server.url + reverse("editor:section", args=[varna.pk, section.pk]))
    page.get_by_label("Text (Markdown)").fill(
        "Administrationen står för {{adminandel 2022}} av kostnaderna."
    )
    preview = page.locator("#section-preview")
    expect(preview).to_contain_text(f"Administrationen står för 21,0{NBSP}% av kostnaderna.")
    expect(preview.locator(".live-figure")).to_have_text(f"21,0{NBSP}%")


def test_two_people_edit_the_same_line_and_the_second_is_told(browser: Browser, live_server, varna):
    first, second = (browser.new_context(locale="sv-SE") for _ in range(2))
    try:
        pages = [first.new_page(), second.new_page()]
        for page in pages:
            log_in(page, live_server, user_with_role(varna, "kansli"))
            page.goto(live_server.url + reverse("editor:budget", args=[varna.pk]))
        for page, typed in zip(pages, ("2 500 000", "2 300 000"), strict=True):
            cell(page, varna, "Personalkostnader", "2022").fill(typed)
        pages[0].get_by_role("button", name="Spara budgeten").first.click()
        expect(pages[0].get_by_text("Budgeten är sparad.")).to_be_visible()

        late = pages[1]
        late.get_by_role("button", name="Spara budgeten").first.click()
        expect(late.get_by_role("alert")).to_contain_text(
            "Raden ”Personalkostnader” har ändrats av någon annan"
        )
        expect(late.locator(".conflict-row")).to_contain_text("2022: 2 500 000")
        expect(cell(late, varna, "Personalkostnader", "2022")).to_have_value("2 300 000")
    finally:
        first.close()
        second.close()


def test_the_plan_pdf_downloads(page: Page, live_server, varna):
    log_in(page, live_server, user_with_role(varna, "kansli"))
    page.goto(live_server.url + reverse("editor:plan", args=[varna.pk]))
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename == f"verksamhetsplan-2021-{varna.pk}.pdf"
    expect(page.get_by_role("heading", name="Planen")).to_be_visible()
