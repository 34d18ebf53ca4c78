"""What the workflow keeps: each transition of a plan, and the PDF archived when it was approved.

Both are append-only like the audit trail: on PostgreSQL a trigger refuses ``UPDATE`` and
``DELETE`` on their tables, on SQLite ``UPDATE``. The services are in ``plans.workflow``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.history import AppendOnlyError
from plans.models import Plan, PlanStatus


class ArchivedPdf(models.Model):
    """The PDF of an approved plan, produced once when it was approved; downloads serve these bytes."""

    plan = models.OneToOneField(
        Plan, on_delete=models.PROTECT, related_name="archived_pdf", verbose_name=_("plan")
    )
    content = models.BinaryField(_("innehåll"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("storlek i byte"))
    created_at = models.DateTimeField(_("arkiverad"))

    class Meta:
        verbose_name = _("arkiverad PDF")
        verbose_name_plural = _("arkiverade PDF:er")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="archivedpdf_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.sha256}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError
        super().save(*args, **kwargs)


class TransitionAction(models.TextChoices):
    SUBMIT = "submit", _("lämnad som förslag")
    RETURN = "return", _("återförvisad till utkast")
    APPROVE = "approve", _("fastställd")
    REVISE = "revise", _("reviderad")


class PlanTransition(models.Model):
    """One step of a plan's workflow: who took it, when, and what the board decided or said."""

    # Plain ids and a name, not foreign keys: the record outlives a deleted draft and the user's
    # account, as the audit trail does.
    plan_id = models.BigIntegerField(_("plan"), db_index=True)
    action = models.CharField(_("steg"), max_length=10, choices=TransitionAction.choices)
    from_status = models.CharField(_("från"), max_length=20, choices=PlanStatus.choices)
    to_status = models.CharField(_("till"), max_length=20, choices=PlanStatus.choices)
    at = models.DateTimeField(_("tidpunkt"))
    by_id = models.BigIntegerField(_("användare"), null=True)
    by_name = models.CharField(_("namn"), max_length=300, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    minutes_paragraph = models.CharField(_("protokollsparagraf"), max_length=20, blank=True)
    dnr = models.CharField(_("diarienummer"), max_length=50, blank=True)
    revision_id = models.BigIntegerField(_("ny revision"), null=True, blank=True)

    class Meta:
        verbose_name = _("steg i arbetsflödet")
        verbose_name_plural = _("arbetsflöde")
        ordering = ["plan_id", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["submit", "return", "approve", "revise"]),
                name="plantransition_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.get_action_display()} {self.at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError
        super().save(*args, **kwargs)
