"""The PDF of each demo plan, read back: its figures, its table of contents, its footer.

Each demo plan is imported, its page and its PDF are fetched through the views once for the
module (inside a transaction that is rolled back), and the PDF is read back with pypdf.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from budget.calc import PlanSummary
from budget.selectors import plan_summary
from finsam.formatting import format_amount
from plans.models import Section
from plans.planfile import plan_import
from plans.rendering.document import TocEntry, plan_document
from tests.factories import MembershipFactory, UserFactory

DEMO = Path(__file__).resolve().parents[2] / "plans" / "demo"
PLANS = ("varna-2021", "vasterdalarna-2024", "botkyrka-huddinge-salem-2018")
NBSP = "\xa0"
# A figure as the document prints it: an amount of a thousand or more (grouped with non-breaking
# spaces) or a percentage.
FIGURE = re.compile(r"[−-]?\d{1,3}(?:\xa0\d{3})+|[−-]?\d+(?:,\d+)?\xa0%")

# The module's data is made once (see ``rendered``); the mark makes pytest-django set up the
# test database for it.
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Rendered:
    summary: PlanSummary
    toc: tuple[TocEntry, ...]
    costs_negative: bool
    unit: str
    html: str
    content_type: str
    reader: PdfReader
    pages: tuple[str, ...]

    @property
    def text(self) -> str:
        return squeeze("\n".join(self.pages))

    def page_of(self, anchor: str) -> int:
        """The 1-based page on which the element with this id really is."""
        return self.reader.get_destination_page_number(self.reader.named_destinations[anchor]) + 1


def squeeze(text: str) -> str:
    """Runs of ordinary white space as one space; non-breaking spaces are kept."""
    return re.sub(r"[ \t\r\n]+", " ", text)


def live_figures_section(plan) -> None:
    first = plan.budget_columns.order_by("order", "id").first()
    Section.objects.create(
        plan=plan,
        title="Budgeten i siffror",
        level=1,
        order=10_000,
        body=(
            f'Resultatet i {first.label} blir {{{{resultat "{first.label}"}}}} och '
            f'kostnaderna {{{{kostnader "{first.label}"}}}}.'
        ),
    )


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> Iterator[dict[str, Rendered]]:
    results: dict[str, Rendered] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for name in PLANS:
            plan = plan_import(data=json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8")))
            live_figures_section(plan)
            if name == "varna-2021":
                Section.objects.create(
                    plan=plan, title="Felskrivet tal", order=10_001, body="{{adminandle 2022}}"
                )
            user = UserFactory()
            MembershipFactory(user=user, association=plan.association, role="styrelse")
            client = Client()
            client.force_login(user)
            page = client.get(reverse("plans:plan_detail", args=[plan.pk]))
            pdf = client.get(reverse("plans:plan_pdf", args=[plan.pk]))
            assert page.status_code == 200 and pdf.status_code == 200
            reader = PdfReader(BytesIO(pdf.content))
            results[name] = Rendered(
                summary=plan_summary(plan=plan),
                toc=tuple(plan_document(plan=plan).toc),
                costs_negative=plan.costs_negative,
                unit=plan.display_unit,
                html=page.content.decode(),
                content_type=pdf["Content-Type"],
                reader=reader,
                pages=tuple(p.extract_text() for p in reader.pages),
            )
        transaction.set_rollback(True)
    yield results


@pytest.fixture(params=PLANS)
def plan(request, rendered) -> Rendered:
    return rendered[request.param]


def row(label: str, values) -> str:
    return " ".join([label, *[value for value in values if value]])


def test_the_view_answers_with_a_pdf(plan):
    assert plan.content_type == "application/pdf"
    assert len(plan.pages) >= 5


def test_every_total_result_and_equity_figure_is_the_computations(plan):
    text = plan.text
    columns = plan.summary.columns

    def amounts(values, negative: bool = False) -> list[str]:
        return [format_amount(v, unit=plan.unit, negative=negative) for v in values]

    expected = [
        row("Summa intäkter", amounts(c.total_income for c in columns)),
        row(
            "Summa kostnader",
            amounts((c.total_costs for c in columns), negative=plan.costs_negative),
        ),
        row("Resultat", amounts(c.result for c in columns)),
        row("Eget kapital vid årets ingång", amounts(c.opening_equity for c in columns)),
        row("Eget kapital vid årets utgång", amounts(c.closing_equity for c in columns)),
        row(
            f"Tak för eget kapital (20{NBSP}% av medlemsavgifterna)",
            amounts(c.equity_limit if c.in_equity_chain else None for c in columns),
        ),
    ]
    for group in plan.summary.groups:
        negative = plan.costs_negative and group.group.kind not in ("contributions", "other_income")
        label = group.group.total_label or f"Summa {group.group.name.lower()}"
        expected.append(row(label, amounts((group.totals[c.column.id] for c in columns), negative)))
    for line in expected:
        assert line in text


def test_the_seed_figures_appear_as_the_documents_should_print_them(rendered):
    varna = rendered["varna-2021"].text
    assert f"Resultat −3{NBSP}107{NBSP}950 −1{NBSP}121{NBSP}197 191{NBSP}945" in varna
    assert f"Summa kostnader −15{NBSP}656{NBSP}413 −15{NBSP}458{NBSP}440" in varna
    vasterdalarna = rendered["vasterdalarna-2024"].text
    # The document prints 2 425 938; its own lines add up to 2 425 937.
    assert f"Summa kostnader 2{NBSP}425{NBSP}937 2{NBSP}395{NBSP}177 2{NBSP}050{NBSP}599" in (
        vasterdalarna
    )
    botkyrka = rendered["botkyrka-huddinge-salem-2018"].text
    assert "Belopp i tusentals kronor (tkr)" in botkyrka
    assert f"Summa kostnader 21{NBSP}894 25{NBSP}599" in botkyrka
    assert f"Resultat −651 −4{NBSP}699" in botkyrka


def test_percentages_are_printed_with_a_decimal_comma(rendered):
    text = rendered["varna-2021"].text
    assert f"Administrationens andel av kostnaderna 20,4{NBSP}% 21,0{NBSP}% 26,4{NBSP}%" in text


def test_live_figures_are_filled_in_and_an_unknown_one_is_marked_and_reported(rendered):
    varna = rendered["varna-2021"]
    assert f"Resultatet i 2021 − 10 % blir −3{NBSP}107{NBSP}950{NBSP}kr" in varna.text
    assert "[okänt tal: adminandle 2022]" in varna.text
    checks = squeeze(varna.pages[varna.page_of("kontroller") - 1])
    assert "Avsnittet ”Felskrivet tal” citerar ett tal som inte finns" in checks
    botkyrka = rendered["botkyrka-huddinge-salem-2018"]
    assert f"kostnaderna 21{NBSP}894{NBSP}tkr" in botkyrka.text


def toc_lines(plan: Rendered) -> list[tuple[str, int]]:
    """The (title, page) pairs the table of contents prints, in order."""
    first = plan.page_of("innehall")
    last = min(plan.page_of(entry.anchor) for entry in plan.toc) - 1
    lines: list[tuple[str, int]] = []
    pending = ""
    for page in plan.pages[first - 1 : last]:
        for line in page.splitlines():
            if line.strip() == "Innehåll":
                continue
            match = re.match(r"^(?P<title>.*?)\s*\.{2,}\s*(?P<page>\d+)\s*$", line)
            if match is None:
                pending = f"{pending} {line.strip()}".strip()
                continue
            title = f"{pending} {match['title'].strip()}".strip()
            lines.append((squeeze(title), int(match["page"])))
            pending = ""
    return lines


def test_every_table_of_contents_entry_gives_the_page_its_heading_is_on(plan):
    printed = toc_lines(plan)
    assert [title for title, _ in printed] == [squeeze(entry.title) for entry in plan.toc]
    for (title, page), entry in zip(printed, plan.toc, strict=True):
        assert page == plan.page_of(entry.anchor), title
        assert title in [squeeze(line.strip()) for line in plan.pages[page - 1].splitlines()]


def test_footer_reads_sida_n_av_m_on_every_page_after_the_cover(plan):
    total = len(plan.pages)
    assert "Sida" not in plan.pages[0]
    for number, text in enumerate(plan.pages[1:], start=2):
        assert f"Sida {number} av {total}" in text


def test_running_header_names_the_association_and_the_plan(rendered):
    varna = rendered["varna-2021"]
    for text in varna.pages[1:]:
        assert "Samordningsförbundet VärNa · Verksamhetsplan och budget 2021" in squeeze(text)


def test_budget_table_header_repeats_on_every_page_it_spans(rendered):
    varna = rendered["varna-2021"]
    start, end = varna.page_of("resultatbudget"), varna.page_of("diagram")
    assert end > start  # the VärNa budget does not fit on one page
    for number in range(start, end + 1):
        assert "Belopp i kronor" in varna.pages[number - 1]


def document_of_page(html: str) -> str:
    """The document and the check panel of the page, without the app around them."""
    return html[html.index('<article class="document"') : html.index("</aside>")]


def figures_of_page(html: str) -> set[str]:
    """The figures the page shows outside its charts."""
    document = re.sub(r"<svg .*?</svg>", " ", document_of_page(html), flags=re.S)
    return set(FIGURE.findall(unescape(re.sub(r"<[^>]+>", " ", document))))


def chart_labels_of_page(html: str) -> list[str]:
    labels = re.findall(r"<text [^>]*>(.*?)</text>", document_of_page(html))
    return [unescape(label).replace(NBSP, " ") for label in labels]


def test_the_page_and_the_pdf_show_the_same_figures(plan):
    on_page = figures_of_page(plan.html)
    in_pdf = set(FIGURE.findall("\n".join(plan.pages)))
    assert len(on_page) > 30
    assert on_page == in_pdf
    # Chart labels are drawn as SVG text, where a PDF reader cannot tell a non-breaking space
    # from a space: compare them line by line.
    labels = chart_labels_of_page(plan.html)
    assert len(labels) > 10
    pdf_lines = {
        line.strip().replace(NBSP, " ") for page in plan.pages for line in page.splitlines()
    }
    for label in labels:
        assert label in pdf_lines or any(label in line for line in pdf_lines), label
