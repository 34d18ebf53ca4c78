"""The Django admin: every page opens, a whole plan can be entered, and access follows the roles."""

from __future__ import annotations

import ast
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.forms import MultiWidget
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from djmoney.money import Money

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from goals.models import Goal, GoalArea, Outcome, Target
from plans.admin import (
    APPROVAL_IS_THE_BOARDS,
    APPROVED_WITHOUT_DATE,
    MEMBER_NOT_IN_ASSOCIATION,
    NOT_IN_PLAN,
    association_path,
)
from plans.models import (
    Association,
    BoardSeat,
    ContributionShare,
    Group,
    GroupMember,
    Member,
    Membership,
    Plan,
    Project,
    Section,
    StaffMember,
    TimetableEntry,
)

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
DOMAIN_APPS = {"plans", "budget", "goals"}
DOMAIN_MODELS = [model for model in REGISTERED if model._meta.app_label in DOMAIN_APPS]
PLAN_ROW_MODELS = [model for model in DOMAIN_MODELS if model not in (Association, Plan)]


# ---------------------------------------------------------------------------------------------
# Building the world, plainly.
# ---------------------------------------------------------------------------------------------


def make_association(name: str, org_number: str) -> Association:
    association = Association.objects.create(name=name, org_number=org_number)
    Member.objects.create(association=association, name=f"{name} stat", kind="state", order=1)
    Member.objects.create(association=association, name=f"{name} region", kind="region", order=2)
    return association


def make_plan(association: Association, year: int, **fields: Any) -> Plan:
    return Plan.objects.create(association=association, year=year, **fields)


def make_full_plan(association: Association, year: int, **fields: Any) -> Plan:
    """A plan with one row of everything the admin shows."""
    plan = make_plan(association, year, **fields)
    member = association.members.first()
    ContributionShare.objects.create(plan=plan, member=member, share_pct=Decimal(50))
    BoardSeat.objects.create(plan=plan, member=member, role="ordinary", person="Anna Ledamot")
    StaffMember.objects.create(plan=plan, name="Bo Chef", role="förbundschef", fte=Decimal(1))
    group = Group.objects.create(plan=plan, name="Beredningsgruppen", kind="preparatory")
    GroupMember.objects.create(group=group, person="Cecilia", member=member)
    project = Project.objects.create(plan=plan, name="Steget", kind="individual")
    Section.objects.create(plan=plan, title="Inledning", body="Text.")
    TimetableEntry.objects.create(plan=plan, year=year, month=3, event="Styrelsemöte")
    column = BudgetColumn.objects.create(plan=plan, kind="budget", year=year, label=str(year))
    budget_group = BudgetGroup.objects.create(plan=plan, kind="individual", name="Insatser")
    line = BudgetLine.objects.create(group=budget_group, name="Steget", project=project)
    BudgetAmount.objects.create(line=line, column=column, amount=Money(Decimal(1000), "SEK"))
    area = GoalArea.objects.create(plan=plan, name="Individ")
    goal = Goal.objects.create(area=area, indicator="Antal deltagare")
    target = Target.objects.create(goal=goal, kind="number", value=Decimal(40), project=project)
    Outcome.objects.create(target=target, period="Delår", value=Decimal(12))
    return plan


def make_user(username: str, **memberships: str) -> Any:
    """A staff user with a role per association, given as ``org_number=role``."""
    user = get_user_model().objects.create_user(username=username, password="x", is_staff=True)
    for org_number, role in memberships.items():
        Membership.objects.create(
            user=user, association=Association.objects.get(org_number=org_number), role=role
        )
    return user


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(obj: Any) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def changelist_url(model: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


A = "222000-0001"
B = "222000-0002"


@pytest.fixture
def association_a() -> Association:
    return make_association("Förbund A", A)


@pytest.fixture
def association_b() -> Association:
    return make_association("Förbund B", B)


# ---------------------------------------------------------------------------------------------
# Reading and sending admin forms the way a browser does.
# ---------------------------------------------------------------------------------------------


def form_data(response: Any) -> dict[str, Any]:
    """Return what the browser would send back for the page's form, unchanged."""
    forms = [response.context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for bound in form:
            value = bound.value()
            widget = getattr(bound.field.widget, "widget", bound.field.widget)
            if isinstance(widget, MultiWidget):
                parts = value if isinstance(value, list | tuple) else widget.decompress(value)
                for index, part in enumerate(parts):
                    data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = str(value)
    return data


def add_row(data: dict[str, Any], prefix: str, **fields: Any) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = str(value)


def errors_of(response: Any) -> list[str]:
    """Every error message on an admin form page, the form's and the inlines'."""
    messages = [
        f"{name}: {error}"
        for name, errors in response.context["adminform"].form.errors.items()
        for error in errors
    ]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        messages += [f"{formset.prefix}: {error}" for error in formset.non_form_errors()]
        for form_errors in formset.errors:
            messages += [
                f"{formset.prefix}-{name}: {error}"
                for name, errors in form_errors.items()
                for error in errors
            ]
    return messages


def editable_controls(html: str) -> list[str]:
    """The form controls a user could type into or submit with."""
    inputs = re.findall(r"<input\b[^>]*>", html)
    editable = [tag for tag in inputs if not re.search(r'type="(hidden|search)"', tag)]
    return editable + re.findall(r"<(?:select|textarea)\b[^>]*>", html)


# ---------------------------------------------------------------------------------------------
# Every page opens.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_superuser_opens_every_changelist_and_add_page(model, admin_client, association_a):
    make_full_plan(association_a, 2025)

    assert admin_client.get(changelist_url(model)).status_code == 200
    if admin.site._registry[model].has_add_permission(_request_for(admin_client)):
        assert admin_client.get(add_url(model)).status_code == 200


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
def test_superuser_opens_the_change_page_of_every_domain_model(model, admin_client, association_a):
    make_full_plan(association_a, 2025)

    response = admin_client.get(change_url(model.objects.first()))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' in html
    assert editable_controls(html)


def _request_for(client: Client) -> Any:
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    return request


def test_admin_site_has_a_swedish_header(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert "Finsam planer – administration" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# A whole plan, entered through the admin.
# ---------------------------------------------------------------------------------------------


def test_kansli_enters_a_whole_plan_through_the_admin(association_a):
    client = client_for(make_user("kansli", **{A: "kansli"}))
    state, region = association_a.members.order_by("order")

    data = form_data(client.get(add_url(Plan)))
    data.update(
        {
            "association": association_a.pk,
            "year": "2025",
            "revision": "1",
            "title": "Verksamhetsplan och budget",
            "status": "draft",
            "opening_equity_0": "1 250 000,00",
            "opening_equity_1": "SEK",
            "display_unit": "kr",
        }
    )
    add_row(data, "shares", member=state.pk, share_pct="50")
    add_row(data, "shares", member=region.pk, share_pct="25")
    add_row(data, "budget_columns", kind="budget", year="2025", label="Budget 2025", order="1")
    add_row(data, "budget_groups", kind="contributions", name="Medlemsavgifter", order="1")
    add_row(data, "groups", name="Beredningsgruppen", kind="preparatory", order="1")
    response = client.post(add_url(Plan), data)
    assert response.status_code == 302, errors_of(response)

    plan = Plan.objects.get(association=association_a, year=2025)
    assert plan.opening_equity == Money(Decimal("1250000.00"), "SEK")
    assert list(plan.shares.values_list("member__name", "share_pct")) == [
        ("Förbund A stat", Decimal(50)),
        ("Förbund A region", Decimal(25)),
    ]
    group = plan.groups.get()
    column = plan.budget_columns.get()
    budget_group = plan.budget_groups.get()

    data = form_data(client.get(change_url(group)))
    add_row(
        data, "people", person="Dana Handläggare", member=region.pk, role="ordförande", order="1"
    )
    response = client.post(change_url(group), data)
    assert response.status_code == 302, errors_of(response)
    assert group.people.get().member == region

    data = form_data(client.get(add_url(BudgetLine)))
    data.update({"group": budget_group.pk, "name": "Regionen", "member": region.pk, "order": "1"})
    add_row(data, "amounts", column=column.pk, amount_0="1 234 567,50", amount_1="SEK")
    response = client.post(add_url(BudgetLine), data)
    assert response.status_code == 302, errors_of(response)

    line = BudgetLine.objects.get(group__plan=plan)
    assert (line.name, line.member) == ("Regionen", region)
    assert line.amounts.get().amount == Money(Decimal("1234567.50"), "SEK")
    assert line.amounts.get().column == column


def test_amount_widget_shows_the_stored_amount_in_swedish_and_saves_it_unchanged(
    association_a,
):
    plan = make_full_plan(association_a, 2025)
    amount = BudgetAmount.objects.get(line__group__plan=plan)
    amount.amount = Money(Decimal("3216600.50"), "SEK")
    amount.save()
    client = client_for(make_user("kansli", **{A: "kansli"}))

    response = client.get(change_url(amount.line))
    html = response.content.decode()
    assert 'name="amounts-0-amount_0" value="3\xa0216\xa0600,50"' in html
    response = client.post(change_url(amount.line), form_data(response))

    assert response.status_code == 302, errors_of(response)
    amount.refresh_from_db()
    assert amount.amount == Money(Decimal("3216600.50"), "SEK")


def test_kansli_cannot_approve_a_plan_in_the_admin(association_a):
    plan = make_plan(association_a, 2025)
    client = client_for(make_user("kansli", **{A: "kansli"}))
    data = form_data(client.get(change_url(plan)))
    data.update({"status": "approved", "decided_on": "2024-12-12"})

    response = client.post(change_url(plan), data)

    assert response.status_code == 200
    assert errors_of(response) == [f"status: {APPROVAL_IS_THE_BOARDS}"]
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_approving_a_plan_without_a_decision_date_is_refused_in_swedish(
    association_a, admin_client
):
    plan = make_plan(association_a, 2025)
    client = admin_client
    data = form_data(client.get(change_url(plan)))
    data["status"] = "approved"

    response = client.post(change_url(plan), data)

    assert response.status_code == 200
    assert f"decided_on: {APPROVED_WITHOUT_DATE}" in errors_of(response)
    assert 'name="_save"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"


# ---------------------------------------------------------------------------------------------
# Access follows the roles.
# ---------------------------------------------------------------------------------------------


def test_kansli_sees_own_association_plans_and_not_another_associations(
    association_a, association_b
):
    own = make_full_plan(association_a, 2025, title="Plan för A")
    other = make_full_plan(association_b, 2025, title="Plan för B")
    client = client_for(make_user("kansli", **{A: "kansli"}))

    html = client.get(changelist_url(Plan)).content.decode()

    assert "Plan för A" in html
    assert "Plan för B" not in html
    assert "Förbund B" not in html  # not even in the association filter
    assert client.get(change_url(own)).status_code == 200
    assert client.get(change_url(other)).status_code == 404
    assert client.get(change_url(other.budget_groups.get())).status_code == 404
    assert client.get(change_url(association_b)).status_code == 404


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
def test_kansli_gets_404_for_another_associations_rows_of_every_model(
    model, association_a, association_b
):
    make_full_plan(association_a, 2025)
    make_full_plan(association_b, 2025)
    client = client_for(make_user("kansli", **{A: "kansli"}))
    own, other = (
        model.objects.get(**{_association_lookup(model): association.pk})
        for association in (association_a, association_b)
    )

    assert client.get(change_url(own)).status_code == 200
    assert client.get(change_url(other)).status_code == 404
    assert client.post(change_url(other), {}).status_code == 404


def _association_lookup(model: Any) -> str:
    path = association_path(model)
    return f"{path}__pk" if path else "pk"


def test_kansli_sees_the_add_page_but_cannot_place_a_plan_where_they_only_read(
    association_a, association_b
):
    client = client_for(make_user("kansli", **{A: "kansli", B: "styrelse"}))
    data = form_data(client.get(add_url(Plan)))
    data.update(
        {
            "association": association_b.pk,
            "year": "2025",
            "revision": "1",
            "title": "Verksamhetsplan och budget",
            "status": "draft",
            "opening_equity_0": "0",
            "opening_equity_1": "SEK",
            "display_unit": "kr",
        }
    )

    response = client.post(add_url(Plan), data)

    assert response.status_code == 200
    assert "association" in response.context["adminform"].form.errors
    assert not Plan.objects.exists()


def test_styrelse_member_can_view_a_plan_but_not_change_it(association_a):
    plan = make_full_plan(association_a, 2025, title="Originalet")
    client = client_for(make_user("ledamot", **{A: "styrelse"}))

    assert "Originalet" in client.get(changelist_url(Plan)).content.decode()
    response = client.get(change_url(plan))
    assert response.status_code == 200
    assert editable_controls(response.content.decode()) == []
    data = form_data(client_for(make_user("kansli", **{A: "kansli"})).get(change_url(plan)))
    data["title"] = "Ändrad"

    assert client.post(change_url(plan), data).status_code == 403
    assert client.get(add_url(Plan)).status_code == 403
    assert client.post(reverse("admin:plans_plan_delete", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Originalet"


def test_autocomplete_offers_only_the_users_associations(association_a, association_b):
    client = client_for(make_user("kansli", **{A: "kansli"}))

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "plans", "model_name": "plan", "field_name": "association", "term": "Förb"},
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Förbund A"]


def test_kansli_cannot_grant_access_to_the_association(association_a):
    client = client_for(make_user("kansli", **{A: "kansli"}))

    response = client.get(change_url(association_a))

    html = response.content.decode()
    assert 'name="name"' in html  # the association itself is editable
    assert 'name="memberships-__prefix__-role"' not in html
    assert 'name="members-__prefix__-name"' in html


def test_staff_user_without_membership_sees_no_domain_data(association_a):
    make_full_plan(association_a, 2025)
    client = client_for(make_user("utan"))

    assert client.get(changelist_url(Plan)).status_code == 403
    assert "Förbund A" not in client.get(reverse("admin:index")).content.decode()


# ---------------------------------------------------------------------------------------------
# An approved plan is read-only.
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def approved_plan(association_a) -> Plan:
    return make_full_plan(
        association_a, 2025, title="Fastställd", status="approved", decided_on=date(2024, 12, 12)
    )


@pytest.mark.parametrize("role", ["kansli", "superuser"])
def test_approved_plan_change_page_has_no_editable_inputs(role, approved_plan):
    user = make_user("u", **({A: "kansli"} if role == "kansli" else {}))
    user.is_superuser = role == "superuser"
    user.save()
    client = client_for(user)

    response = client.get(change_url(approved_plan))

    assert response.status_code == 200
    html = response.content.decode()
    assert editable_controls(html) == []
    assert "Fastställd" in html
    assert reverse("admin:plans_plan_delete", args=[approved_plan.pk]) not in html


def test_posting_to_an_approved_plan_changes_nothing(approved_plan, admin_client):
    draft = make_full_plan(approved_plan.association, 2026)
    data = form_data(admin_client.get(change_url(draft)))  # a complete, valid form
    data.update({"year": "2025", "title": "Ändrad", "status": "draft", "decided_on": ""})

    response = admin_client.post(change_url(approved_plan), data)

    assert response.status_code == 403
    approved_plan.refresh_from_db()
    assert (approved_plan.title, approved_plan.status) == ("Fastställd", "approved")
    delete = admin_client.post(
        reverse("admin:plans_plan_delete", args=[approved_plan.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Plan.objects.filter(pk=approved_plan.pk).exists()


def test_bulk_delete_of_an_approved_plan_is_refused(approved_plan, admin_client):
    response = admin_client.post(
        changelist_url(Plan),
        {"action": "delete_selected", "_selected_action": [approved_plan.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert Plan.objects.filter(pk=approved_plan.pk).exists()


@pytest.mark.parametrize("model", PLAN_ROW_MODELS, ids=lambda model: model._meta.label)
def test_rows_of_an_approved_plan_are_read_only(model, approved_plan, admin_client):
    row = model.objects.get(
        **{association_path(model).removesuffix("__association"): approved_plan}
    )

    response = admin_client.get(change_url(row))

    assert response.status_code == 200
    assert editable_controls(response.content.decode()) == []
    assert admin_client.post(change_url(row), {}).status_code == 403
    delete_url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[row.pk]
    )
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_rows_cannot_be_added_to_an_approved_plan(approved_plan, admin_client):
    data = form_data(admin_client.get(add_url(BudgetGroup)))
    data.update({"plan": approved_plan.pk, "kind": "administration", "name": "Kansli"})

    response = admin_client.post(add_url(BudgetGroup), data)

    assert response.status_code == 200
    assert "plan" in response.context["adminform"].form.errors
    assert approved_plan.budget_groups.count() == 1


# ---------------------------------------------------------------------------------------------
# Choices stay inside the plan's association.
# ---------------------------------------------------------------------------------------------


def test_share_for_a_member_of_another_association_is_refused_in_swedish(
    association_a, association_b
):
    plan = make_plan(association_a, 2025)
    foreign = association_b.members.first()
    client = client_for(make_user("kansli", **{A: "kansli", B: "kansli"}))

    response = client.get(change_url(plan))
    assert f'value="{foreign.pk}"' not in str(
        response.context["inline_admin_formsets"][0].formset.empty_form
    )
    data = form_data(response)
    add_row(data, "shares", member=foreign.pk, share_pct="50")
    response = client.post(change_url(plan), data)

    assert response.status_code == 200
    assert errors_of(response) == [f"shares-member: {MEMBER_NOT_IN_ASSOCIATION}"]
    assert str(MEMBER_NOT_IN_ASSOCIATION) in response.content.decode()
    assert not ContributionShare.objects.exists()


def test_share_for_a_member_of_another_association_is_refused_on_the_add_page(
    association_a, association_b
):
    foreign = association_b.members.first()
    client = client_for(make_user("kansli", **{A: "kansli", B: "kansli"}))
    data = form_data(client.get(add_url(Plan)))
    data.update(
        {
            "association": association_a.pk,
            "year": "2025",
            "revision": "1",
            "title": "Verksamhetsplan och budget",
            "status": "draft",
            "opening_equity_0": "0",
            "opening_equity_1": "SEK",
            "display_unit": "kr",
        }
    )
    add_row(data, "shares", member=foreign.pk, share_pct="50")

    response = client.post(add_url(Plan), data)

    assert response.status_code == 200
    assert errors_of(response) == [f"shares-member: {MEMBER_NOT_IN_ASSOCIATION}"]
    assert not Plan.objects.exists()


def test_amount_for_a_column_of_another_plan_is_refused(association_a):
    plan = make_full_plan(association_a, 2025)
    other_column = make_full_plan(association_a, 2026).budget_columns.get()
    line = BudgetLine.objects.get(group__plan=plan)
    client = client_for(make_user("kansli", **{A: "kansli"}))
    data = form_data(client.get(change_url(line)))
    data["amounts-0-column"] = str(other_column.pk)

    response = client.post(change_url(line), data)

    assert response.status_code == 200
    assert errors_of(response) == [f"amounts-column: {NOT_IN_PLAN}"]
    assert line.amounts.get().column.plan == plan


# ---------------------------------------------------------------------------------------------
# Query counts do not grow with the rows.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "queries"), [("superuser", 7), ("kansli", 10)])
def test_plan_changelist_query_count_is_the_same_for_2_and_20_plans(
    role, queries, association_a, django_assert_num_queries
):
    user = make_user("u", **({A: "kansli"} if role == "kansli" else {}))
    user.is_superuser = role == "superuser"
    user.save()
    client = client_for(user)
    url = changelist_url(Plan)

    for year in (2001, 2002):
        make_plan(association_a, year + 10)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200

    for year in range(2013, 2031):
        make_plan(association_a, year)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.context["cl"].result_count == 20


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
def test_every_domain_changelist_query_count_does_not_grow(model, association_a):
    client = client_for(make_user("kansli", **{A: "kansli"}))
    url = changelist_url(model)

    make_full_plan(association_a, 2024)
    make_full_plan(association_a, 2025)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for year in range(2026, 2031):
        make_full_plan(association_a, year)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.context["cl"].result_count > 2 or model is Association
    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------------
# The English catalogue.
# ---------------------------------------------------------------------------------------------


def translated_msgids(po_text: str) -> set[str]:
    """The msgids of a .po file that have a translation and are not marked fuzzy."""
    translated = set()
    for block in po_text.split("\n\n"):
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        parts: dict[str, str] = {}
        current = ""
        for line in block.splitlines():
            keyword = re.match(r'^(msgid|msgstr) (".*")$', line)
            if keyword:
                current = keyword.group(1)
                parts[current] = ast.literal_eval(keyword.group(2))
            elif line.startswith('"') and current:
                parts[current] += ast.literal_eval(line)
        if parts.get("msgid") and parts.get("msgstr") and not fuzzy:
            translated.add(parts["msgid"])
    return translated


def model_labels() -> set[str]:
    """Every verbose name, help text and choice label of the domain models, as written."""
    lazy: list[Promise] = []
    for app_label in sorted(DOMAIN_APPS):
        for model in apps.get_app_config(app_label).get_models():
            lazy += [model._meta.verbose_name, model._meta.verbose_name_plural]
            for model_field in model._meta.get_fields():
                lazy += [getattr(model_field, "verbose_name", None)]
                lazy += [getattr(model_field, "help_text", None)]
                lazy += [label for _value, label in getattr(model_field, "choices", None) or ()]
    with translation.override(None):
        return {str(text) for text in lazy if isinstance(text, Promise)}


def test_english_catalogue_translates_every_model_label():
    po_file = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
    labels = model_labels()

    assert "verksamhetsplan" in labels
    assert sorted(labels - translated_msgids(po_file.read_text(encoding="utf-8"))) == []
