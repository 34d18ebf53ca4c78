"""The budget grid: Swedish typing, the server's preview, structural changes, one-transaction saves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from budget.selectors import plan_summary
from finsam.formatting import DOT_IN_AMOUNT
from plans.editor.grid import NAME_REQUIRED, grid_from_post
from plans.editor.services import budget_grid_load, budget_grid_save
from plans.models import Plan
from tests.editor.conftest import user_with_role
from tests.editor.pages import FormData, form_fields
from tests.factories import BudgetColumnFactory, BudgetGroupFactory, MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def url(plan: Plan, name: str = "editor:budget") -> str:
    return reverse(name, args=[plan.pk])


def grid_form(client, plan: Plan) -> FormData:
    response = client.get(url(plan))
    assert response.status_code == 200
    return FormData(form_fields(response.content.decode(), "budget-form"))


def line(plan: Plan, name: str) -> BudgetLine:
    return BudgetLine.objects.get(group__plan=plan, name=name)


def column(plan: Plan, label: str) -> BudgetColumn:
    return BudgetColumn.objects.get(plan=plan, label=label)


def cell(plan: Plan, line_name: str, label: str) -> str:
    return f"line-{line(plan, line_name).pk}-amount-{column(plan, label).pk}"


def stored(plan: Plan, line_name: str, label: str) -> Decimal | None:
    amount = BudgetAmount.objects.filter(
        line=line(plan, line_name), column=column(plan, label)
    ).first()
    return amount.amount.amount if amount else None


# --- showing and saving ----------------------------------------------------------------------


def test_grid_shows_the_stored_amounts_as_typed_in_swedish(kansli_client, varna):
    form = grid_form(kansli_client, varna)
    assert form[cell(varna, "FK/AF", "2021 − 10 %")] == "3 216 600"
    assert form[cell(varna, "Personalkostnader", "2022")] == "2 113 596"
    assert form["opening_equity"] == "6 091 276"


def test_grid_shows_totals_result_and_equity_from_the_computation(kansli_client, varna):
    html = kansli_client.get(url(varna)).content.decode()
    summary = plan_summary(plan=varna)
    closing = summary.column("2022").closing_equity
    assert closing == Decimal("1862129")
    c2022 = column(varna, "2022").pk
    assert f'data-calc="ce-{c2022}">1{NBSP}862{NBSP}129</output>' in html
    assert f'data-calc="tc-{c2022}">' in html


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3 216 600", Decimal("3216600")),
        ("-2 068 098", Decimal("-2068098")),
        ("−2 068 098", Decimal("-2068098")),
        ("1,5", Decimal("1.5")),
        ("3216600 kr", Decimal("3216600")),
        (f"2{NBSP}213{NBSP}596", Decimal("2213596")),
    ],
)
def test_saving_accepts_swedish_typing(kansli_client, varna, typed, expected):
    form = grid_form(kansli_client, varna)
    form[cell(varna, "Personalkostnader", "2022")] = typed
    response = kansli_client.post(url(varna), form.post(op="save"))
    assert response.status_code == 302
    assert stored(varna, "Personalkostnader", "2022") == expected


def test_saving_moves_the_lines_version_on_and_leaves_the_others(kansli_client, varna):
    changed, untouched = line(varna, "Personalkostnader"), line(varna, "Revision")
    form = grid_form(kansli_client, varna)
    form[cell(varna, "Personalkostnader", "2022")] = "2 200 000"
    kansli_client.post(url(varna), form.post(op="save"))
    assert line(varna, "Personalkostnader").version == changed.version + 1
    assert line(varna, "Revision").version == untouched.version


def test_a_malformed_amount_keeps_the_text_shows_a_swedish_error_and_saves_nothing(
    kansli_client, varna
):
    form = grid_form(kansli_client, varna)
    name = cell(varna, "Personalkostnader", "2022")
    form[name] = "2.113.596"
    form[cell(varna, "Revision", "2022")] = "60 000"  # a good change beside it is not saved either
    response = kansli_client.post(url(varna), form.post(op="save"))
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="{name}" name="{name}" value="2.113.596"' in html
    assert (
        f'<span class="field-error" id="err-{name}" data-error-for="{name}">{DOT_IN_AMOUNT}</span>'
        in html
    )
    assert 'aria-invalid="true"' in html
    assert stored(varna, "Personalkostnader", "2022") == Decimal("2113596")
    assert stored(varna, "Revision", "2022") == Decimal("50000")


def test_a_new_line_without_a_name_is_refused_at_its_field(kansli_client, varna):
    form = grid_form(kansli_client, varna)
    group = BudgetGroup.objects.get(plan=varna, kind="administration")
    response = kansli_client.post(url(varna), form.post(op=f"add-line:{group.pk}"))
    form = FormData(form_fields(response.content.decode(), "budget-form"))
    new = [n for n in form.names("line-n") if n.endswith("-name")]
    assert new == ["line-n1-name"]
    form[f"line-n1-amount-{column(varna, '2022').pk}"] = "10 000"
    response = kansli_client.post(url(varna), form.post(op="save"))
    assert response.status_code == 400
    assert NAME_REQUIRED in response.content.decode()
    assert not BudgetLine.objects.filter(group=group, name="").exists()


# --- the preview -----------------------------------------------------------------------------


def test_preview_recomputes_totals_equity_and_checks_from_the_unsaved_grid(kansli_client, varna):
    form = grid_form(kansli_client, varna)
    form[cell(varna, "Personalkostnader", "2022")] = "4 113 596"  # two million more
    response = kansli_client.post(url(varna, "editor:budget_preview"), form.post())
    data = response.json()
    c2022 = column(varna, "2022").pk
    assert data["figures"][f"ce-{c2022}"] == f"−137{NBSP}871"  # 1 862 129 − 2 000 000
    assert data["errors"] == {}
    assert 'data-code="deficit_uncovered"' in data["checks"]
    assert 'data-code="deficit_uncovered"' not in kansli_client.get(url(varna)).content.decode()
    assert stored(varna, "Personalkostnader", "2022") == Decimal("2113596")  # nothing saved


def test_preview_reports_a_malformed_cell_and_counts_it_as_empty(kansli_client, varna):
    form = grid_form(kansli_client, varna)
    name = cell(varna, "Revision", "2022")
    form[name] = "femtio"
    data = kansli_client.post(url(varna, "editor:budget_preview"), form.post()).json()
    assert data["errors"] == {
        name: "”femtio” är inget belopp. Skriv till exempel 3 216 600 eller −2 068 098,50."
    }
    c2022 = column(varna, "2022").pk
    assert data["figures"][f"ce-{c2022}"] == f"1{NBSP}912{NBSP}129"  # 50 000 fewer costs


def test_preview_sums_the_sub_lines_of_a_line(kansli_client, varna):
    form = grid_form(kansli_client, varna)
    parent = line(varna, "Personalkostnader")
    response = kansli_client.post(url(varna), form.post(op=f"add-sub:{parent.pk}"))
    form = FormData(form_fields(response.content.decode(), "budget-form"))
    c2022 = column(varna, "2022").pk
    # The parent's amounts moved to its first sub-line; a second one adds to them.
    assert form[f"line-n1-amount-{c2022}"] == "2 113 596"
    assert f"line-{parent.pk}-amount-{c2022}" not in form
    response = kansli_client.post(url(varna), form.post(op=f"add-sub:{parent.pk}"))
    form = FormData(form_fields(response.content.decode(), "budget-form"))
    form[f"line-n2-amount-{c2022}"] = "100 000"
    data = kansli_client.post(url(varna, "editor:budget_preview"), form.post()).json()
    assert data["figures"][f"sum-{parent.pk}-{c2022}"] == f"2{NBSP}213{NBSP}596"


# --- structural changes ----------------------------------------------------------------------


def test_lines_move_within_and_across_groups_and_save_in_that_order(kansli_client, varna):
    admin = BudgetGroup.objects.get(plan=varna, kind="administration")
    first = line(varna, "Personalkostnader")
    form = grid_form(kansli_client, varna)
    response = kansli_client.post(url(varna), form.post(op=f"down-line:{first.pk}"))
    form = FormData(form_fields(response.content.decode(), "budget-form"))
    kansli_client.post(url(varna), form.post(op="save"))
    names = list(
        BudgetLine.objects.filter(group=admin).order_by("order").values_list("name", flat=True)
    )
    assert names[:2] == ["Övriga kostnader", "Personalkostnader"]

    # Up from the first line of a group goes on into the group before.
    other = line(varna, "Övriga kostnader")
    form = grid_form(kansli_client, varna)
    response = kansli_client.post(url(varna), form.post(op=f"up-line:{other.pk}"))
    form = FormData(form_fields(response.content.decode(), "budget-form"))
    kansli_client.post(url(varna), form.post(op="save"))
    moved = line(varna, "Övriga kostnader")
    assert moved.group.kind == "other_income"
    assert moved.version == other.version + 1


def test_columns_and_lines_are_added_and_deleted_in_one_save(kansli_client, varna):
    form = grid_form(kansli_client, varna)
    response = kansli_client.post(url(varna), form.post(op="add-col"))
    form = FormData(form_fields(response.content.decode(), "budget-form"))
    assert form["col-n1-label"] == "2024"
    assert form["col-n1-year"] == "2024"
    form[f"line-{line(varna, 'FK/AF').pk}-amount-n1"] = "3 900 000"
    old = column(varna, "2021 − 10 %")
    response = kansli_client.post(url(varna), form.post(op=f"del-col:{old.pk}"))
    form = FormData(form_fields(response.content.decode(), "budget-form"))
    gone = line(varna, "Revision")
    response = kansli_client.post(url(varna), form.post(op=f"del-line:{gone.pk}"))
    form = FormData(form_fields(response.content.decode(), "budget-form"))
    response = kansli_client.post(url(varna), form.post(op="save"))
    assert response.status_code == 302
    labels = list(
        BudgetColumn.objects.filter(plan=varna).order_by("order").values_list("label", flat=True)
    )
    assert labels == ["2022", "2023", "2024"]
    assert stored(varna, "FK/AF", "2024") == Decimal("3900000")
    assert not BudgetLine.objects.filter(group__plan=varna, name="Revision").exists()
    assert Plan.objects.get(pk=varna.pk).version == varna.version + 1


def test_two_columns_can_swap_their_labels(kansli_client, varna):
    form = grid_form(kansli_client, varna)
    a, b = column(varna, "2022"), column(varna, "2023")
    form[f"col-{a.pk}-label"], form[f"col-{b.pk}-label"] = "2023", "2022"
    assert kansli_client.post(url(varna), form.post(op="save")).status_code == 302
    assert BudgetColumn.objects.get(pk=a.pk).label == "2023"
    assert BudgetColumn.objects.get(pk=b.pk).label == "2022"


def test_a_column_label_twice_is_refused_at_the_field(kansli_client, varna):
    form = grid_form(kansli_client, varna)
    form[f"col-{column(varna, '2023').pk}-label"] = "2022"
    response = kansli_client.post(url(varna), form.post(op="save"))
    assert response.status_code == 400
    assert "Rubriken ”2022” finns redan" in response.content.decode()


# --- one transaction -------------------------------------------------------------------------


def big_plan(lines: int = 300) -> tuple[Plan, BudgetGroup, list[BudgetColumn]]:
    plan = PlanFactory()
    group = BudgetGroupFactory(plan=plan, kind="administration")
    columns = [BudgetColumnFactory(plan=plan, year=2021 + i, label=str(2021 + i)) for i in range(3)]
    made = BudgetLine.objects.bulk_create(
        [BudgetLine(group=group, name=f"Rad {i}", order=i) for i in range(lines)]
    )
    BudgetAmount.objects.bulk_create(
        [BudgetAmount(line=ln, column=c, amount=Decimal(1000)) for ln in made for c in columns]
    )
    return plan, group, columns


def every_amount_changed(client, plan: Plan) -> FormData:
    form = grid_form(client, plan)
    for name in form.names("line-"):
        if "-amount-" in name:
            form[name] = "2 000"
    return form


def test_a_300_line_budget_saves_in_one_transaction(client, django_assert_max_num_queries):
    plan, _, _ = big_plan()
    client.force_login(user_with_role(plan, "kansli"))
    form = every_amount_changed(client, plan)
    with django_assert_max_num_queries(40):
        response = client.post(url(plan), form.post(op="save"))
    assert response.status_code == 302
    amounts = set(
        BudgetAmount.objects.filter(line__group__plan=plan).values_list("amount", flat=True)
    )
    assert amounts == {Decimal(2000)}
    assert set(BudgetLine.objects.filter(group__plan=plan).values_list("version", flat=True)) == {2}


def test_a_failure_half_way_through_a_save_leaves_nothing_changed(client):
    plan, _, _ = big_plan()
    client.force_login(user_with_role(plan, "kansli"))
    form = every_amount_changed(client, plan)
    form[f"line-{BudgetLine.objects.filter(group__plan=plan).first().pk}-name"] = "Nytt namn"

    def fail_on_new_amounts(execute, sql, params, many, context):
        # The lines are written by now; the database refuses the amounts that follow.
        if 'UPDATE "budget_budgetamount"' in sql:
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_on_new_amounts), pytest.raises(DatabaseError):
        grid = grid_from_post(_querydict(form), plan_year=plan.year)
        grid.validate(project_ids=set(), member_ids=set())
        budget_grid_save(plan=plan, grid=grid)
    assert set(
        BudgetAmount.objects.filter(line__group__plan=plan).values_list("amount", flat=True)
    ) == {Decimal(1000)}
    assert BudgetAmount.objects.filter(line__group__plan=plan).count() == 900
    assert not BudgetLine.objects.filter(group__plan=plan, name="Nytt namn").exists()
    assert set(BudgetLine.objects.filter(group__plan=plan).values_list("version", flat=True)) == {1}


def _querydict(form: FormData):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in form.pairs:
        data.appendlist(key, value)
    return data


# --- two people ------------------------------------------------------------------------------


def test_the_later_save_of_the_same_line_is_refused_and_shows_the_other_change(client, varna):
    first, second = user_with_role(varna, "kansli"), user_with_role(varna, "kansli")
    client.force_login(first)
    mine = grid_form(client, varna)
    client.force_login(second)
    theirs = grid_form(client, varna)
    name = cell(varna, "Personalkostnader", "2022")
    theirs[name] = "2 500 000"
    assert client.post(url(varna), theirs.post(op="save")).status_code == 302

    client.force_login(first)
    mine[name] = "2 300 000"
    response = client.post(url(varna), mine.post(op="save"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Raden ”Personalkostnader” har ändrats av någon annan" in html
    assert (
        "Sparat av någon annan:</strong> Personalkostnader – 2021 − 10 %: 2 068 098; 2022: 2 500 000"
        in html
    )
    assert 'value="2 300 000"' in html  # what this person typed stays on the page
    assert stored(varna, "Personalkostnader", "2022") == Decimal("2500000")

    # Having seen it, saving again writes this person's amount.
    again = FormData(form_fields(html, "budget-form"))
    assert client.post(url(varna), again.post(op="save")).status_code == 302
    assert stored(varna, "Personalkostnader", "2022") == Decimal("2300000")


def test_saves_of_different_lines_both_stand(client, varna):
    first, second = user_with_role(varna, "kansli"), user_with_role(varna, "kansli")
    client.force_login(first)
    mine = grid_form(client, varna)
    client.force_login(second)
    theirs = grid_form(client, varna)
    theirs[cell(varna, "Revision", "2022")] = "70 000"
    client.post(url(varna), theirs.post(op="save"))

    client.force_login(first)
    mine[cell(varna, "Styrelse", "2022")] = "120 000"
    assert client.post(url(varna), mine.post(op="save")).status_code == 302
    assert stored(varna, "Revision", "2022") == Decimal("70000")  # not put back by the stale page
    assert stored(varna, "Styrelse", "2022") == Decimal("120000")


def test_deleting_a_line_someone_else_changed_is_refused(client, varna):
    first, second = user_with_role(varna, "kansli"), user_with_role(varna, "kansli")
    target = line(varna, "Revision")
    client.force_login(first)
    response = client.post(url(varna), grid_form(client, varna).post(op=f"del-line:{target.pk}"))
    mine = FormData(form_fields(response.content.decode(), "budget-form"))
    client.force_login(second)
    theirs = grid_form(client, varna)
    theirs[cell(varna, "Revision", "2022")] = "70 000"
    client.post(url(varna), theirs.post(op="save"))

    client.force_login(first)
    response = client.post(url(varna), mine.post(op="save"))
    assert response.status_code == 409
    assert (
        "Raden ”Revision”, som du tar bort, har ändrats av någon annan: Revision:"
        in response.content.decode()
    )
    assert BudgetLine.objects.filter(pk=target.pk).exists()


def test_a_column_change_meeting_another_column_change_is_refused(client, varna):
    first, second = user_with_role(varna, "kansli"), user_with_role(varna, "kansli")
    client.force_login(first)
    mine = grid_form(client, varna)
    client.force_login(second)
    theirs = grid_form(client, varna)
    theirs[f"col-{column(varna, '2023').pk}-label"] = "2023 prognos"
    client.post(url(varna), theirs.post(op="save"))

    client.force_login(first)
    mine[f"col-{column(varna, '2023 prognos').pk}-label"] = "2023 (budget)"
    response = client.post(url(varna), mine.post(op="save"))
    assert response.status_code == 409
    assert "kolumner 2021 − 10 %, 2022, 2023 prognos" in response.content.decode()
    assert BudgetColumn.objects.filter(plan=varna, label="2023 prognos").exists()


# --- queries ---------------------------------------------------------------------------------


def test_grid_page_queries_do_not_grow_with_the_budget(client, django_assert_num_queries):
    small, _, _ = big_plan(lines=3)
    large, _, _ = big_plan(lines=120)
    for plan in (small, large):
        client.force_login(user_with_role(plan, "kansli"))
        # session, user, plan, role, the budget input (8), line versions
        with django_assert_num_queries(13):
            assert client.get(url(plan)).status_code == 200


def test_preview_queries_do_not_grow_with_the_budget(client, django_assert_num_queries):
    plan, _, _ = big_plan(lines=120)
    client.force_login(user_with_role(plan, "kansli"))
    form = grid_form(client, plan)
    with django_assert_num_queries(12):
        assert client.post(url(plan, "editor:budget_preview"), form.post()).status_code == 200


def test_grid_load_reads_the_stored_budget(varna):
    grid = budget_grid_load(plan=varna)
    assert [c.label for c in grid.columns] == ["2021 − 10 %", "2022", "2023"]
    assert grid.lines[0].name == "FK/AF"
    assert all(line.orig == line.digest() for line in grid.lines)


def test_another_associations_kansli_cannot_reach_the_grid(client, varna):
    other = PlanFactory()
    user = user_with_role(other, "kansli")
    MembershipFactory(user=user, association=PlanFactory().association, role="kansli")
    client.force_login(user)
    assert client.get(url(varna)).status_code == 404
    assert client.post(url(varna, "editor:budget_preview"), {}).status_code == 404
