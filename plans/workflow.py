"""The plan's way to approval: draft → proposed → approved, and a revision after that.

- ``plan_submit``: the kansli proposes a draft to the board.
- ``plan_return_to_draft``: the board (or the kansli) sends a proposal back, with a comment.
- ``plan_approve``: a board member records the decision (date, minutes paragraph, dnr). The PDF is
  produced once and archived with its SHA-256 in the same transaction.
- ``plan_revise``: the kansli starts a new draft revision of an approved plan, a copy linked to it;
  the approved plan stays as it was.

Each transition locks the plan's row (``select_for_update``) and checks its status under the
lock, so of simultaneous requests exactly one goes through and the others raise
``TransitionNotAllowed`` (409 in the API). A user without the role for a step gets
``WorkflowPermissionDenied`` (403). An approved plan is read-only everywhere: every write path
calls ``ensure_plan_editable``, which raises ``PlanLocked``.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from finsam.roles import APPROVE_ROLES, EDIT_ROLES, role_in
from plans.models import Membership, Plan, PlanStatus, Role
from plans.services import PLAN_LOCKED, PlanLockedError
from plans.workflow_models import ArchivedPdf, PlanTransition, TransitionAction

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    User = AbstractBaseUser | AnonymousUser


SUBMIT_NOT_DRAFT = "Bara ett utkast kan lämnas som förslag. Planen är {status}."
RETURN_NOT_PROPOSED = "Bara ett förslag kan skickas tillbaka till utkast. Planen är {status}."
APPROVE_NOT_PROPOSED = "Bara ett förslag kan fastställas. Planen är {status}."
REVISE_NOT_APPROVED = "Bara en fastställd plan kan revideras. Planen är {status}."
REVISE_NOT_LATEST = (
    "Planen har redan en senare revision (revision {revision}). Arbeta vidare i den i stället."
)

SUBMIT_NOT_KANSLI = "Bara förbundets kansli kan lämna planen som förslag till styrelsen."
RETURN_NOT_ALLOWED = "Bara förbundets styrelse eller kansli kan skicka tillbaka ett förslag."
APPROVE_NOT_BOARD = "Bara förbundets styrelse kan fastställa planen."
REVISE_NOT_KANSLI = "Bara förbundets kansli kan revidera en fastställd plan."

COMMENT_REQUIRED = "Skriv varför förslaget skickas tillbaka."
DECIDED_ON_REQUIRED = "Ange datumet för styrelsens beslut."
DECIDED_ON_IN_FUTURE = "Beslutsdatumet kan inte ligga i framtiden."
MINUTES_REQUIRED = "Ange paragrafen i styrelsens protokoll, till exempel § 12."
DNR_REQUIRED = "Ange diarienumret för beslutet."

NOT_ARCHIVED = "Bara en fastställd plan har en arkiverad PDF. Planen är {status}."

REVISED_PREFIX = "Reviderad "


class PlanLocked(PlanLockedError, PermissionDenied):
    """A write to an approved plan. Pages answer 403, the API 409 (as ``PlanLockedError``)."""

    def __init__(self, message: str = PLAN_LOCKED) -> None:
        super().__init__(message)


class TransitionNotAllowed(Exception):
    """A transition the plan's current status does not allow (409 Conflict)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WorkflowPermissionDenied(PermissionDenied):
    """A transition the user's role does not allow (403 Forbidden)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------
# The guard every write path calls
# ---------------------------------------------------------------------------------------------


def ensure_plan_editable(plan: Plan | int | None) -> None:
    """Raise PlanLocked if the plan is approved, as stored (not as edited in memory).

    Takes a plan or its id; a plan not saved yet (or None) is editable.
    """
    plan_id = plan.pk if isinstance(plan, Plan) else plan
    if plan_id is None:
        return
    status = Plan.objects.filter(pk=plan_id).values_list("status", flat=True).first()
    if status == PlanStatus.APPROVED:
        raise PlanLocked


# ---------------------------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def plan_submit(*, plan: Plan, by: User) -> Plan:
    """Propose the draft ``plan`` to the board and return it as stored now."""
    locked = _lock(plan)
    _require_role(by, locked, EDIT_ROLES, SUBMIT_NOT_KANSLI)
    _require_status(locked, PlanStatus.DRAFT, SUBMIT_NOT_DRAFT)
    return _move(locked, by=by, action=TransitionAction.SUBMIT, to=PlanStatus.PROPOSED)


@transaction.atomic
def plan_return_to_draft(*, plan: Plan, by: User, comment: str) -> Plan:
    """Send the proposed ``plan`` back to draft with ``comment`` saying why."""
    locked = _lock(plan)
    _require_role(by, locked, EDIT_ROLES | APPROVE_ROLES, RETURN_NOT_ALLOWED)
    _require_status(locked, PlanStatus.PROPOSED, RETURN_NOT_PROPOSED)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": COMMENT_REQUIRED})
    return _move(
        locked, by=by, action=TransitionAction.RETURN, to=PlanStatus.DRAFT, comment=comment
    )


@transaction.atomic
def plan_approve(
    *,
    plan: Plan,
    by: User,
    decided_on: datetime.date | None,
    minutes_paragraph: str,
    dnr: str,
) -> Plan:
    """Record the board's decision on the proposed ``plan`` and archive its PDF.

    The PDF is rendered from the plan as approved (its cover shows the decision) and stored with
    its SHA-256 in the same transaction: if rendering fails, nothing is approved.
    """
    from plans.rendering.pdf import plan_pdf_bytes

    locked = _lock(plan)
    _require_role(by, locked, APPROVE_ROLES, APPROVE_NOT_BOARD)
    _require_status(locked, PlanStatus.PROPOSED, APPROVE_NOT_PROPOSED)
    minutes_paragraph = (minutes_paragraph or "").strip()
    dnr = (dnr or "").strip()
    errors: dict[str, str] = {}
    if decided_on is None:
        errors["decided_on"] = DECIDED_ON_REQUIRED
    elif decided_on > timezone.localdate():
        errors["decided_on"] = DECIDED_ON_IN_FUTURE
    if not minutes_paragraph:
        errors["minutes_paragraph"] = MINUTES_REQUIRED
    if not dnr:
        errors["dnr"] = DNR_REQUIRED
    if errors:
        raise ValidationError(errors)

    locked.decided_on = decided_on
    locked.minutes_paragraph = minutes_paragraph
    locked.dnr = dnr
    approved = _move(
        locked,
        by=by,
        action=TransitionAction.APPROVE,
        to=PlanStatus.APPROVED,
        decided_on=decided_on,
        minutes_paragraph=minutes_paragraph,
        dnr=dnr,
    )
    _archive(approved, plan_pdf_bytes(plan=approved))
    return approved


@transaction.atomic
def plan_revise(*, plan: Plan, by: User) -> Plan:
    """Start a new draft revision of the approved ``plan`` and return it.

    The revision is a copy of everything the plan holds (through the plan file, so it copies
    exactly what an export and an import would), with the next revision number, linked to the
    plan by ``revision_of``, titled "Reviderad …". The approved plan is not touched.
    """
    from plans.planfile import plan_export, plan_import

    locked = _lock(plan)
    _require_role(by, locked, EDIT_ROLES, REVISE_NOT_KANSLI)
    _require_status(locked, PlanStatus.APPROVED, REVISE_NOT_APPROVED)
    later = (
        Plan.objects.filter(
            association_id=locked.association_id, year=locked.year, revision__gt=locked.revision
        )
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    if later is not None:
        raise TransitionNotAllowed(REVISE_NOT_LATEST.format(revision=later))

    data = plan_export(plan=locked)
    data["plan"].update(
        {
            "revision": locked.revision + 1,
            "title": revised_title(locked.title),
            "status": PlanStatus.DRAFT,
            "decided_on": None,
            "minutes_paragraph": "",
        }
    )
    revision = plan_import(data=data)
    if revision.revision_of_id != locked.pk:
        revision.revision_of = locked
        revision.save(update_fields=["revision_of"])
    _record(
        locked,
        by=by,
        action=TransitionAction.REVISE,
        from_status=locked.status,
        to_status=locked.status,
        revision_id=revision.pk,
    )
    return revision


def revised_title(title: str) -> str:
    """Return "Reviderad verksamhetsplan och budget" for "Verksamhetsplan och budget"."""
    if title.lower().startswith(REVISED_PREFIX.lower()):
        return title
    return (REVISED_PREFIX + title[:1].lower() + title[1:])[:200]


def allowed_transitions(*, status: str, role: str | None) -> list[str]:
    """Return the actions (``TransitionAction`` values) a ``role`` may take on a plan in ``status``."""
    allowed: list[str] = []
    if status == PlanStatus.DRAFT and role in EDIT_ROLES:
        allowed.append(TransitionAction.SUBMIT)
    if status == PlanStatus.PROPOSED:
        if role in APPROVE_ROLES:
            allowed.append(TransitionAction.APPROVE)
        if role in EDIT_ROLES | APPROVE_ROLES:
            allowed.append(TransitionAction.RETURN)
    if status == PlanStatus.APPROVED and role in EDIT_ROLES:
        allowed.append(TransitionAction.REVISE)
    return [str(action) for action in allowed]


# The status each step starts from, and why it is refused: by role, by status.
STEP_FROM = {
    TransitionAction.SUBMIT: PlanStatus.DRAFT,
    TransitionAction.RETURN: PlanStatus.PROPOSED,
    TransitionAction.APPROVE: PlanStatus.PROPOSED,
    TransitionAction.REVISE: PlanStatus.APPROVED,
}
STEP_ROLE_MESSAGES = {
    TransitionAction.SUBMIT: SUBMIT_NOT_KANSLI,
    TransitionAction.RETURN: RETURN_NOT_ALLOWED,
    TransitionAction.APPROVE: APPROVE_NOT_BOARD,
    TransitionAction.REVISE: REVISE_NOT_KANSLI,
}
STEP_STATUS_MESSAGES = {
    TransitionAction.SUBMIT: SUBMIT_NOT_DRAFT,
    TransitionAction.RETURN: RETURN_NOT_PROPOSED,
    TransitionAction.APPROVE: APPROVE_NOT_PROPOSED,
    TransitionAction.REVISE: REVISE_NOT_APPROVED,
}


def step_refusal(
    *, plan: Plan, step: str, user: User
) -> TransitionNotAllowed | WorkflowPermissionDenied | None:
    """Return the error taking ``step`` on ``plan`` now would raise, or None if it may be taken.

    Pages and the API ask first, so a refused step answers 403 or 409 before its form is read;
    the service checks again under the lock.
    """
    role = role_in(user, plan.association_id)
    if step in allowed_transitions(status=plan.status, role=role):
        return None
    if step in allowed_transitions(status=STEP_FROM[step], role=role):
        status = PlanStatus(plan.status).label
        return TransitionNotAllowed(STEP_STATUS_MESSAGES[step].format(status=status))
    return WorkflowPermissionDenied(STEP_ROLE_MESSAGES[step])


@dataclass(frozen=True)
class ArchiveInfo:
    sha256: str
    size: int
    created_at: datetime.datetime


@dataclass(frozen=True)
class WorkflowState:
    """What the plan page and the API show of a plan's workflow, for one user."""

    plan_id: int
    status: str
    status_label: str
    decided_on: datetime.date | None
    minutes_paragraph: str
    dnr: str
    revision: int
    revision_of_id: int | None
    later_revision_id: int | None
    role: str | None
    allowed: list[str]
    archive: ArchiveInfo | None
    transitions: list[PlanTransition]  # newest first


TRANSITIONS_SHOWN = 10
# plan_workflow_state: the plan with its archive, role and later revision; its transitions.
WORKFLOW_STATE_QUERIES = 2


def plan_workflow_state(*, plan: Plan, user: User) -> WorkflowState:
    """Return the workflow state of ``plan`` as ``user`` sees it, in ``WORKFLOW_STATE_QUERIES``."""
    later = Plan.objects.filter(
        association_id=OuterRef("association_id"),
        year=OuterRef("year"),
        revision__gt=OuterRef("revision"),
    ).order_by("-revision")
    archive = ArchivedPdf.objects.filter(plan_id=OuterRef("pk"))
    role = Membership.objects.filter(
        user_id=user.pk if user.is_authenticated else None,
        association_id=OuterRef("association_id"),
    )
    row = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(
            later_revision_id=Subquery(later.values("pk")[:1]),
            pdf_sha256=Subquery(archive.values("sha256")[:1]),
            pdf_size=Subquery(archive.values("size")[:1]),
            pdf_created_at=Subquery(archive.values("created_at")[:1]),
            my_role=Subquery(role.values("role")[:1]),
        )
        .values(
            "status",
            "decided_on",
            "minutes_paragraph",
            "dnr",
            "revision",
            "revision_of_id",
            "later_revision_id",
            "pdf_sha256",
            "pdf_size",
            "pdf_created_at",
            "my_role",
        )
        .get()
    )
    my_role = row["my_role"]
    if user.is_authenticated and user.is_active and user.is_superuser:
        my_role = Role.KANSLI
    elif not (user.is_authenticated and user.is_active):
        my_role = None
    transitions = list(
        PlanTransition.objects.filter(plan_id=plan.pk).order_by("-at", "-id")[:TRANSITIONS_SHOWN]
    )
    return WorkflowState(
        plan_id=plan.pk,
        status=row["status"],
        status_label=str(PlanStatus(row["status"]).label),
        decided_on=row["decided_on"],
        minutes_paragraph=row["minutes_paragraph"],
        dnr=row["dnr"],
        revision=row["revision"],
        revision_of_id=row["revision_of_id"],
        later_revision_id=row["later_revision_id"],
        role=my_role,
        allowed=allowed_transitions(status=row["status"], role=my_role),
        archive=(
            ArchiveInfo(
                sha256=row["pdf_sha256"], size=row["pdf_size"], created_at=row["pdf_created_at"]
            )
            if row["pdf_sha256"]
            else None
        ),
        transitions=transitions,
    )


# ---------------------------------------------------------------------------------------------
# The archived PDF
# ---------------------------------------------------------------------------------------------


def plan_pdf_for_download(*, plan: Plan) -> bytes:
    """Return the PDF to download: an approved plan's archived bytes, any other plan rendered now.

    An approved plan without an archive (approved before archiving existed, or imported as
    approved) is archived on its first download, so every later download gives the same bytes.
    """
    from plans.rendering.pdf import plan_pdf_bytes

    if plan.status != PlanStatus.APPROVED:
        return plan_pdf_bytes(plan=plan)
    archive = ArchivedPdf.objects.filter(plan_id=plan.pk).only("content").first()
    if archive is not None:
        return bytes(archive.content)
    return bytes(plan_archive_pdf(plan=plan).content)


@transaction.atomic
def plan_archive_pdf(*, plan: Plan) -> ArchivedPdf:
    """Return the approved plan's archived PDF, producing and archiving it if it has none."""
    from plans.rendering.pdf import plan_pdf_bytes

    locked = _lock(plan)
    existing = ArchivedPdf.objects.filter(plan_id=locked.pk).first()
    if existing is not None:
        return existing
    if locked.status != PlanStatus.APPROVED:
        raise TransitionNotAllowed(NOT_ARCHIVED.format(status=locked.get_status_display()))
    return _archive(locked, plan_pdf_bytes(plan=locked))


def archived_pdf_of(*, plan: Plan) -> ArchivedPdf | None:
    """Return the plan's archived PDF without its bytes (hash, size, time), or None."""
    return ArchivedPdf.objects.filter(plan_id=plan.pk).defer("content").first()


def _archive(plan: Plan, content: bytes) -> ArchivedPdf:
    return ArchivedPdf.objects.create(
        plan=plan,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        created_at=timezone.now(),
    )


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _lock(plan: Plan) -> Plan:
    """Return the plan as stored, its row locked until the transaction ends."""
    return Plan.objects.select_for_update().select_related("association").get(pk=plan.pk)


def _require_role(user: User, plan: Plan, roles: frozenset[str], message: str) -> None:
    # A site administrator counts as kansli (``finsam.roles.role_in``), never as the board: only a
    # board member records the board's decision.
    if role_in(user, plan.association_id) not in roles:
        raise WorkflowPermissionDenied(message)


def _require_status(plan: Plan, status: str, message: str) -> None:
    if plan.status != status:
        raise TransitionNotAllowed(message.format(status=plan.get_status_display()))


def _move(plan: Plan, *, by: User, action: str, to: str, **record: Any) -> Plan:
    from_status = plan.status
    plan.status = to
    plan.version += 1
    plan.full_clean()
    plan.save()
    _record(plan, by=by, action=action, from_status=from_status, to_status=to, **record)
    return plan


def _record(
    plan: Plan, *, by: User, action: str, from_status: str, to_status: str, **fields: Any
) -> PlanTransition:
    name = ""
    if by.is_authenticated:
        name = by.get_full_name() or by.get_username()  # type: ignore[union-attr]
    return PlanTransition.objects.create(
        plan_id=plan.pk,
        action=action,
        from_status=from_status,
        to_status=to_status,
        at=timezone.now(),
        by_id=by.pk if by.is_authenticated else None,
        by_name=name,
        **fields,
    )
