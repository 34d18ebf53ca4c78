"""The audit trail: every change of plan data with who, when, what and through which door.

On PostgreSQL the database's triggers record; elsewhere the signals do. The tests that hold for
both run on either; those about what only triggers can see (``QuerySet.update()``, raw SQL,
refusals by the database itself) run on PostgreSQL and say so when skipped.
"""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from budget.models import BudgetAmount, BudgetLine
from plans.audit.context import Door, audit_context
from plans.history import AUDITED, AppendOnlyError, AuditEvent, trigger_specs
from plans.models import Member, Plan, PlanStatus, Section
from plans.planfile import plan_export
from plans.services import plan_delete
from plans.workflow import plan_submit
from tests.workflow.conftest import api_client, build_place, build_plan, page_client

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="Only PostgreSQL records through triggers; SQLite records through signals, which "
    "QuerySet.update(), bulk writes and raw SQL bypass (run with DATABASE_URL=postgres://…).",
)


def events_of(row, pk: int | None = None) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(model=row._meta.label_lower, object_id=pk or row.pk).order_by(
            "id"
        )
    )


# ---------------------------------------------------------------------------------------------
# What is recorded (either database)
# ---------------------------------------------------------------------------------------------


def test_insert_update_and_delete_are_recorded_with_who_how_and_the_values(place, draft):
    line = BudgetLine.objects.get(group__plan=draft, name="Personal")
    amount = BudgetAmount.objects.get(line=line)
    user = place.users["kansli"]
    pk = amount.pk

    with audit_context(user=user, door=Door.SHELL, ip="10.1.2.3"):
        amount.amount = Decimal("412500.50")
        amount.save()
        amount.delete()

    insert, update, delete = events_of(amount, pk)
    assert insert.action == "insert" and insert.user_id is None
    assert (update.action, update.user_id, update.door, update.ip) == (
        "update",
        user.pk,
        "shell",
        "10.1.2.3",
    )
    assert (update.plan_id, update.association_id) == (draft.pk, draft.association_id)
    assert update.changed_columns() == ["amount"]
    assert (update.old["amount"], update.new["amount"]) == ("400000.00", "412500.50")
    assert delete.action == "delete" and delete.new is None
    assert delete.old["amount"] == "412500.50" and delete.plan_id == draft.pk
    assert timezone.now() - delete.at < datetime.timedelta(minutes=1)


def test_a_save_that_changes_nothing_records_nothing(draft):
    section = Section.objects.get(plan=draft)
    before = len(events_of(section))

    Section.objects.get(pk=section.pk).save()

    assert len(events_of(section)) == before


def test_rows_of_every_part_of_a_plan_are_recorded_with_their_plan(place, draft):
    labels = set(
        AuditEvent.objects.filter(plan_id=draft.pk, action="insert").values_list("model", flat=True)
    )

    assert labels == set(AUDITED) - {
        "plans.association",
        "plans.member",
        "plans.membership",
        "plans.archivedpdf",
    }


def test_a_status_change_is_recorded_with_the_user_and_the_page_door(place, draft):
    response = page_client(place.users["kansli"]).post(
        reverse("plans:plan_submit", args=[draft.pk])
    )
    assert response.status_code == 302

    event = events_of(draft)[-1]
    assert (event.old["status"], event.new["status"]) == ("draft", "proposed")
    assert (event.user_id, event.door, event.ip) == (place.users["kansli"].pk, "page", "127.0.0.1")


def test_an_api_write_with_a_token_is_recorded_with_its_user_and_the_api_door(place, draft):
    section = Section.objects.get(plan=draft)
    client = api_client(place.users["kansli"], token=True)

    response = client.patch(f"/api/v1/sections/{section.pk}/", {"title": "Om oss"}, format="json")
    assert response.status_code == 200

    event = events_of(section)[-1]
    assert (event.action, event.new["title"]) == ("update", "Om oss")
    assert (event.user_id, event.door) == (place.users["kansli"].pk, "api")


def test_an_admin_write_is_recorded_with_the_admin_door(place, draft):
    admin = place.users["kansli"].__class__.objects.create_superuser("admin", "a@example.se", "x")
    goal = draft.goal_areas.get().goals.get()
    pk = goal.pk

    response = page_client(admin).post(
        reverse("admin:goals_goal_delete", args=[pk]), {"post": "yes"}
    )
    assert response.status_code == 302

    deleted = AuditEvent.objects.filter(action="delete", door="admin", user_id=admin.pk)
    assert set(deleted.values_list("model", flat=True)) == {
        "goals.goal",
        "goals.target",
        "goals.outcome",
    }
    event = events_of(goal, pk)[-1]
    assert (event.action, event.plan_id, event.association_id) == (
        "delete",
        draft.pk,
        place.association.pk,
    )


def test_a_change_of_a_member_is_recorded_for_the_association(place, draft):
    member = Member.objects.create(
        association=place.association, name="Vilande", kind="municipality"
    )
    with audit_context(user=place.users["kansli"]):
        member.name = "Ny kommun"
        member.save()

    event = events_of(member)[-1]
    assert (event.plan_id, event.association_id) == (None, place.association.pk)
    assert AuditEvent.objects.for_plan(draft).filter(pk=event.pk).exists()


def test_the_import_command_is_recorded_through_the_import_door(place, tmp_path, monkeypatch):
    from plans.planfile import plan_export_bytes

    plan = build_plan(place.association, place.members, year=2030)
    path = tmp_path / "plan.json"
    path.write_bytes(plan_export_bytes(plan=plan))
    plan_delete(plan=plan)
    monkeypatch.setattr(sys, "argv", ["manage.py", "import_plan", str(path)])

    call_command("import_plan", str(path))

    imported = Plan.objects.get(association=place.association, year=2030)
    assert events_of(imported)[0].door == "import"


def test_deleting_a_draft_records_every_row_and_keeps_the_history(place):
    plan = build_plan(place.association, place.members, year=2031)
    plan_id = plan.pk
    inserted = AuditEvent.objects.filter(plan_id=plan_id, action="insert").count()

    with audit_context(user=place.users["kansli"]):
        plan_delete(plan=plan)

    deleted = AuditEvent.objects.filter(plan_id=plan_id, action="delete")
    assert not Plan.objects.filter(pk=plan_id).exists()
    assert deleted.count() == inserted
    assert set(deleted.values_list("user_id", flat=True)) == {place.users["kansli"].pk}


# ---------------------------------------------------------------------------------------------
# Only triggers see it (PostgreSQL)
# ---------------------------------------------------------------------------------------------


@needs_postgres
def test_a_queryset_update_is_recorded_with_the_user_of_the_context(place, draft):
    user = place.users["kansli"]

    with audit_context(user=user, door=Door.SHELL):
        changed = BudgetAmount.objects.filter(line__group__plan=draft).update(amount=Decimal(7))

    events = AuditEvent.objects.filter(
        model="budget.budgetamount", action="update", plan_id=draft.pk
    )
    assert changed == 2 and events.count() == 2
    assert {(event.user_id, event.door, event.new["amount"]) for event in events} == {
        (user.pk, "shell", "7.00")
    }


@needs_postgres
def test_a_raw_sql_update_is_recorded_with_the_user_of_the_context(place, draft):
    user = place.users["styrelse"]
    section = Section.objects.get(plan=draft)

    with audit_context(user=user, door=Door.SHELL, ip="192.0.2.7"), connection.cursor() as cursor:
        cursor.execute("UPDATE plans_section SET title = %s WHERE id = %s", ["Rått", section.pk])
        assert cursor.rowcount == 1

    event = events_of(section)[-1]
    assert (event.action, event.old["title"], event.new["title"]) == ("update", "Inledning", "Rått")
    assert (event.user_id, event.door, event.ip) == (user.pk, "shell", "192.0.2.7")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_sql_from_outside_django_is_recorded_through_the_sql_door():
    import psycopg2

    place = build_place()
    draft = build_plan(place.association, place.members)
    section = Section.objects.get(plan=draft)
    settings = connection.settings_dict

    # Another client than Django (psql, a script): its own connection, no audit context.
    outside = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    try:
        with outside, outside.cursor() as cursor:
            cursor.execute("UPDATE plans_section SET title = 'Utifrån' WHERE id = %s", [section.pk])
    finally:
        outside.close()

    event = events_of(section)[-1]
    assert (event.new["title"], event.user_id, event.door, event.ip) == (
        "Utifrån",
        None,
        "sql",
        None,
    )


@needs_postgres
def test_bulk_writes_are_recorded(place, draft):
    area = draft.goal_areas.get()
    with audit_context(user=place.users["kansli"]):
        created = Section.objects.bulk_create(
            [Section(plan=draft, title=f"Avsnitt {n}", order=n) for n in range(3)]
        )
        Section.objects.filter(pk__in=[section.pk for section in created]).delete()

    for section in created:
        assert [event.action for event in events_of(section)] == ["insert", "delete"]
    assert area.pk  # the plan's other rows are untouched


@needs_postgres
def test_the_database_refuses_to_update_or_delete_history(draft):
    event = AuditEvent.objects.filter(plan_id=draft.pk).first()

    for statement in (
        "UPDATE plans_auditevent SET user_id = 1 WHERE id = %s",
        "DELETE FROM plans_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="kan bara läggas till"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).user_id is None


@needs_postgres
def test_every_audited_table_has_the_trigger_the_models_describe():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgargs FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'finsam_audit'"
        )
        installed = {
            table: tuple(bytes(args).decode().split("\x00")[:-1])
            for table, args in cursor.fetchall()
        }
        cursor.execute("SELECT pg_get_functiondef('finsam_audit_row'::regproc)")
        (function,) = cursor.fetchone()

    specs = trigger_specs()
    assert installed == {spec.table: spec.args() for spec in specs}
    for spec in specs:
        if spec.lookup:
            select = spec.lookup.replace("$1", "via_id").replace(
                " FROM ", " INTO found_plan FROM ", 1
            )
            assert f"WHEN '{spec.table}' THEN\n                {select};" in function


# ---------------------------------------------------------------------------------------------
# Append-only (either database)
# ---------------------------------------------------------------------------------------------


def test_history_cannot_be_changed_or_deleted_through_the_orm(draft):
    event = AuditEvent.objects.filter(plan_id=draft.pk).first()

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(user_id=1)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.user_id = 1
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.get(pk=event.pk).user_id is None


def test_the_database_refuses_to_update_history(draft):
    event = AuditEvent.objects.filter(plan_id=draft.pk).first()

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE plans_auditevent SET user_id = 1 WHERE id = %s", [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).user_id is None


def test_the_admin_offers_no_way_to_change_the_history():
    from django.contrib import admin

    from plans.workflow_models import ArchivedPdf, PlanTransition

    for model in (AuditEvent, PlanTransition, ArchivedPdf):
        model_admin = admin.site._registry.get(model)
        if model_admin is not None:  # registered read-only, if at all
            assert not model_admin.has_change_permission(None)
            assert not model_admin.has_delete_permission(None)


def test_a_plans_history_holds_nothing_of_another_association(place, draft):
    other = build_plan(place.other_association, list(place.other_association.members.all()))
    with audit_context(user=place.users["other_kansli"]):
        Section.objects.filter(plan=other).get().delete()
        Member.objects.filter(association=place.other_association).update(order=9)

    events = AuditEvent.objects.for_plan(draft)

    assert not events.filter(association_id=place.other_association.pk).exists()
    assert not events.filter(plan_id=other.pk).exists()
    assert events.exists()


def test_every_model_holding_plan_data_is_audited():
    """A new model of plan data must be added to AUDITED (and get its trigger)."""
    not_audited = {"plans.auditevent", "plans.plantransition"}
    project_apps = {"plans", "budget", "goals"}
    for config in apps.get_app_configs():
        for model in config.get_models():
            label = model._meta.label_lower
            reaches_plan = any(
                field.is_relation
                and field.many_to_one
                and field.related_model is not None
                and field.related_model._meta.label_lower in AUDITED
                for field in model._meta.concrete_fields
            )
            if (config.label in project_apps or reaches_plan) and label not in not_audited:
                assert label in AUDITED, f"{label} holds plan data but is not in AUDITED"


# ---------------------------------------------------------------------------------------------
# The history page
# ---------------------------------------------------------------------------------------------


def test_every_role_reads_the_history_page_of_its_own_plans(place, draft):
    url = reverse("plans:plan_history", args=[draft.pk])

    for role in ("revisor", "styrelse", "kansli"):
        response = page_client(place.users[role]).get(url)
        assert response.status_code == 200
        assert "Ändringshistorik" in response.content.decode()
    assert page_client(place.users["other_kansli"]).get(url).status_code == 404
    assert page_client().get(url).status_code == 302


def test_the_history_page_shows_old_and_new_values_in_swedish(place, draft):
    section = Section.objects.get(plan=draft)
    with audit_context(user=place.users["kansli"], door=Door.API):
        section.title = "Om förbundet"
        section.save()

    html = (
        page_client(place.users["revisor"])
        .get(
            reverse("plans:plan_history", args=[draft.pk]),
            {"model": "plans.section", "action": "update"},
        )
        .content.decode()
    )

    assert "Rubrik</span>:\n                Inledning → Om förbundet" in html
    assert "API" in html
    assert "1 händelse<" in html


def test_the_history_page_filters_by_user_door_and_day(place, draft):
    kansli = place.users["kansli"]
    with audit_context(user=kansli, door=Door.API):
        Section.objects.create(plan=draft, title="Nytt avsnitt")
    url = reverse("plans:plan_history", args=[draft.pk])
    client = page_client(place.users["revisor"])
    today = timezone.localdate()

    by_user = client.get(url, {"user": kansli.pk})
    by_door = client.get(url, {"door": "api"})
    yesterday = client.get(url, {"until": (today - datetime.timedelta(days=1)).isoformat()})
    today_only = client.get(url, {"since": today.isoformat(), "until": today.isoformat()})

    assert [row["event"].new["title"] for row in by_user.context["rows"]] == ["Nytt avsnitt"]
    assert [row["event"].door for row in by_door.context["rows"]] == ["api"]
    assert yesterday.context["page"].paginator.count == 0
    assert today_only.context["page"].paginator.count == AuditEvent.objects.for_plan(draft).count()


def test_the_history_page_takes_the_same_queries_for_few_and_many_events(
    place, draft, django_assert_num_queries
):
    client = page_client(place.users["revisor"])
    url = reverse("plans:plan_history", args=[draft.pk])
    with audit_context(user=place.users["kansli"]):
        Section.objects.create(plan=draft, title="Första")
    # session, user, plan, the filter's users (ids, names), count, events, the events' users
    queries = 8

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    with audit_context(user=place.users["kansli"]):
        for n in range(30):
            Section.objects.create(plan=draft, title=f"Avsnitt {n}")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------------------------------------
# The history endpoint
# ---------------------------------------------------------------------------------------------


def test_the_history_endpoint_is_paginated_and_filterable(place, draft):
    section = Section.objects.get(plan=draft)
    with audit_context(user=place.users["kansli"], door=Door.API):
        section.title = "Ny rubrik"
        section.save()
    client = api_client(place.users["revisor"], token=True)
    url = f"/api/v1/plans/{draft.pk}/history/"

    everything = client.get(url, {"page_size": 5}).json()
    filtered = client.get(url, {"model": "plans.section", "action": "update"}).json()

    assert everything["count"] == AuditEvent.objects.for_plan(draft).count()
    assert len(everything["results"]) == 5 and everything["next"]
    (event,) = filtered["results"]
    assert event["user"] == {"id": place.users["kansli"].pk, "name": place.users["kansli"].username}
    assert (event["door"], event["object_id"], event["model_name"]) == (
        "api",
        section.pk,
        "Avsnitt",
    )
    assert event["changes"] == [
        {"column": "title", "label": "rubrik", "old": "Inledning", "new": "Ny rubrik"}
    ]
    assert client.get(url, {"user": place.users["styrelse"].pk}).json()["count"] == 0
    assert client.get(url, {"door": "nope"}).status_code == 400


def test_the_history_endpoint_is_read_only_and_scoped(place, draft):
    url = f"/api/v1/plans/{draft.pk}/history/"

    assert api_client(place.users["kansli"]).post(url, {}).status_code == 405
    assert api_client(place.users["kansli"]).delete(url).status_code == 405
    assert api_client(place.users["other_kansli"]).get(url).status_code == 404
    assert api_client().get(url).status_code == 401


def test_the_history_shows_the_status_changes_of_the_workflow(place, draft):
    with audit_context(user=place.users["kansli"], door=Door.PAGE):
        plan_submit(plan=draft, by=place.users["kansli"])

    results = (
        api_client(place.users["revisor"])
        .get(f"/api/v1/plans/{draft.pk}/history/", {"model": "plans.plan", "action": "update"})
        .json()["results"]
    )
    status = next(c for c in results[0]["changes"] if c["column"] == "status")
    assert (status["old"], status["new"]) == ("utkast", "förslag")


def test_the_export_of_a_plan_is_unchanged_by_reading_its_history(place, draft):
    before = plan_export(plan=draft)
    api_client(place.users["revisor"]).get(f"/api/v1/plans/{draft.pk}/history/")
    page_client(place.users["revisor"]).get(reverse("plans:plan_history", args=[draft.pk]))

    assert plan_export(plan=draft) == before
    assert Plan.objects.get(pk=draft.pk).status == PlanStatus.DRAFT
