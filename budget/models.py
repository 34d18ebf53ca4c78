"""The budget of a plan: columns × lines in kinded groups, one exact amount per line and column.

Amounts are entered as the magnitudes the plan lists: an income line and a cost line are both
positive, the group's kind says which side of the result it is on. Totals are never stored; they
come from ``budget.calc``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from plans.models import Member, Plan, Project


class ColumnKind(models.TextChoices):
    BUDGET = "budget", _("budget")
    FORECAST = "forecast", _("prognos utfall")
    OUTCOME = "outcome", _("utfall")
    SCENARIO = "scenario", _("scenario")


class BudgetColumn(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="budget_columns", verbose_name=_("plan")
    )
    kind = models.CharField(_("slag"), max_length=10, choices=ColumnKind.choices)
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    label = models.CharField(_("rubrik"), max_length=100)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("budgetkolumn")
        verbose_name_plural = _("budgetkolumner")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="column_unique_label"),
            models.CheckConstraint(
                condition=Q(kind__in=["budget", "forecast", "outcome", "scenario"]),
                name="column_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class GroupKind(models.TextChoices):
    CONTRIBUTIONS = "contributions", _("medlemsavgifter")
    OTHER_INCOME = "other_income", _("övriga intäkter")
    ADMINISTRATION = "administration", _("administration")
    INDIVIDUAL = "individual", _("individinriktade insatser")
    STRUCTURAL = "structural", _("strukturinriktade insatser")
    PREVENTIVE = "preventive", _("förebyggande insatser")
    OTHER_COST = "other_cost", _("övriga kostnader")


INCOME_KINDS = frozenset({GroupKind.CONTRIBUTIONS, GroupKind.OTHER_INCOME})


class BudgetGroup(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="budget_groups", verbose_name=_("plan")
    )
    kind = models.CharField(_("slag"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(_("rubrik"), max_length=200)
    total_label = models.CharField(
        _("rubrik för summaraden"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel ”Totala administrativa kostnader”. Tom: ”Summa” och rubriken."),
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("budgetgrupp")
        verbose_name_plural = _("budgetgrupper")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "contributions",
                        "other_income",
                        "administration",
                        "individual",
                        "structural",
                        "preventive",
                        "other_cost",
                    ]
                ),
                name="budget_group_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_income(self) -> bool:
        return self.kind in INCOME_KINDS


class BudgetLine(models.Model):
    """A budget line. A line with sub-lines shows their sum; its own amounts are not used."""

    group = models.ForeignKey(
        BudgetGroup, on_delete=models.CASCADE, related_name="lines", verbose_name=_("grupp")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("huvudrad"),
    )
    name = models.CharField(_("benämning"), max_length=300)
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("insats/projekt"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("medlem"),
        help_text=_("För medlemsavgifter: vilken medlem som betalar."),
    )
    footnote = models.TextField(_("fotnot"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        ordering = ["group", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")),
                name="line_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetAmount(models.Model):
    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("rad")
    )
    column = models.ForeignKey(
        BudgetColumn, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("kolumn")
    )
    amount = MoneyField(
        _("belopp"), max_digits=15, decimal_places=2, default_currency="SEK", default=Decimal(0)
    )

    class Meta:
        verbose_name = _("belopp")
        verbose_name_plural = _("belopp")
        constraints = [
            models.UniqueConstraint(fields=["line", "column"], name="amount_unique_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.line} / {self.column}: {self.amount}"
