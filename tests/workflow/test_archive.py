"""The approved plan's PDF is produced once, archived with its SHA-256, and served as archived."""

from __future__ import annotations

import hashlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from plans.history import AppendOnlyError
from plans.models import Association, Member, PlanStatus, Section
from plans.rendering.pdf import plan_pdf_bytes
from plans.workflow import archived_pdf_of, plan_pdf_for_download
from plans.workflow_models import ArchivedPdf
from tests.workflow.conftest import api_client, build_plan, page_client

pytestmark = pytest.mark.django_db


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def download(client, plan) -> tuple[bytes, str]:
    response = client.get(f"/api/v1/plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content, response["X-Content-SHA256"]


def test_the_downloaded_pdf_is_the_archive_before_and_after_edits_elsewhere(place, approved):
    archive = ArchivedPdf.objects.get(plan=approved)
    client = api_client(place.users["revisor"], token=True)

    first, header = download(client, approved)
    assert sha256(first) == archive.sha256 == header

    # Edits elsewhere in the association: another plan, the association, a member the approved
    # plan names. A fresh rendering would now differ; the download must not.
    other = build_plan(place.association, place.members, year=2026)
    Section.objects.filter(plan=other).update(title="Annan plan")
    Association.objects.filter(pk=place.association.pk).update(vision="En ny vision.")
    Member.objects.filter(pk=place.members[0].pk).update(name="Försäkringskassan (nytt namn)")
    assert sha256(plan_pdf_bytes(plan=approved)) != archive.sha256

    second, header = download(client, approved)
    assert second == first
    assert sha256(second) == archive.sha256 == header
    assert sha256(plan_pdf_for_download(plan=approved)) == archive.sha256


def test_the_workflow_endpoint_shows_the_hash_of_the_downloaded_bytes(place, approved):
    client = api_client(place.users["revisor"])

    state = client.get(f"/api/v1/plans/{approved.pk}/workflow/").json()
    content, _header = download(client, approved)

    assert state["archive"]["sha256"] == sha256(content)
    assert state["archive"]["size"] == len(content)


def test_the_plan_page_shows_the_hash(place, approved):
    response = page_client(place.users["styrelse"]).get(
        reverse("plans:plan_detail", args=[approved.pk])
    )

    assert response.status_code == 200
    assert ArchivedPdf.objects.get(plan=approved).sha256 in response.content.decode()


def test_the_pdf_page_serves_the_archived_bytes(place, approved):
    archive = ArchivedPdf.objects.get(plan=approved)
    Member.objects.filter(pk=place.members[1].pk).update(name="Region (nytt namn)")

    response = page_client(place.users["revisor"]).get(
        reverse("plans:plan_pdf", args=[approved.pk])
    )

    assert response.status_code == 200
    assert sha256(response.content) == archive.sha256


def test_a_plan_approved_without_an_archive_is_archived_on_its_first_download(place):
    plan = build_plan(place.association, place.members, status=PlanStatus.APPROVED)
    assert archived_pdf_of(plan=plan) is None

    first = plan_pdf_for_download(plan=plan)
    Member.objects.filter(pk=place.members[2].pk).update(name="Kommunen (nytt namn)")
    second = plan_pdf_for_download(plan=plan)

    assert first == second
    assert archived_pdf_of(plan=plan).sha256 == sha256(first)
    assert ArchivedPdf.objects.filter(plan=plan).count() == 1


def test_a_plan_not_yet_approved_is_rendered_fresh_and_not_archived(place, draft):
    content = plan_pdf_for_download(plan=draft)

    assert content.startswith(b"%PDF-")
    assert not ArchivedPdf.objects.exists()


def test_an_archived_pdf_cannot_be_changed(approved):
    archive = ArchivedPdf.objects.get(plan=approved)
    archive.content = b"%PDF-forged"

    with pytest.raises(AppendOnlyError):
        archive.save()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE plans_archivedpdf SET sha256 = %s WHERE id = %s", ["0" * 64, archive.pk]
        )

    assert bytes(ArchivedPdf.objects.get(pk=archive.pk).content).startswith(b"%PDF-1")
    assert ArchivedPdf.objects.get(pk=archive.pk).sha256 == archive.sha256
