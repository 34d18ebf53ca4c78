"""The plan file: a whole plan exported and imported as JSON (docs/plan-file.md)."""

from __future__ import annotations

import copy
import json
import time
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from goals.models import Goal, GoalArea, Outcome, Target
from plans.models import (
    Association,
    BoardSeat,
    ContributionShare,
    Group,
    GroupMember,
    Member,
    Plan,
    Project,
    Section,
    StaffMember,
    TimetableEntry,
)
from plans.planfile import (
    PlanFileError,
    errors,
    plan_export,
    plan_export_bytes,
    plan_file_parse,
    plan_import,
    schema,
)
from plans.planfile import services as planfile_services

pytestmark = pytest.mark.django_db

DEMO_DIR = Path(__file__).resolve().parents[2] / "plans" / "demo"
EXPORT_QUERIES = 18

ALL_MODELS: list[type[Model]] = [
    Association,
    Member,
    Plan,
    ContributionShare,
    BoardSeat,
    StaffMember,
    Group,
    GroupMember,
    Project,
    Section,
    TimetableEntry,
    GoalArea,
    Goal,
    Target,
    Outcome,
    BudgetColumn,
    BudgetGroup,
    BudgetLine,
    BudgetAmount,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def delete_everything() -> None:
    Plan.objects.all().delete()
    Association.objects.all().delete()
    assert set(counts().values()) == {0}


def paths(error: PlanFileError) -> list[str]:
    return [problem.path for problem in error.problems]


def refused(data: Any, **kwargs: Any) -> PlanFileError:
    with pytest.raises(PlanFileError) as caught:
        plan_import(data=data, **kwargs)
    return caught.value


# ---------------------------------------------------------------------------------------------
# A plan with one or more rows of every kind, built through the ORM.
# ---------------------------------------------------------------------------------------------


def build_rich_plan() -> Plan:
    association = Association.objects.create(
        name="Samordningsförbundet Älvdalen",
        org_number="222000-0001",
        founded=date(2009, 1, 1),
        region="Dalarnas län",
        vision="Alla ska kunna försörja sig själva.",
        equity_limit_pct=Decimal("18.50"),
    )
    state = Member.objects.create(
        association=association,
        name="Försäkringskassan och Arbetsförmedlingen",
        kind="state",
        order=0,
    )
    region = Member.objects.create(
        association=association, name="Region Dalarna", kind="region", order=1
    )
    north = Member.objects.create(
        association=association, name="Älvdalens kommun", kind="municipality", order=2
    )
    south = Member.objects.create(
        association=association, name="Mora kommun", kind="municipality", order=3
    )
    plan = Plan.objects.create(
        association=association,
        year=2025,
        title="Verksamhetsplan och budget 2025–2027",
        dnr="2024-017",
        attachment_label="Styrelsen bilaga 4",
        status="proposed",
        minutes_paragraph="§ 12",
        opening_equity=Decimal("1234567.89"),
        display_unit="tkr",
        costs_negative=True,
    )
    for member, pct in [
        (state, "50"),
        (region, "25"),
        (north, "17.525"),
        (south, "7.475"),
    ]:
        ContributionShare.objects.create(plan=plan, member=member, share_pct=Decimal(pct))
    term = {"term_start": date(2023, 1, 1), "term_end": date(2026, 12, 31)}
    BoardSeat.objects.create(
        plan=plan, member=north, role="ordinary", person="Anna Åkesson", position="chair", **term
    )
    BoardSeat.objects.create(plan=plan, member=north, role="deputy", person="Bo Berg", **term)
    BoardSeat.objects.create(
        plan=plan, member=state, role="ordinary", person="Cilla Dahl", position="vice_chair"
    )
    BoardSeat.objects.create(plan=plan, member=region, role="ordinary", person="Dan Ek", **term)
    StaffMember.objects.create(
        plan=plan, name="Eva Fors", role="Förbundschef", fte=Decimal("1"), order=0
    )
    StaffMember.objects.create(plan=plan, role="Ekonom", fte=None, employer="Mora kommun", order=1)
    preparatory = Group.objects.create(
        plan=plan, name="Beredningsgruppen", kind="preparatory", description="Chefer.", order=0
    )
    GroupMember.objects.create(
        group=preparatory, person="Fia Gran", member=north, role="sammankallande", order=0
    )
    GroupMember.objects.create(group=preparatory, person="Gun Holm", member=state, order=1)
    reference = Group.objects.create(plan=plan, name="Referensgruppen", kind="reference", order=1)
    GroupMember.objects.create(group=reference, person="Hans Ivarsson", member=None, order=0)
    steget = Project.objects.create(
        plan=plan,
        name="Steget",
        kind="individual",
        status="running",
        owner="Mora kommun",
        starts_on=date(2023, 9, 1),
        ends_on=date(2026, 8, 31),
        cofinancing="ESF",
        description="Arbetsträning.",
        order=0,
    )
    kartan = Project.objects.create(
        plan=plan, name="Kartläggning", kind="structural", status="pre_study", order=1
    )
    Section.objects.create(plan=plan, title="Om förbundet", level=1, body="Förbundet …", order=0)
    Section.objects.create(plan=plan, title="Uppdrag", level=2, body="**Lagen** säger …", order=1)
    TimetableEntry.objects.create(plan=plan, year=2025, month=3, event="Internkontroll", order=0)
    TimetableEntry.objects.create(plan=plan, year=2025, month=3, event="Styrelsemöte", order=1)
    TimetableEntry.objects.create(plan=plan, year=2025, month=11, event="Budget 2026", order=2)
    area = GoalArea.objects.create(plan=plan, name="Individ", description="Deltagare.", order=0)
    goal = Goal.objects.create(
        area=area,
        indicator="Antal deltagare",
        measurement="SUS",
        reporting="Delårsrapport",
        comment="Fler än i fjol.",
        order=0,
    )
    counted = Target.objects.create(
        goal=goal,
        project=steget,
        kind="number",
        value=Decimal("185"),
        unit="pers",
        previous_value=Decimal("140"),
        order=0,
    )
    Outcome.objects.create(
        target=counted, period="Delår 2025", value=Decimal("90"), recorded_on=date(2025, 8, 31)
    )
    Outcome.objects.create(target=counted, period="Helår 2025", text="Nära målet")
    Target.objects.create(
        goal=goal, kind="percent", value=Decimal("35.50"), unit="%", previous_text="30 %", order=1
    )
    structure = GoalArea.objects.create(plan=plan, name="Struktur", order=1)
    text_goal = Goal.objects.create(area=structure, indicator="Samverkan", order=0)
    Target.objects.create(
        goal=text_goal, project=kartan, kind="text", text="En gemensam karta", order=0
    )

    forecast = BudgetColumn.objects.create(
        plan=plan, kind="forecast", year=2024, label="Prognos 2024", order=0
    )
    budget = BudgetColumn.objects.create(plan=plan, kind="budget", year=2025, label="2025", order=1)
    scenario = BudgetColumn.objects.create(
        plan=plan, kind="scenario", year=2025, label="2025 − 10 %", order=2
    )
    later = BudgetColumn.objects.create(plan=plan, kind="budget", year=2026, label="2026", order=3)

    def line(group: BudgetGroup, name: str, order: int, amounts: dict, **fields: Any) -> BudgetLine:
        row = BudgetLine.objects.create(group=group, name=name, order=order, **fields)
        for column, amount in amounts.items():
            BudgetAmount.objects.create(line=row, column=column, amount=Decimal(amount))
        return row

    income = BudgetGroup.objects.create(
        plan=plan,
        kind="contributions",
        name="Medlemsavgifter",
        total_label="Totala medlemsintäkter",
        order=0,
    )
    line(
        income, "FK/AF", 0, {forecast: "3000000", budget: "3216600", later: "3216600"}, member=state
    )
    line(income, "Region Dalarna", 1, {budget: "1608300", later: "1608300"}, member=region)
    other = BudgetGroup.objects.create(plan=plan, kind="other_income", name="Övriga", order=1)
    line(other, "ESF-medel", 0, {budget: "250000.50"}, project=steget, footnote="Beviljat.")
    admin = BudgetGroup.objects.create(plan=plan, kind="administration", name="Kansli", order=2)
    staff = line(admin, "Personal", 0, {})
    line(admin, "Lokaler", 1, {budget: "90000", scenario: "81000"})
    line(admin, "Löner", 2, {budget: "900000", scenario: "810000"}, parent=staff)
    line(admin, "Sociala avgifter", 3, {budget: "-282780"}, parent=staff, footnote="31,42 %")
    individual = BudgetGroup.objects.create(plan=plan, kind="individual", name="Insatser", order=3)
    line(individual, "Steget", 0, {budget: "1500000", scenario: "1350000"}, project=steget)
    return plan


@pytest.fixture
def rich_plan() -> Plan:
    return build_rich_plan()


@pytest.fixture
def rich_data(rich_plan: Plan) -> dict[str, Any]:
    """The rich plan's file, as a new association's (so it imports beside the original)."""
    data = copy.deepcopy(plan_export(plan=rich_plan))
    data["association"]["org_number"] = "222000-0002"
    return data


def line_path(data: dict, group_name: str, line_name: str) -> tuple[int, int]:
    for g, group in enumerate(data["plan"]["budget"]["groups"]):
        for i, line in enumerate(group["lines"]):
            if group["name"] == group_name and line["name"] == line_name:
                return g, i
    raise KeyError(line_name)


# ---------------------------------------------------------------------------------------------
# Export.
# ---------------------------------------------------------------------------------------------


def test_export_writes_exact_decimals_dates_and_references(rich_plan):
    data = plan_export(plan=rich_plan)
    plan = data["plan"]
    assert data["format"] == "finsam-plan" and data["version"] == 1
    assert data["association"]["thresholds"] == {
        "equity_limit_pct": "18.50",
        "admin_share_limit_pct": "25.00",
        "share_tolerance_pct": "0.00",
    }
    assert plan["opening_equity"] == "1234567.89"
    assert plan["shares"][2] == {"member": "Älvdalens kommun", "share_pct": "17.525000"}
    assert plan["board"][0]["member"] == "Försäkringskassan och Arbetsförmedlingen"
    assert [seat["role"] for seat in plan["board"][2:]] == ["ordinary", "deputy"]
    assert plan["board"][2]["term_start"] == "2023-01-01"
    assert plan["staff"][1] == {
        "name": "",
        "role": "Ekonom",
        "fte": None,
        "employer": "Mora kommun",
    }
    target = plan["goal_areas"][0]["goals"][0]["targets"][0]
    assert (target["project"], target["value"], target["previous_value"]) == (
        "Steget",
        "185.00",
        "140.00",
    )
    assert [outcome["period"] for outcome in target["outcomes"]] == ["Helår 2025", "Delår 2025"]
    admin = plan["budget"]["groups"][2]["lines"]
    assert [(line["name"], line["parent"]) for line in admin] == [
        ("Personal", None),
        ("Löner", "Personal"),
        ("Sociala avgifter", "Personal"),
        ("Lokaler", None),
    ]
    assert admin[2]["amounts"] == {"2025": "-282780.00"}
    contributions = plan["budget"]["groups"][0]["lines"]
    assert list(contributions[0]["amounts"]) == ["Prognos 2024", "2025", "2026"]
    assert contributions[0]["amounts"]["2025"] == "3216600.00"


def test_export_writes_keys_in_the_documented_order(rich_plan):
    data = plan_export(plan=rich_plan)
    plan = data["plan"]
    area = plan["goal_areas"][0]
    target = area["goals"][0]["targets"][0]
    budget = plan["budget"]
    expected = [
        (data, schema.FILE_FIELDS),
        (data["association"], schema.ASSOCIATION_FIELDS),
        (data["association"]["thresholds"], schema.THRESHOLD_FIELDS),
        (data["association"]["members"][0], schema.MEMBER_FIELDS),
        (plan, schema.PLAN_FIELDS),
        (plan["shares"][0], schema.SHARE_FIELDS),
        (plan["board"][0], schema.SEAT_FIELDS),
        (plan["staff"][0], schema.STAFF_FIELDS),
        (plan["groups"][0], schema.GROUP_FIELDS),
        (plan["groups"][0]["people"][0], schema.PERSON_FIELDS),
        (plan["projects"][0], schema.PROJECT_FIELDS),
        (plan["sections"][0], schema.SECTION_FIELDS),
        (plan["timetable"][0], schema.TIMETABLE_FIELDS),
        (area, schema.AREA_FIELDS),
        (area["goals"][0], schema.GOAL_FIELDS),
        (target, schema.TARGET_FIELDS),
        (target["outcomes"][0], schema.OUTCOME_FIELDS),
        (budget, schema.BUDGET_FIELDS),
        (budget["columns"][0], schema.COLUMN_FIELDS),
        (budget["groups"][0], schema.BUDGET_GROUP_FIELDS),
        (budget["groups"][0]["lines"][0], schema.LINE_FIELDS),
    ]
    for obj, fields in expected:
        assert tuple(obj) == fields


def test_export_bytes_are_indented_utf8_with_a_final_newline(rich_plan):
    content = plan_export_bytes(plan=rich_plan)
    assert content.endswith(b"}\n")
    assert '"name": "Älvdalens kommun"'.encode() in content
    assert b'\n  "association": {\n    "name"' in content
    assert content == plan_export_bytes(plan=rich_plan)


def test_export_runs_a_fixed_number_of_queries(rich_plan, django_assert_num_queries):
    with django_assert_num_queries(EXPORT_QUERIES):
        plan_export(plan=rich_plan)
    small = plan_import(data=small_plan_data(lines=2))
    with django_assert_num_queries(EXPORT_QUERIES):
        plan_export(plan=small)


# ---------------------------------------------------------------------------------------------
# Round trip.
# ---------------------------------------------------------------------------------------------


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_bytes(rich_plan):
    first = plan_export_bytes(plan=rich_plan)
    before = counts()
    delete_everything()

    imported = plan_import(data=plan_file_parse(raw=first))

    assert plan_export_bytes(plan=imported) == first
    assert counts() == before


def test_import_creates_what_the_file_describes(rich_data):
    plan = plan_import(data=rich_data)

    association = plan.association
    assert association.org_number == "222000-0002"
    assert association.equity_limit_pct == Decimal("18.50")
    assert list(association.members.values_list("name", "order")) == [
        ("Försäkringskassan och Arbetsförmedlingen", 0),
        ("Region Dalarna", 1),
        ("Älvdalens kommun", 2),
        ("Mora kommun", 3),
    ]
    assert plan.opening_equity.amount == Decimal("1234567.89")
    chair = plan.board_seats.get(position="chair")
    assert (chair.person, chair.member.name) == ("Anna Åkesson", "Älvdalens kommun")
    personal = BudgetLine.objects.get(group__plan=plan, name="Personal")
    assert sorted(personal.children.values_list("name", flat=True)) == [
        "Löner",
        "Sociala avgifter",
    ]
    esf = BudgetLine.objects.get(group__plan=plan, name="ESF-medel")
    assert esf.project.name == "Steget" and esf.project.plan == plan
    amount = BudgetAmount.objects.get(line=esf)
    assert (amount.column.label, amount.amount.amount) == ("2025", Decimal("250000.50"))
    steget_target = Target.objects.get(goal__area__plan=plan, project__isnull=False, kind="number")
    assert steget_target.project.name == "Steget"


def test_import_accepts_json_integers_and_fills_optional_fields(rich_data):
    data = small_plan_data(lines=1)
    data["plan"]["opening_equity"] = 6091276
    data["plan"]["budget"]["groups"][0]["lines"][0]["amounts"] = {"2025": 1200}
    plan = plan_import(data=data)
    assert plan.opening_equity.amount == Decimal("6091276.00")
    assert plan.title == "Verksamhetsplan och budget"
    assert (plan.status, plan.display_unit, plan.costs_negative) == ("draft", "kr", False)
    assert BudgetAmount.objects.get(line__group__plan=plan).amount.amount == Decimal("1200.00")


# ---------------------------------------------------------------------------------------------
# Refused files: every problem, with its path; nothing written.
# ---------------------------------------------------------------------------------------------


def test_bad_file_lists_every_problem_with_its_path_and_changes_nothing(rich_data):
    data = rich_data
    plan = data["plan"]
    plan["year"] = "2025"
    plan["board"][1]["person"] = 42
    plan["shares"][1]["member"] = "Orsa kommun"
    plan["shares"][0]["share_pct"] = "70.000000"
    g, i = line_path(data, "Medlemsavgifter", "FK/AF")
    plan["budget"]["groups"][g]["lines"][i]["amounts"]["2025"] = "12 000 kr"
    plan["budget"]["columns"].append({"kind": "budget", "year": 2027, "label": "2026"})
    s, j = line_path(data, "Kansli", "Löner")
    plan["budget"]["groups"][s]["lines"][j]["parent"] = "Personalkostnader"
    before = counts()

    error = refused(data)

    assert paths(error) == [
        "$.plan.year",
        "$.plan.shares[1].member",
        "$.plan.shares",
        "$.plan.board[1].person",
        "$.plan.budget.columns[4].label",
        f'$.plan.budget.groups[{g}].lines[{i}].amounts["2025"]',
        f"$.plan.budget.groups[{s}].lines[{j}].parent",
    ]
    messages = [problem.message for problem in error.problems]
    assert messages[0] == "ska vara ett heltal, inte en text"
    assert messages[1] == errors.UNKNOWN_MEMBER.format(name='"Orsa kommun"')
    assert messages[2] == "andelarna summerar till 120 %, inte 100 %"
    assert messages[4] == '"2026" finns redan i $.plan.budget.columns[3]'
    assert messages[5] == '"12 000 kr" är inte ett belopp'
    assert messages[6] == errors.PARENT_MISSING.format(name='"Personalkostnader"')
    assert (
        str(error).splitlines()[5]
        == f'$.plan.budget.groups[{g}].lines[{i}].amounts["2025"]: "12 000 kr" är inte ett belopp'
    )
    assert counts() == before


def test_json_floats_are_refused_as_not_exact(rich_data):
    rich_data["plan"]["opening_equity"] = 6091276.5
    g, i = line_path(rich_data, "Medlemsavgifter", "FK/AF")
    rich_data["plan"]["budget"]["groups"][g]["lines"][i]["amounts"]["2025"] = 3216600.0
    rich_data["plan"]["shares"][2]["share_pct"] = 17.525

    error = refused(rich_data)

    assert paths(error) == [
        "$.plan.opening_equity",
        "$.plan.shares[2].share_pct",
        f'$.plan.budget.groups[{g}].lines[{i}].amounts["2025"]',
    ]
    assert error.problems[0].message == errors.FLOAT_NOT_EXACT.format(
        value="6091276.5", example='"6091276.5"'
    )


def test_unknown_values_and_missing_fields_are_refused(rich_data):
    association, plan = rich_data["association"], rich_data["plan"]
    association["members"][3]["kind"] = "kommun"
    del association["members"][2]["name"]
    plan["status"] = "fastställd"
    plan["board"][0]["role"] = "chair"
    plan["projects"][1]["status"] = "ongoing"
    plan["groups"][0]["kind"] = "beredning"
    plan["goal_areas"][0]["goals"][0]["targets"][0]["kind"] = "antal"
    plan["budget"]["columns"][0]["kind"] = "prognos"
    plan["budget"]["groups"][0]["kind"] = "income"
    del plan["sections"][0]["title"]
    plan["color"] = "blå"

    error = refused(rich_data)

    assert paths(error) == [
        "$.association.members[2].name",
        "$.association.members[3].kind",
        "$.plan.color",
        "$.plan.status",
        # The member whose name is missing is unknown to the shares, board and groups naming it.
        "$.plan.shares[2].member",
        "$.plan.board[0].role",
        "$.plan.board[2].member",
        "$.plan.board[3].member",
        "$.plan.groups[0].kind",
        "$.plan.groups[0].people[0].member",
        "$.plan.projects[1].status",
        "$.plan.sections[0].title",
        "$.plan.goal_areas[0].goals[0].targets[0].kind",
        "$.plan.budget.columns[0].kind",
        "$.plan.budget.groups[0].kind",
    ]
    by_path = {problem.path: problem.message for problem in error.problems}
    assert by_path["$.association.members[2].name"] == errors.MISSING
    assert by_path["$.plan.color"] == errors.UNKNOWN_FIELD
    assert by_path["$.plan.board[0].role"] == (
        '"chair" är inte ett giltigt värde; välj bland "ordinary", "deputy"'
    )


def test_references_to_unknown_members_and_projects_are_refused(rich_data):
    plan = rich_data["plan"]
    plan["groups"][1]["people"][0]["member"] = "Orsa kommun"
    plan["goal_areas"][1]["goals"][0]["targets"][0]["project"] = "Kartan"
    g, i = line_path(rich_data, "Insatser", "Steget")
    plan["budget"]["groups"][g]["lines"][i]["project"] = "Stegen"
    plan["budget"]["groups"][g]["lines"][i]["member"] = "Orsa kommun"

    error = refused(rich_data)

    assert paths(error) == [
        "$.plan.groups[1].people[0].member",
        "$.plan.goal_areas[1].goals[0].targets[0].project",
        f"$.plan.budget.groups[{g}].lines[{i}].member",
        f"$.plan.budget.groups[{g}].lines[{i}].project",
    ]
    assert error.problems[1].message == errors.UNKNOWN_PROJECT.format(name='"Kartan"')


def test_duplicate_names_where_names_must_be_unique_are_refused(rich_data):
    association, plan = rich_data["association"], rich_data["plan"]
    association["members"].append({"name": "Mora kommun", "kind": "municipality"})
    plan["projects"].append(dict(plan["projects"][0]))
    plan["goal_areas"].append({"name": "Individ"})
    plan["groups"].append({"name": "Referensgruppen", "kind": "other"})
    plan["shares"].append({"member": "Region Dalarna", "share_pct": "0"})
    plan["board"].append({"member": "Region Dalarna", "role": "ordinary", "person": "Ny"})
    plan["board"].append(
        {"member": "Mora kommun", "role": "ordinary", "person": "Ola", "position": "chair"}
    )
    g, _ = line_path(rich_data, "Kansli", "Lokaler")
    lines = plan["budget"]["groups"][g]["lines"]
    lines.append({"name": "Lokaler"})
    lines.append({"name": "Löner", "parent": "Personal"})

    error = refused(rich_data)

    assert paths(error) == [
        "$.association.members[4].name",
        "$.plan.shares[4].member",
        "$.plan.board[4].role",
        "$.plan.board[5].position",
        "$.plan.groups[2].name",
        "$.plan.projects[2].name",
        "$.plan.goal_areas[2].name",
        f"$.plan.budget.groups[{g}].lines[4].name",
        f"$.plan.budget.groups[{g}].lines[5].name",
    ]
    by_path = {problem.path: problem.message for problem in error.problems}
    assert by_path["$.plan.projects[2].name"] == '"Steget" finns redan i $.plan.projects[0]'
    assert by_path["$.plan.board[5].position"] == errors.DUPLICATE_CHAIR.format(
        first="$.plan.board[2]"
    )


def test_sub_lines_are_one_level_deep_and_their_parents_have_no_amounts(rich_data):
    g, personal = line_path(rich_data, "Kansli", "Personal")
    lines = rich_data["plan"]["budget"]["groups"][g]["lines"]
    lines[personal]["amounts"] = {"2025": "1.00"}
    lines.append({"name": "Semesterlön", "parent": "Löner", "amounts": {"2025": "5"}})
    lines.insert(0, {"name": "Förre", "parent": "Lokaler"})  # a later line is no parent

    error = refused(rich_data)

    base = f"$.plan.budget.groups[{g}]"
    assert paths(error) == [
        f"{base}.lines[0].parent",
        f"{base}.lines[5].parent",
        f"{base}.lines[1].amounts",
    ]
    assert [problem.message for problem in error.problems] == [
        errors.PARENT_MISSING.format(name='"Lokaler"'),
        errors.PARENT_IS_SUB_LINE.format(name='"Löner"'),
        errors.PARENT_HAS_AMOUNTS,
    ]


def test_amounts_must_be_keyed_by_a_column_and_exact_to_the_ore(rich_data):
    g, i = line_path(rich_data, "Medlemsavgifter", "FK/AF")
    amounts = rich_data["plan"]["budget"]["groups"][g]["lines"][i]["amounts"]
    amounts["2027"] = "100.00"
    amounts["2026"] = "100.001"
    amounts["Prognos 2024"] = "1,5"
    rich_data["plan"]["opening_equity"] = "12345678901234.00"

    error = refused(rich_data)

    base = f"$.plan.budget.groups[{g}].lines[{i}].amounts"
    assert paths(error) == [
        "$.plan.opening_equity",
        f'{base}["Prognos 2024"]',
        f'{base}["2026"]',
        f'{base}["2027"]',
    ]
    assert [problem.message for problem in error.problems] == [
        '"12345678901234.00" har fler än 13 siffror före decimaltecknet',
        '"1,5" är inte ett belopp',
        '"100.001" har fler än 2 decimaler',
        'kolumnen "2027" finns inte i $.plan.budget.columns',
    ]


def test_bad_dates_and_values_outside_the_models_rules_are_refused(rich_data):
    association, plan = rich_data["association"], rich_data["plan"]
    association["founded"] = "2009-02-30"
    association["org_number"] = "2220000002"
    association["thresholds"]["equity_limit_pct"] = "120.00"
    plan["decided_on"] = "1/3/2025"
    plan["board"][2]["term_end"] = "2019-12-31"
    plan["projects"][0]["ends_on"] = "2020-01-01"
    plan["timetable"][0]["month"] = 13
    plan["sections"][1]["level"] = 4
    plan["goal_areas"][1]["goals"][0]["targets"][0]["text"] = ""
    plan["goal_areas"][0]["goals"][0]["targets"][0]["outcomes"][0]["recorded_on"] = "i går"

    error = refused(rich_data)

    assert paths(error) == [
        "$.association.founded",
        "$.association.org_number",
        "$.association.thresholds.equity_limit_pct",
        "$.plan.decided_on",
        "$.plan.board[2].term_end",
        "$.plan.projects[0].ends_on",
        "$.plan.sections[1].level",
        "$.plan.timetable[0].month",
        "$.plan.goal_areas[0].goals[0].targets[0].outcomes[0].recorded_on",
        "$.plan.goal_areas[1].goals[0].targets[0].text",
    ]
    by_path = {problem.path: problem.message for problem in error.problems}
    assert by_path["$.association.founded"] == '"2009-02-30" är inte ett datum (ÅÅÅÅ-MM-DD)'
    assert "NNNNNN-NNNN" in by_path["$.association.org_number"]


def test_an_approved_plan_needs_a_decision_date(rich_data):
    rich_data["plan"]["status"] = "approved"
    error = refused(rich_data)
    assert [str(problem) for problem in error.problems] == [
        f"$.plan.decided_on: {errors.APPROVED_WITHOUT_DATE}"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"format": "finsam-budget"}, ["$.format"]),
        ({"version": 2}, ["$.version"]),
        ({"version": "1"}, ["$.version"]),
    ],
)
def test_other_formats_and_versions_are_refused_before_reading_further(rich_data, change, expected):
    rich_data.update(change)
    rich_data["plan"]["year"] = "not read"
    assert paths(refused(rich_data)) == expected


def test_a_file_that_is_not_an_object_or_not_json_is_refused():
    assert [str(p) for p in refused([1, 2]).problems] == ["$: ska vara ett objekt, inte en lista"]
    with pytest.raises(PlanFileError) as caught:
        plan_file_parse(raw=b'{"format": "finsam-plan",')
    assert caught.value.problems[0].path == "$"
    assert caught.value.problems[0].message.startswith("filen är inte giltig JSON")
    with pytest.raises(PlanFileError) as caught:
        plan_file_parse(raw=b"\xff\xfe{}")
    assert str(caught.value) == f"$: {errors.NOT_UTF8}"


def test_a_key_given_twice_is_refused_rather_than_one_value_silently_kept(rich_data):
    text = json.dumps(rich_data).replace(
        '"opening_equity": "1234567.89"',
        '"opening_equity": "1234567.89", "opening_equity": "0.00"',
    )
    error = refused(plan_file_parse(raw=text))
    assert [str(p) for p in error.problems] == [
        '$.plan: nyckeln "opening_equity" förekommer mer än en gång i samma objekt'
    ]


# ---------------------------------------------------------------------------------------------
# The association and an existing plan.
# ---------------------------------------------------------------------------------------------


def test_existing_association_is_matched_and_missing_members_are_added(rich_plan):
    data = plan_export(plan=rich_plan)
    data["plan"]["year"] = 2026
    data["association"]["members"].append({"name": "Orsa kommun", "kind": "municipality"})

    plan = plan_import(data=data)

    assert plan.association_id == rich_plan.association_id
    assert Association.objects.count() == 1
    orsa = Member.objects.get(name="Orsa kommun")
    assert (orsa.association_id, orsa.order) == (rich_plan.association_id, 4)
    assert (
        plan.shares.get(member__name="Mora kommun").member.pk
        == Member.objects.get(name="Mora kommun").pk
    )


def test_existing_association_must_have_the_same_name_and_member_kinds(rich_plan):
    data = plan_export(plan=rich_plan)
    data["plan"]["year"] = 2026
    data["association"]["name"] = "Samordningsförbundet Norra Dalarna"
    data["association"]["members"][1]["kind"] = "municipality"
    before = counts()

    error = refused(data)

    assert paths(error) == ["$.association.name", "$.association.members[1].kind"]
    assert error.problems[1].message == (
        'medlemmen "Region Dalarna" är av slaget region här, inte municipality'
    )
    assert counts() == before


def test_an_existing_plan_is_replaced_only_when_asked(rich_plan):
    data = plan_export(plan=rich_plan)
    data["plan"]["title"] = "Ny titel"
    del data["plan"]["budget"]["groups"][3]

    error = refused(data)
    assert [str(problem) for problem in error.problems] == [
        "$.plan: " + errors.PLAN_EXISTS.format(year=2025, revision=1)
    ]

    replaced = plan_import(data=data, replace=True)

    assert replaced.pk == rich_plan.pk
    assert Plan.objects.count() == 1
    rich_plan.refresh_from_db()
    assert (rich_plan.title, rich_plan.version) == ("Ny titel", 2)
    assert not BudgetGroup.objects.filter(plan=rich_plan, name="Insatser").exists()
    assert json.loads(plan_export_bytes(plan=replaced)) == data


def test_an_approved_plan_is_never_replaced(rich_plan):
    data = plan_export(plan=rich_plan)
    Plan.objects.filter(pk=rich_plan.pk).update(status="approved", decided_on=date(2024, 12, 1))
    data["plan"]["title"] = "Ny titel"
    before = counts()

    for replace in (True, False):
        error = refused(data, replace=replace)
        assert [str(problem) for problem in error.problems] == [
            "$.plan: En fastställd plan kan inte ersättas"
        ]

    assert counts() == before
    rich_plan.refresh_from_db()
    assert rich_plan.title == "Verksamhetsplan och budget 2025–2027"


def test_a_new_revision_is_linked_to_the_previous_one(rich_plan):
    data = plan_export(plan=rich_plan)
    data["plan"]["revision"] = 2
    revised = plan_import(data=data)
    assert (revised.revision, revised.revision_of_id) == (2, rich_plan.pk)


def test_a_database_refusal_becomes_a_problem_and_nothing_is_written(rich_data, monkeypatch):
    """Another import of the same plan may commit between the checks and the writes."""
    real_read = planfile_services.plan_file_read

    def read_then_lose_the_race(**kwargs):
        draft = real_read(**kwargs)
        Plan.objects.create(association=draft.association, year=2025)
        return draft

    draft_association = Association.objects.create(name="Förbundet", org_number="222000-0009")
    rich_data["association"].update(name="Förbundet", org_number="222000-0009")
    monkeypatch.setattr(planfile_services, "plan_file_read", read_then_lose_the_race)
    before = counts()

    error = refused(rich_data)

    assert paths(error) == ["$"]
    assert error.problems[0].message.startswith("planen kunde inte sparas")
    assert counts() == before
    assert not draft_association.plans.exists()


# ---------------------------------------------------------------------------------------------
# Size.
# ---------------------------------------------------------------------------------------------


def small_plan_data(*, lines: int, org_number: str = "222000-0100") -> dict[str, Any]:
    """A plan with ``lines`` budget lines spread over five groups, three columns each."""
    kinds = ["contributions", "other_income", "administration", "individual", "structural"]
    groups = [{"kind": kind, "name": kind.title(), "lines": []} for kind in kinds]
    for index in range(lines):
        group = groups[index % len(groups)]
        parent = None
        if index % 10 == 9:
            parent = group["lines"][-1]["name"] if group["lines"][-1]["parent"] is None else None
        amounts = {} if parent is None and index % 10 == 8 else {"2025": f"{index}000.50"}
        if parent is None:
            amounts.update({"2026": str(index), "Prognos": "0"})
        group["lines"].append(
            {"name": f"Rad {index}", "parent": parent, "amounts": amounts, "member": None}
        )
    # A line that received sub-lines shows their sum and has no amounts of its own.
    for group in groups:
        parents = {line["parent"] for line in group["lines"] if line["parent"]}
        for line in group["lines"]:
            if line["name"] in parents:
                line["amounts"] = {}
    return {
        "format": "finsam-plan",
        "version": 1,
        "association": {
            "name": "Storförbundet",
            "org_number": org_number,
            "members": [{"name": "Staten", "kind": "state"}],
        },
        "plan": {
            "year": 2025,
            "budget": {
                "columns": [
                    {"kind": "forecast", "year": 2024, "label": "Prognos"},
                    {"kind": "budget", "year": 2025, "label": "2025"},
                    {"kind": "budget", "year": 2026, "label": "2026"},
                ],
                "groups": groups,
            },
        },
    }


def test_a_500_line_plan_imports_in_well_under_a_second_in_a_few_queries():
    with CaptureQueriesContext(connection) as small:
        plan_import(data=small_plan_data(lines=20, org_number="222000-0101"))
    data = small_plan_data(lines=500)

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as large:
        plan = plan_import(data=data)
    elapsed = time.perf_counter() - started

    assert BudgetLine.objects.filter(group__plan=plan).count() == 500
    assert BudgetLine.objects.filter(group__plan=plan, parent__isnull=False).count() == 50
    # One insert per kind of row; SQLite's limit on parameters splits the biggest into batches.
    assert len(small.captured_queries) <= len(large.captured_queries) <= 30
    assert elapsed < 1.0
    assert json.loads(plan_export_bytes(plan=plan))["plan"]["budget"]["groups"][0]["lines"][9] == {
        "name": "Rad 45",
        "parent": None,
        "member": None,
        "project": None,
        "footnote": "",
        "amounts": {"Prognos": "0.00", "2025": "45000.50", "2026": "45.00"},
    }


# ---------------------------------------------------------------------------------------------
# Commands.
# ---------------------------------------------------------------------------------------------


def test_export_plan_command_writes_the_plan_file(rich_plan, tmp_path):
    stdout = StringIO()
    call_command("export_plan", str(rich_plan.pk), stdout=stdout)
    assert stdout.getvalue().encode("utf-8") == plan_export_bytes(plan=rich_plan)

    target = tmp_path / "plan.json"
    call_command(
        "export_plan",
        "--association",
        "222000-0001",
        "--year",
        "2025",
        "-o",
        str(target),
        stderr=StringIO(),
    )
    assert target.read_bytes() == plan_export_bytes(plan=rich_plan)


def test_export_plan_command_refuses_an_unknown_plan(rich_plan):
    with pytest.raises(CommandError, match="ingen plan med id"):
        call_command("export_plan", str(rich_plan.pk + 1000))
    with pytest.raises(CommandError, match="ingen sådan plan"):
        call_command("export_plan", "--association", "222000-0001", "--year", "2030")


def test_import_plan_command_prints_the_new_plans_id(rich_data, tmp_path):
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(rich_data, ensure_ascii=False), encoding="utf-8")
    stdout = StringIO()

    call_command("import_plan", str(source), stdout=stdout)

    plan = Plan.objects.get(association__org_number="222000-0002")
    assert stdout.getvalue() == f"{plan.pk}\n"

    call_command("import_plan", str(source), "--replace", stdout=StringIO())
    assert Plan.objects.filter(association__org_number="222000-0002").get().pk == plan.pk


def test_import_plan_command_lists_every_problem_and_exits_non_zero(rich_data, tmp_path):
    rich_data["plan"]["year"] = "2025"
    rich_data["plan"]["shares"][1]["member"] = "Orsa kommun"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(rich_data, ensure_ascii=False), encoding="utf-8")
    stderr = StringIO()
    before = counts()

    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(source), stdout=StringIO(), stderr=stderr)

    assert caught.value.returncode != 0
    assert "2 fel" in str(caught.value)
    assert stderr.getvalue().splitlines() == [
        "$.plan.year: ska vara ett heltal, inte en text",
        "$.plan.shares[1].member: " + errors.UNKNOWN_MEMBER.format(name='"Orsa kommun"'),
    ]
    assert counts() == before


def test_import_plan_command_reports_a_file_that_is_not_json(tmp_path):
    source = tmp_path / "bad.json"
    source.write_text("inte json", encoding="utf-8")
    stderr = StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", str(source), stdout=StringIO(), stderr=stderr)
    assert stderr.getvalue().startswith("$: filen är inte giltig JSON")


# ---------------------------------------------------------------------------------------------
# The demo plan files.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DEMO_DIR.glob("*.json")), ids=lambda path: path.name)
def test_demo_plan_file_imports_and_round_trips(path):
    raw = path.read_bytes()
    exported = plan_export_bytes(plan=plan_import(data=plan_file_parse(raw=raw)))

    assert json.loads(exported) == json.loads(raw)
    delete_everything()
    assert plan_export_bytes(plan=plan_import(data=plan_file_parse(raw=exported))) == exported
