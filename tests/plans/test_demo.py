"""The demo data: the three real plans as plan files, and the ``load_demo`` command."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from budget.models import BudgetLine
from plans.management.commands.load_demo import PLAN_FILES
from plans.models import Association, Membership, Plan, PlanStatus, Role
from plans.planfile import plan_export, plan_import

DEMO = Path(__file__).resolve().parents[2] / "plans" / "demo"
DEMO_USERS = {
    "kansli@demo.se": Role.KANSLI,
    "styrelse@demo.se": Role.STYRELSE,
    "revisor@demo.se": Role.REVISOR,
}

pytestmark = pytest.mark.django_db


def read(name: str) -> dict:
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", PLAN_FILES)
def test_demo_file_imports_as_a_draft(name):
    data = read(name)

    plan = plan_import(data=data)

    assert plan.association.name == data["association"]["name"]
    assert plan.year == data["plan"]["year"]
    assert plan.status == PlanStatus.DRAFT
    assert plan.sections.count() == len(data["plan"]["sections"])
    assert BudgetLine.objects.filter(group__plan=plan).count() == sum(
        len(group["lines"]) for group in data["plan"]["budget"]["groups"]
    )


@pytest.mark.parametrize("name", PLAN_FILES)
def test_demo_file_is_what_the_export_writes(name):
    data = read(name)

    plan = plan_import(data=data)

    assert plan_export(plan=plan) == data


def test_demo_files_are_written_like_the_export():
    for name in PLAN_FILES:
        text = (DEMO / name).read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_demo_associations_have_distinct_org_numbers():
    numbers = [read(name)["association"]["org_number"] for name in PLAN_FILES]
    assert len(set(numbers)) == 3


def test_varna_keeps_the_documents_scenario_column_and_empty_cell():
    budget = read("varna-2021.json")["plan"]["budget"]
    assert budget["columns"][0] == {"kind": "scenario", "year": 2021, "label": "2021 − 10 %"}
    other_income = next(g for g in budget["groups"] if g["kind"] == "other_income")
    new_project = next(line for line in other_income["lines"] if line["project"] == "Nytt projekt")
    assert new_project["amounts"] == {"2022": "2000000.00", "2023": "5100000.00"}


def test_vasterdalarna_member_contributions_sit_under_insats_per_medlem():
    plan = plan_import(data=read("vasterdalarna-2024.json"))
    parent = BudgetLine.objects.get(group__plan=plan, name="Insats per medlem")
    assert [(line.name, line.member.name) for line in parent.children.order_by("order")] == [
        ("Malung-Sälens kommun 3/5", "Malung-Sälens kommun"),
        ("Vansbro kommun 2/5", "Vansbro kommun"),
    ]
    assert not parent.amounts.exists()


def test_botkyrka_contributions_are_in_kronor_and_the_rest_in_whole_thousands():
    groups = read("botkyrka-huddinge-salem-2018.json")["plan"]["budget"]["groups"]
    for group in groups:
        for line in group["lines"]:
            for amount in line["amounts"].values():
                if group["kind"] != "contributions":
                    assert Decimal(amount) % 1000 == 0, line["name"]
    contributions = groups[0]["lines"]
    assert [line["amounts"]["Prognos utfall 2017"] for line in contributions] == [
        "8003994.00",
        "4001997.00",
        "1880939.00",
        "1880939.00",
        "240120.00",
    ]


def test_load_demo_creates_plans_and_users_with_their_roles():
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert Plan.objects.count() == 3
    associations = set(Association.objects.values_list("id", flat=True))
    assert len(associations) == 3
    users = get_user_model().objects
    for username, role in DEMO_USERS.items():
        user = users.get(username=username)
        assert user.email == username
        assert user.check_password("demo")
        assert not user.is_superuser
        memberships = Membership.objects.filter(user=user)
        assert {m.association_id for m in memberships} == associations
        assert {m.role for m in memberships} == {role}
    admin = users.get(username="admin@demo.se")
    assert admin.is_superuser and admin.is_staff and admin.check_password("demo")
    assert users.get(username="kansli@demo.se").is_staff
    printed = out.getvalue()
    assert "”demo”" in printed
    for username in [*DEMO_USERS, "admin@demo.se"]:
        assert username in printed


def test_load_demo_runs_again_replacing_the_drafts():
    call_command("load_demo", stdout=StringIO())
    plan_ids = set(Plan.objects.values_list("id", flat=True))
    lines = BudgetLine.objects.count()
    kansli = get_user_model().objects.get(username="kansli@demo.se")
    kansli.set_password("changed")
    kansli.save()
    BudgetLine.objects.filter(name="FK/AF").update(name="Ändrad rad")

    call_command("load_demo", stdout=StringIO())

    assert set(Plan.objects.values_list("id", flat=True)) == plan_ids
    assert BudgetLine.objects.count() == lines
    assert BudgetLine.objects.filter(name="FK/AF").exists()
    assert get_user_model().objects.filter(username__endswith="@demo.se").count() == 4
    assert Membership.objects.count() == 9
    kansli.refresh_from_db()
    assert kansli.check_password("demo")


def test_load_demo_leaves_an_approved_demo_plan_as_it_is():
    call_command("load_demo", stdout=StringIO())
    approved = Plan.objects.get(year=2024)
    Plan.objects.filter(pk=approved.pk).update(
        status=PlanStatus.APPROVED, decided_on=datetime.date(2023, 11, 8), version=7
    )
    out = StringIO()

    call_command("load_demo", stdout=out)

    approved.refresh_from_db()
    assert approved.status == PlanStatus.APPROVED
    assert approved.version == 7
    assert "lämnas orörd" in out.getvalue()
    assert Membership.objects.filter(association=approved.association).count() == 3
