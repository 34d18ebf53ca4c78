"""The plan page: the whole document in the browser, with the check panel beside it."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from budget.checks import run_checks
from budget.models import BudgetAmount
from budget.selectors import PLAN_BUDGET_INPUT_QUERIES, plan_summary
from goals.models import Target
from plans.models import BoardSeat, Plan, Section, StaffMember, TimetableEntry
from plans.planfile import plan_import
from plans.selectors import PLAN_DOCUMENT_QUERIES
from plans.workflow import WORKFLOW_STATE_QUERIES
from tests.factories import (
    BudgetColumnFactory,
    BudgetGroupFactory,
    BudgetLineFactory,
    ContributionShareFactory,
    GoalAreaFactory,
    GoalFactory,
    MembershipFactory,
    PlanFactory,
    ProjectFactory,
    TargetFactory,
    UserFactory,
)

DEMO = Path(__file__).resolve().parents[2] / "plans" / "demo"
NBSP = "\xa0"

pytestmark = pytest.mark.django_db


def load(name: str) -> Plan:
    return plan_import(data=json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8")))


def reader_of(plan: Plan, role: str = "styrelse"):
    user = UserFactory()
    MembershipFactory(user=user, association=plan.association, role=role)
    return user


def page(client, plan: Plan, role: str = "styrelse") -> str:
    client.force_login(reader_of(plan, role))
    response = client.get(reverse("plans:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The visible text of ``html`` with ordinary spaces for non-breaking ones."""
    return unescape(re.sub(r"<[^>]+>", " ", html)).replace(NBSP, " ")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def panel_of(html: str) -> str:
    return html[html.index('<aside class="check-panel"') : html.index("</aside>")]


@pytest.fixture
def varna():
    return load("varna-2021")


# --- the document ------------------------------------------------------------------------------


def test_cover_shows_association_title_year_dnr_attachment_and_status(client, varna):
    varna.status = "approved"
    varna.decided_on = date(2020, 11, 26)
    varna.minutes_paragraph = "§ 42"
    varna.save()
    text = squeeze(text_of(page(client, varna)))
    assert "Samordningsförbundet VärNa" in text
    assert "Verksamhetsplan och budget 2021" in text
    assert "Dnr 2020-050" in text
    assert "Bilaga Styrelsen bilaga 3" in text
    assert "Fastställd av styrelsen 26 november 2020, § 42" in text


def test_sections_appear_in_order_after_a_table_of_contents(client, varna):
    html = page(client, varna)
    start = html.index('<nav class="toc"')
    toc = html[start : html.index("</nav>", start)]
    titles = list(varna.sections.order_by("order").values_list("title", flat=True))
    positions = [html.index(f">{title}</h") for title in titles]
    assert positions == sorted(positions)
    for index, title in enumerate(titles, start=1):
        assert f'<a href="#avsnitt-{index}">{title}</a>' in toc
    for anchor in ("organisation", "mal", "budget", "resultatbudget", "kontroller"):
        assert f'href="#{anchor}"' in toc
        assert f'id="{anchor}"' in html


def test_budget_table_shows_lines_subtotals_totals_result_and_equity_with_costs_negative(
    client, varna
):
    text = squeeze(text_of(page(client, varna)))
    assert "Belopp i kronor" in text
    assert "Personalkostnader −2 068 098 −2 113 596 −2 213 050" in text
    assert "Totala administrativa kostnader −3 199 098 −3 244 596 −3 344 050" in text
    assert "Totala medlemsintäkter 6 433 200 7 652 000 7 652 000" in text
    assert "Summa intäkter 12 548 463 14 337 243 12 844 985" in text
    assert "Summa kostnader −15 656 413 −15 458 440 −12 653 040" in text
    assert "Resultat −3 107 950 −1 121 197 191 945" in text
    assert "Eget kapital vid årets ingång 6 091 276 2 983 326 1 862 129" in text
    assert "Eget kapital vid årets utgång 2 983 326 1 862 129 2 054 074" in text
    assert "Tak för eget kapital (20 % av medlemsavgifterna) 1 286 640 1 530 400 1 530 400" in text


def test_subtotals_are_bold_rows(client, varna):
    html = page(client, varna)
    assert re.search(
        r'<tr class="subtotal">\s*<th scope="row" class="label depth-0">Totala '
        r"administrativa kostnader",
        html,
    )


def test_costs_are_positive_when_the_plan_prints_them_so(client):
    plan = load("vasterdalarna-2024")
    text = squeeze(text_of(page(client, plan)))
    assert "Summa kostnader 2 425 937 2 395 177 2 050 599" in text
    assert "Resultat −46 737 −15 977 60 601" in text
    assert "Eget kapital vid årets utgång 171 693 155 716 216 317" in text


def test_a_plan_in_tkr_shows_thousands_rounded_only_for_display(client):
    plan = load("botkyrka-huddinge-salem-2018")
    text = squeeze(text_of(page(client, plan)))
    assert "Belopp i tusentals kronor (tkr)" in text
    # 21 894 000 and −651 011 kronor; the 2017 structural detail lines give 1 220, not 1 320.
    assert "Summa kostnader 21 894 25 599" in text
    assert "Resultat −651 −4 699" in text


def test_footnotes_are_marked_and_listed(client, varna):
    line = varna.budget_groups.get(name="Administrativa kostnader").lines.get(name="Revision")
    line.footnote = "Revisionen upphandlas gemensamt med länets förbund."
    line.save()
    html = page(client, varna)
    assert 'Revision<sup class="footnote-mark">a</sup>' in html
    assert '<sup class="footnote-mark">a</sup> Revisionen upphandlas gemensamt' in html


def test_budget_commentary_quotes_computed_shares_and_equity_against_its_limit(client, varna):
    text = squeeze(text_of(page(client, varna)))
    assert "Administrationens andel av kostnaderna 20,4 % 21,0 % 26,4 %" in text
    assert "Individinriktade insatser, andel 92,0 % 90,2 % 88,3 %" in text
    assert "Strukturinriktade insatser, andel 8,0 % 9,8 % 11,7 %" in text
    assert "Eget kapital i procent av medlemsavgifterna 46,4 % 24,3 % 26,8 %" in text
    assert (
        "Eget kapital går från 2 983 326 kr vid årets ingång till 1 862 129 kr vid årets "
        "utgång, 24,3 % av medlemsavgifterna. Taket är 1 530 400 kr (20 % av medlemsavgifterna)."
    ) in text


def test_goals_table_groups_by_area_with_project_targets_and_last_years_marked(client, varna):
    html = page(client, varna)
    text = squeeze(text_of(html))
    assert '<h2 id="malomrade-1">VärNa Projekt</h2>' in html
    assert "185 pers *140 pers" in text
    assert "Inskrivning SUS" in text
    goals = html[html.index('id="mal"') :]
    assert re.search(
        r'target-project">[^<]+</span> <span class="target-value">30\xa0%</span>', goals
    )
    assert "Mål märkta med * är förra årets mål" in text


def test_organisation_chapter_lists_members_shares_board_office_and_groups(client, varna):
    members = list(varna.association.members.order_by("order"))
    BoardSeat.objects.create(
        plan=varna, member=members[0], role="ordinary", person="Anna Ordförande", position="chair"
    )
    BoardSeat.objects.create(plan=varna, member=members[0], role="deputy", person="Bo Ersättare")
    BoardSeat.objects.create(
        plan=varna,
        member=members[1],
        role="ordinary",
        person="Cecilia Vice",
        position="vice_chair",
    )
    html = page(client, varna)
    text = squeeze(text_of(html))
    assert "Försäkringskassan och Arbetsförmedlingen staten 50 % 3 216 600" in text
    assert "Summa 100 % 6 433 200" in text
    assert "Anna Ordförande (ordförande) Bo Ersättare" in text
    assert "Ordförande är Anna Ordförande" in text
    assert "Vice ordförande är Cecilia Vice" in text
    staff = StaffMember.objects.filter(plan=varna).first()
    assert staff is not None and staff.role in text
    group = varna.groups.first()
    assert group is not None and f"{group.name} {group.get_kind_display()}" in text


def test_timetable_lists_events_by_month(client, varna):
    TimetableEntry.objects.create(plan=varna, year=2021, month=3, event="Extra styrelsemöte")
    text = squeeze(text_of(page(client, varna)))
    assert re.search(r"Mars 2021 [^<]*Extra styrelsemöte", text)


def test_charts_are_inline_svg_with_explicit_fonts(client, varna):
    html = page(client, varna)
    charts = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert len(charts) == 2
    for chart in charts:
        assert "font-family=" in chart
        assert "<symbol" not in chart and "<use" not in chart and "href" not in chart
    assert ">15\xa0656\xa0413</text>" in charts[0]
    assert ">2\xa0054\xa0074</text>" in charts[1]


# --- the check panel ---------------------------------------------------------------------------


def test_check_panel_lists_every_finding_with_its_figures(client, varna):
    html = page(client, varna)
    panel = panel_of(html)
    findings = run_checks(plan_summary(plan=varna))
    assert findings
    assert panel.count('<li class="finding') == len(findings)
    text = squeeze(text_of(panel))
    for finding in findings:
        assert squeeze(finding.message.replace(NBSP, " ")) in text
    assert "Eget kapital vid utgången 2 983 326 kr" in text
    assert "Eget kapital av medlemsavgifterna 46,4 %" in text


def test_unknown_live_figure_is_marked_in_the_text_and_an_error_in_the_panel(client, varna):
    Section.objects.create(
        plan=varna,
        title="Kommentarer med tal",
        body="Administrationen är {{adminandel 2022}} men {{adminandle 2022}} är fel.",
        order=99,
    )
    html = page(client, varna)
    assert '<span class="live-figure">21,0&nbsp;%</span>' in html
    assert "[okänt tal: adminandle 2022]" in html
    panel = panel_of(html)
    assert 'data-code="live_figure_unknown"' in panel
    assert "Avsnittet ”Kommentarer med tal” citerar ett tal som inte finns" in panel


def test_panel_says_so_when_the_budget_passes_every_check(client):
    plan = PlanFactory()
    for kind, pct in (("state", 50), ("region", 25), ("municipality", 25)):
        ContributionShareFactory(plan=plan, member__kind=kind, share_pct=Decimal(pct))
    panel = panel_of(page(client, plan))
    assert "Inga anmärkningar: budgeten klarar alla kontroller." in panel
    assert '<li class="finding' not in panel


# --- access ------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(client, varna):
    response = client.get(reverse("plans:plan_detail", args=[varna.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_plan_of_another_association_is_404(client, varna):
    other = PlanFactory()
    client.force_login(reader_of(other))
    assert client.get(reverse("plans:plan_detail", args=[varna.pk])).status_code == 404
    assert client.get(reverse("plans:plan_pdf", args=[varna.pk])).status_code == 404


def test_every_role_may_read_the_page(client, varna):
    for role in ("kansli", "styrelse", "revisor"):
        assert "Resultatbudget" in page(client, varna, role)


def test_start_page_lists_only_the_users_plans(client, varna):
    other = PlanFactory(title="Annat förbunds plan")
    client.force_login(reader_of(varna))
    response = client.get(reverse("plans:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("plans:plan_detail", args=[varna.pk]) in html
    assert "Verksamhetsplan och budget 2021" in html
    assert reverse("plans:plan_detail", args=[other.pk]) not in html


# --- queries -----------------------------------------------------------------------------------


def build_plan(size: int) -> Plan:
    """A plan with ``size`` of everything: lines, sub-lines, goals, targets, people, sections."""
    plan = PlanFactory()
    shares = [
        ContributionShareFactory(plan=plan, member__kind=kind, share_pct=pct)
        for kind, pct in (("state", 50), ("region", 25), ("municipality", 25))
    ]
    columns = [BudgetColumnFactory(plan=plan, year=plan.year + i) for i in range(2)]
    projects = [ProjectFactory(plan=plan) for _ in range(size)]
    for kind in ("contributions", "administration", "individual"):
        group = BudgetGroupFactory(plan=plan, kind=kind)
        for index in range(size):
            line = BudgetLineFactory(
                group=group,
                project=projects[index] if kind == "individual" else None,
                member=shares[index % 3].member if kind == "contributions" else None,
                footnote="En fotnot." if index == 0 else "",
            )
            child = BudgetLineFactory(group=group, parent=line)
            for column in columns:
                BudgetAmount.objects.create(line=child, column=column, amount=Decimal(1000))
    for _ in range(size):
        area = GoalAreaFactory(plan=plan)
        for _ in range(size):
            goal = GoalFactory(area=area, comment=f"Kommentar med {{{{adminandel {plan.year}}}}}.")
            TargetFactory(goal=goal, project=projects[0], previous_value=Decimal(40))
            TargetFactory(goal=goal, kind="text", value=None, text="En plan finns")
    for index, share in enumerate(shares):
        BoardSeat.objects.create(
            plan=plan,
            member=share.member,
            role="ordinary",
            person=f"Ledamot {index}",
            position="chair" if index == 0 else "",
        )
        BoardSeat.objects.create(plan=plan, member=share.member, role="deputy", person="E")
    for index in range(size):
        StaffMember.objects.create(plan=plan, role=f"Roll {index}", fte=Decimal("0.5"))
        group = plan.groups.create(name=f"Grupp {index}", kind="reference")
        for person in range(size):
            group.people.create(person=f"Person {person}", member=shares[0].member)
        Section.objects.create(plan=plan, title=f"Avsnitt {index}", body="Text.", order=index)
        TimetableEntry.objects.create(plan=plan, year=plan.year, month=index % 12 + 1, event="M")
    return plan


# The session and its user, the plan, the document's rows, the budget's rows, the workflow panel.
PAGE_QUERIES = 2 + 1 + PLAN_DOCUMENT_QUERIES + PLAN_BUDGET_INPUT_QUERIES + WORKFLOW_STATE_QUERIES


@pytest.mark.parametrize("size", [1, 12])
def test_page_query_count_is_fixed_for_few_and_many_lines_and_goals(
    client, django_assert_num_queries, size
):
    plan = build_plan(size)
    assert Target.objects.filter(goal__area__plan=plan).count() == 2 * size * size
    client.force_login(reader_of(plan))
    url = reverse("plans:plan_detail", args=[plan.pk])
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="goal-comment"') == size * size
