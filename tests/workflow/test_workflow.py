"""The way of a plan: draft → proposed → approved, sent back with a comment, revised after approval."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plans import workflow
from plans.models import Plan, PlanStatus
from plans.planfile import plan_export
from plans.workflow import (
    PlanLocked,
    TransitionNotAllowed,
    WorkflowPermissionDenied,
    ensure_plan_editable,
    plan_approve,
    plan_return_to_draft,
    plan_revise,
    plan_submit,
    plan_workflow_state,
    revised_title,
)
from plans.workflow_models import ArchivedPdf, PlanTransition
from tests.workflow.conftest import DECIDED_ON, api_client, build_plan, page_client

pytestmark = pytest.mark.django_db


def approve(plan, user, **overrides):
    fields = {"decided_on": DECIDED_ON, "minutes_paragraph": "§ 7", "dnr": "2024/17"}
    return plan_approve(plan=plan, by=user, **{**fields, **overrides})


# ---------------------------------------------------------------------------------------------
# The services
# ---------------------------------------------------------------------------------------------


def test_kansli_proposes_a_draft_and_the_board_approves_it(place, draft):
    proposed = plan_submit(plan=draft, by=place.users["kansli"])
    assert proposed.status == PlanStatus.PROPOSED

    approved = approve(proposed, place.users["styrelse"], minutes_paragraph="§ 12", dnr="2024/99")

    stored = Plan.objects.get(pk=draft.pk)
    assert (stored.status, stored.decided_on, stored.minutes_paragraph, stored.dnr) == (
        PlanStatus.APPROVED,
        DECIDED_ON,
        "§ 12",
        "2024/99",
    )
    assert approved.pk == draft.pk
    steps = list(PlanTransition.objects.filter(plan_id=draft.pk).values_list("action", "by_id"))
    assert steps == [("submit", place.users["kansli"].pk), ("approve", place.users["styrelse"].pk)]


def test_approval_archives_the_pdf_with_its_sha256_in_the_same_step(place, proposed):
    approve(proposed, place.users["styrelse"])

    archive = ArchivedPdf.objects.get(plan=proposed)
    content = bytes(archive.content)
    assert content.startswith(b"%PDF-")
    assert archive.sha256 == hashlib.sha256(content).hexdigest()
    assert archive.size == len(content)


def test_a_failed_pdf_leaves_the_plan_proposed(place, proposed, monkeypatch):
    def broken(*, plan):
        raise RuntimeError("typsättningen misslyckades")

    monkeypatch.setattr("plans.rendering.pdf.plan_pdf_bytes", broken)
    with pytest.raises(RuntimeError):
        approve(proposed, place.users["styrelse"])

    assert Plan.objects.get(pk=proposed.pk).status == PlanStatus.PROPOSED
    assert not ArchivedPdf.objects.filter(plan=proposed).exists()
    assert not PlanTransition.objects.filter(plan_id=proposed.pk).exists()


def test_the_board_sends_a_proposal_back_with_a_comment(place, proposed):
    plan = plan_return_to_draft(
        plan=proposed, by=place.users["styrelse"], comment="  Budgeten saknar revision.  "
    )

    assert plan.status == PlanStatus.DRAFT
    step = PlanTransition.objects.get(plan_id=proposed.pk)
    assert (step.action, step.from_status, step.to_status, step.comment) == (
        "return",
        "proposed",
        "draft",
        "Budgeten saknar revision.",
    )


def test_sending_back_needs_a_comment(place, proposed):
    with pytest.raises(ValidationError) as error:
        plan_return_to_draft(plan=proposed, by=place.users["styrelse"], comment="   ")

    assert error.value.message_dict == {"comment": [workflow.COMMENT_REQUIRED]}
    assert Plan.objects.get(pk=proposed.pk).status == PlanStatus.PROPOSED


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"decided_on": None}, {"decided_on": [workflow.DECIDED_ON_REQUIRED]}),
        (
            {"decided_on": timezone.localdate() + datetime.timedelta(days=2)},
            {"decided_on": [workflow.DECIDED_ON_IN_FUTURE]},
        ),
        ({"minutes_paragraph": " "}, {"minutes_paragraph": [workflow.MINUTES_REQUIRED]}),
        ({"dnr": ""}, {"dnr": [workflow.DNR_REQUIRED]}),
    ],
)
def test_approval_needs_the_whole_decision(place, proposed, fields, errors):
    with pytest.raises(ValidationError) as error:
        approve(proposed, place.users["styrelse"], **fields)

    assert error.value.message_dict == errors
    assert Plan.objects.get(pk=proposed.pk).status == PlanStatus.PROPOSED
    assert not ArchivedPdf.objects.exists()


@pytest.mark.parametrize(
    ("status", "step", "message"),
    [
        ("proposed", "submit", workflow.SUBMIT_NOT_DRAFT.format(status="förslag")),
        ("approved", "submit", workflow.SUBMIT_NOT_DRAFT.format(status="fastställd")),
        ("draft", "return", workflow.RETURN_NOT_PROPOSED.format(status="utkast")),
        ("approved", "return", workflow.RETURN_NOT_PROPOSED.format(status="fastställd")),
        ("draft", "approve", workflow.APPROVE_NOT_PROPOSED.format(status="utkast")),
        ("approved", "approve", workflow.APPROVE_NOT_PROPOSED.format(status="fastställd")),
        ("draft", "revise", workflow.REVISE_NOT_APPROVED.format(status="utkast")),
        ("proposed", "revise", workflow.REVISE_NOT_APPROVED.format(status="förslag")),
    ],
)
def test_a_step_the_status_does_not_allow_is_refused_with_a_swedish_reason(
    place, status, step, message
):
    plan = build_plan(place.association, place.members, status=status)
    users = place.users
    steps = {
        "submit": lambda: plan_submit(plan=plan, by=users["kansli"]),
        "return": lambda: plan_return_to_draft(plan=plan, by=users["styrelse"], comment="Nej."),
        "approve": lambda: approve(plan, users["styrelse"]),
        "revise": lambda: plan_revise(plan=plan, by=users["kansli"]),
    }

    with pytest.raises(TransitionNotAllowed) as error:
        steps[step]()

    assert error.value.message == message
    assert Plan.objects.get(pk=plan.pk).status == status
    assert Plan.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "step", "status"),
    [
        ("styrelse", "submit", "draft"),
        ("revisor", "submit", "draft"),
        ("other_kansli", "submit", "draft"),
        ("kansli", "approve", "proposed"),
        ("revisor", "approve", "proposed"),
        ("revisor", "return", "proposed"),
        ("styrelse", "revise", "approved"),
        ("revisor", "revise", "approved"),
    ],
)
def test_a_step_the_role_does_not_allow_is_refused(place, role, step, status):
    plan = build_plan(place.association, place.members, status=status)
    user = place.users[role]
    steps = {
        "submit": lambda: plan_submit(plan=plan, by=user),
        "return": lambda: plan_return_to_draft(plan=plan, by=user, comment="Nej."),
        "approve": lambda: approve(plan, user),
        "revise": lambda: plan_revise(plan=plan, by=user),
    }

    with pytest.raises(WorkflowPermissionDenied):
        steps[step]()

    assert Plan.objects.get(pk=plan.pk).status == status


def test_a_site_administrator_cannot_record_the_boards_decision(place, proposed):
    admin = place.users["kansli"].__class__.objects.create_superuser("admin", "a@example.se", "x")

    with pytest.raises(WorkflowPermissionDenied) as error:
        approve(proposed, admin)

    assert error.value.message == workflow.APPROVE_NOT_BOARD


# ---------------------------------------------------------------------------------------------
# Revision
# ---------------------------------------------------------------------------------------------


def test_revising_copies_everything_into_a_linked_draft_and_leaves_the_approved_plan(
    place, approved
):
    before = plan_export(plan=approved)
    stored_before = Plan.objects.filter(pk=approved.pk).values().get()

    revision = plan_revise(plan=approved, by=place.users["kansli"])

    assert (revision.revision, revision.revision_of_id, revision.status) == (
        2,
        approved.pk,
        PlanStatus.DRAFT,
    )
    assert revision.title == "Reviderad verksamhetsplan och budget"
    assert (revision.decided_on, revision.minutes_paragraph) == (None, "")
    copy = plan_export(plan=revision)
    original = plan_export(plan=approved)
    for part in (copy["plan"], original["plan"]):
        for key in ("revision", "title", "status", "decided_on", "minutes_paragraph"):
            part.pop(key)
    assert copy == original
    assert plan_export(plan=approved) == before
    assert Plan.objects.filter(pk=approved.pk).values().get() == stored_before
    step = PlanTransition.objects.get(plan_id=approved.pk, action="revise")
    assert step.revision_id == revision.pk


def test_only_the_latest_revision_can_be_revised(place, approved):
    plan_revise(plan=approved, by=place.users["kansli"])

    with pytest.raises(TransitionNotAllowed) as error:
        plan_revise(plan=approved, by=place.users["kansli"])

    assert error.value.message == workflow.REVISE_NOT_LATEST.format(revision=2)
    assert Plan.objects.filter(association=place.association).count() == 2


def test_a_revision_goes_through_the_workflow_on_its_own(place, approved):
    revision = plan_revise(plan=approved, by=place.users["kansli"])
    plan_submit(plan=revision, by=place.users["kansli"])
    approve(revision, place.users["styrelse"], minutes_paragraph="§ 30")

    assert ArchivedPdf.objects.filter(plan__in=[approved, revision]).count() == 2
    assert Plan.objects.get(pk=approved.pk).minutes_paragraph == "§ 7"
    assert plan_revise(plan=revision, by=place.users["kansli"]).revision == 3


@pytest.mark.parametrize(
    ("title", "revised"),
    [
        ("Verksamhetsplan och budget", "Reviderad verksamhetsplan och budget"),
        ("Reviderad verksamhetsplan", "Reviderad verksamhetsplan"),
        ("VP 2025", "Reviderad vP 2025"),
    ],
)
def test_a_revision_is_titled_reviderad(title, revised):
    assert revised_title(title) == revised


# ---------------------------------------------------------------------------------------------
# The guard
# ---------------------------------------------------------------------------------------------


def test_the_guard_refuses_an_approved_plan_with_the_swedish_message(place):
    plan = build_plan(place.association, place.members, status=PlanStatus.APPROVED)

    with pytest.raises(PlanLocked) as error:
        ensure_plan_editable(plan)

    assert str(error.value) == (
        "Planen är fastställd och kan inte ändras. Skapa en revidering för att ändra den."
    )
    ensure_plan_editable(build_plan(place.association, place.members, year=2026))
    ensure_plan_editable(None)


def test_the_guard_reads_the_stored_status_not_the_edited_one(place, approved):
    approved.status = PlanStatus.DRAFT  # an edit in memory does not unlock it

    with pytest.raises(PlanLocked):
        ensure_plan_editable(approved)
    with pytest.raises(PlanLocked):
        ensure_plan_editable(approved.pk)


def test_plan_locked_is_what_the_api_and_the_pages_already_refuse():
    from django.core.exceptions import PermissionDenied

    from plans.services import PlanLockedError

    assert issubclass(PlanLocked, PlanLockedError)
    assert issubclass(PlanLocked, PermissionDenied)


# ---------------------------------------------------------------------------------------------
# What the page and the API show
# ---------------------------------------------------------------------------------------------


def test_the_workflow_state_names_the_steps_each_role_may_take(place, proposed):
    allowed = {
        role: plan_workflow_state(plan=proposed, user=place.users[role]).allowed
        for role in ("kansli", "styrelse", "revisor")
    }

    assert allowed == {"kansli": ["return"], "styrelse": ["approve", "return"], "revisor": []}


def test_the_workflow_state_takes_two_queries(place, approved, django_assert_num_queries):
    with django_assert_num_queries(2):
        state = plan_workflow_state(plan=approved, user=place.users["kansli"])

    assert state.archive.sha256 == ArchivedPdf.objects.get(plan=approved).sha256
    assert state.allowed == ["revise"]


def test_the_pages_take_a_plan_from_draft_to_approved(place, draft):
    kansli, board = page_client(place.users["kansli"]), page_client(place.users["styrelse"])

    response = kansli.post(reverse("plans:plan_submit", args=[draft.pk]))
    assert response.status_code == 302
    assert board.get(reverse("plans:plan_approve", args=[draft.pk])).status_code == 200
    response = board.post(
        reverse("plans:plan_approve", args=[draft.pk]),
        {"decided_on": "2024-12-12", "minutes_paragraph": "12", "dnr": "2024/17"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan_detail", args=[draft.pk])
    stored = Plan.objects.get(pk=draft.pk)
    assert (stored.status, stored.minutes_paragraph) == (PlanStatus.APPROVED, "§ 12")


def test_the_return_page_asks_for_a_comment_and_refuses_a_blank_one(place, proposed):
    board = page_client(place.users["styrelse"])
    url = reverse("plans:plan_return", args=[proposed.pk])

    response = board.post(url, {"comment": ""})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["comment"]
    response = board.post(url, {"comment": "Tidplanen saknas."})

    assert response.status_code == 302
    assert PlanTransition.objects.get(plan_id=proposed.pk).comment == "Tidplanen saknas."


def test_a_page_step_the_status_does_not_allow_answers_409_with_the_reason(place, draft):
    board = page_client(place.users["styrelse"])

    response = board.post(
        reverse("plans:plan_approve", args=[draft.pk]),
        {"decided_on": "2024-12-12", "minutes_paragraph": "§ 1", "dnr": "1"},
    )

    assert response.status_code == 409
    assert "Bara ett förslag kan fastställas. Planen är utkast." in response.content.decode()
    assert board.get(reverse("plans:plan_approve", args=[draft.pk])).status_code == 409


def test_a_page_step_the_role_does_not_allow_answers_403(place, proposed):
    kansli = page_client(place.users["kansli"])

    assert kansli.get(reverse("plans:plan_approve", args=[proposed.pk])).status_code == 403
    response = kansli.post(
        reverse("plans:plan_approve", args=[proposed.pk]),
        {"decided_on": "2024-12-12", "minutes_paragraph": "§ 1", "dnr": "1"},
    )
    assert response.status_code == 403
    assert Plan.objects.get(pk=proposed.pk).status == PlanStatus.PROPOSED


def test_revising_on_the_page_leads_to_the_new_draft(place, approved):
    response = page_client(place.users["kansli"]).post(
        reverse("plans:plan_revise", args=[approved.pk])
    )

    revision = Plan.objects.get(revision_of=approved)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan_detail", args=[revision.pk])


def test_the_api_takes_a_plan_from_draft_to_approved_and_shows_the_hash(place, draft):
    kansli = api_client(place.users["kansli"], token=True)
    board = api_client(place.users["styrelse"], token=True)

    response = kansli.post(f"/api/v1/plans/{draft.pk}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "proposed"
    response = board.post(
        f"/api/v1/plans/{draft.pk}/approve/",
        {"decided_on": "2024-12-12", "minutes_paragraph": "§ 12", "dnr": "2024/17"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved"
    assert body["archive"]["sha256"] == ArchivedPdf.objects.get(plan=draft).sha256
    assert [step["action"] for step in body["transitions"]] == ["approve", "submit"]


def test_the_api_answers_409_for_a_step_the_status_does_not_allow(place, draft):
    response = api_client(place.users["styrelse"]).post(
        f"/api/v1/plans/{draft.pk}/approve/",
        {"decided_on": "2024-12-12", "minutes_paragraph": "§ 12", "dnr": "2024/17"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Bara ett förslag kan fastställas. Planen är utkast.",
        "code": "transition_not_allowed",
    }


def test_the_api_answers_403_for_a_step_the_role_does_not_allow(place, proposed):
    response = api_client(place.users["revisor"]).post(
        f"/api/v1/plans/{proposed.pk}/return/", {"comment": "Nej."}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"] == workflow.RETURN_NOT_ALLOWED


def test_the_api_answers_400_for_an_incomplete_decision(place, proposed):
    response = api_client(place.users["styrelse"]).post(
        f"/api/v1/plans/{proposed.pk}/approve/",
        {"decided_on": None, "minutes_paragraph": "", "dnr": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "decided_on": [workflow.DECIDED_ON_REQUIRED],
        "minutes_paragraph": [workflow.MINUTES_REQUIRED],
    }


def test_the_api_revises_an_approved_plan(place, approved):
    response = api_client(place.users["kansli"]).post(f"/api/v1/plans/{approved.pk}/revise/")

    assert response.status_code == 201
    body = response.json()
    assert (body["revision"], body["revision_of"], body["status"]) == (2, approved.pk, "draft")


def test_another_associations_plan_is_404_for_the_workflow(place, proposed):
    other = place.users["other_kansli"]

    assert api_client(other).get(f"/api/v1/plans/{proposed.pk}/workflow/").status_code == 404
    assert api_client(other).post(f"/api/v1/plans/{proposed.pk}/submit/").status_code == 404
    assert (
        page_client(other).post(reverse("plans:plan_return", args=[proposed.pk])).status_code == 404
    )
