"""Goals of a plan: areas → goals → targets → outcomes recorded at follow-up."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.models import Plan, Project


class GoalArea(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goal_areas", verbose_name=_("plan")
    )
    name = models.CharField(_("område"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("målområde")
        verbose_name_plural = _("målområden")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="goal_area_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    area = models.ForeignKey(
        GoalArea, on_delete=models.CASCADE, related_name="goals", verbose_name=_("område")
    )
    indicator = models.TextField(_("indikator"))
    measurement = models.TextField(_("mätmetod"), blank=True)
    reporting = models.TextField(_("återrapportering"), blank=True)
    comment = models.TextField(_("verksamhetens kommentar"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["area", "order", "id"]

    def __str__(self) -> str:
        return self.indicator[:80]


class TargetKind(models.TextChoices):
    NUMBER = "number", _("antal")
    PERCENT = "percent", _("procent")
    TEXT = "text", _("text")


class Target(models.Model):
    """A goal's target, optionally for one project, optionally with last year's target beside it."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="targets", verbose_name=_("mål")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("insats/projekt"),
    )
    kind = models.CharField(_("slag"), max_length=10, choices=TargetKind.choices)
    value = models.DecimalField(
        _("målvärde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(
        _("enhet"), max_length=20, blank=True, help_text=_("Till exempel ”pers”.")
    )
    text = models.TextField(_("mål i text"), blank=True)
    previous_value = models.DecimalField(
        _("förra årets målvärde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    previous_text = models.TextField(_("förra årets mål i text"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")
        ordering = ["goal", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="text") & ~Q(text=""))
                | (Q(kind__in=["number", "percent"]) & Q(value__isnull=False)),
                name="target_has_value_of_its_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.text if self.kind == TargetKind.TEXT else f"{self.value} {self.unit}".strip()


class Outcome(models.Model):
    """What a target came to in one reporting period (delårsrapport, årsredovisning …)."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("målvärde")
    )
    period = models.CharField(_("rapporteringsperiod"), max_length=100)
    value = models.DecimalField(_("utfall"), max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("utfall i text"), blank=True)
    recorded_on = models.DateField(_("registrerat"), null=True, blank=True)

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        ordering = ["target", "recorded_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="outcome_unique_period"),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(text=""), name="outcome_has_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.value if self.value is not None else self.text}"
