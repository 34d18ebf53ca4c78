"""The association, its organisation and its yearly plans.

Members are the association's own (they outlive a plan); everything a plan document describes for its
year — shares, board, office, groups, projects, sections, timetable — belongs to the plan, so an approved
plan keeps describing its year however the organisation changes later.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

ORG_NUMBER_VALIDATOR = RegexValidator(
    r"^\d{6}-\d{4}$", _("Organisationsnumret skrivs NNNNNN-NNNN, till exempel 222000-1234.")
)
PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Association(models.Model):
    """A samordningsförbund. Its check thresholds are settings of its own."""

    name = models.CharField(_("namn"), max_length=200)
    org_number = models.CharField(
        _("organisationsnummer"), max_length=11, unique=True, validators=[ORG_NUMBER_VALIDATOR]
    )
    founded = models.DateField(_("bildat"), null=True, blank=True)
    region = models.CharField(_("län/region"), max_length=100, blank=True)
    vision = models.TextField(_("vision"), blank=True)

    equity_limit_pct = models.DecimalField(
        _("högsta eget kapital, % av medlemsavgifterna"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=PERCENT_VALIDATORS,
    )
    admin_share_limit_pct = models.DecimalField(
        _("högsta administrationsandel, % av kostnaderna"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("25.00"),
        validators=PERCENT_VALIDATORS,
    )
    share_tolerance_pct = models.DecimalField(
        _("tolerans för den lagstadgade fördelningen, procentenheter"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=PERCENT_VALIDATORS,
    )

    class Meta:
        verbose_name = _("samordningsförbund")
        verbose_name_plural = _("samordningsförbund")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemberKind(models.TextChoices):
    STATE = "state", _("staten (Försäkringskassan och Arbetsförmedlingen)")
    REGION = "region", _("region")
    MUNICIPALITY = "municipality", _("kommun")


class Member(models.Model):
    """A member organisation (medlem, part, huvudman) of an association."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="members", verbose_name=_("förbund")
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=20, choices=MemberKind.choices)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")
        ordering = ["association", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="member_unique_name"),
            models.CheckConstraint(
                condition=Q(kind__in=["state", "region", "municipality"]), name="member_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    KANSLI = "kansli", _("kansli (redigerar)")
    STYRELSE = "styrelse", _("styrelse (läser, fastställer)")
    REVISOR = "revisor", _("revisor (läser, historik)")


class Membership(models.Model):
    """A user's role in one association. See ``finsam.roles`` for how it scopes data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("användare"),
    )
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("förbund")
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("behörighet")
        verbose_name_plural = _("behörigheter")
        constraints = [
            models.UniqueConstraint(fields=["user", "association"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=Q(role__in=["kansli", "styrelse", "revisor"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.association} ({self.get_role_display()})"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("utkast")
    PROPOSED = "proposed", _("förslag")
    APPROVED = "approved", _("fastställd")


class DisplayUnit(models.TextChoices):
    KR = "kr", _("kronor")
    TKR = "tkr", _("tusentals kronor")


class Plan(models.Model):
    """A verksamhetsplan och budget for one year. A revision of an approved plan has the same year."""

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="plans", verbose_name=_("förbund")
    )
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(2004), MaxValueValidator(2200)]
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("reviderar"),
    )
    title = models.CharField(_("titel"), max_length=200, default="Verksamhetsplan och budget")
    dnr = models.CharField(_("diarienummer"), max_length=50, blank=True)
    attachment_label = models.CharField(_("bilaga"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    decided_on = models.DateField(_("fastställd den"), null=True, blank=True)
    minutes_paragraph = models.CharField(_("protokollsparagraf"), max_length=20, blank=True)
    opening_equity = MoneyField(
        _("eget kapital vid ingången av första budgetåret"),
        max_digits=15,
        decimal_places=2,
        default_currency="SEK",
        default=Decimal(0),
    )
    display_unit = models.CharField(
        _("visas i"), max_length=3, choices=DisplayUnit.choices, default=DisplayUnit.KR
    )
    costs_negative = models.BooleanField(
        _("visa kostnader med minustecken"),
        default=False,
        help_text=_("Som i planer där kostnadsraderna skrivs −2 068 098."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("verksamhetsplan")
        verbose_name_plural = _("verksamhetsplaner")
        ordering = ["association", "-year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year", "revision"], name="plan_unique_year_revision"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "proposed", "approved"]), name="plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(display_unit__in=["kr", "tkr"]), name="plan_display_unit_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(decided_on__isnull=False),
                name="plan_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.title} {self.year}"
        if self.revision > 1:
            label += f" (rev. {self.revision})"
        return f"{self.association} – {label}"


class ContributionShare(models.Model):
    """A member's share (fördelningsnyckel) of the yearly allocation, in percent of the total."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="shares", verbose_name=_("plan")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="shares", verbose_name=_("medlem")
    )
    share_pct = models.DecimalField(
        _("andel, %"), max_digits=9, decimal_places=6, validators=PERCENT_VALIDATORS
    )

    class Meta:
        verbose_name = _("fördelningsnyckel")
        verbose_name_plural = _("fördelningsnycklar")
        ordering = ["plan", "member__order", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="share_unique_member"),
            models.CheckConstraint(
                condition=Q(share_pct__gte=0) & Q(share_pct__lte=100), name="share_pct_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.share_pct} %"


class SeatRole(models.TextChoices):
    ORDINARY = "ordinary", _("ledamot")
    DEPUTY = "deputy", _("ersättare")


class SeatPosition(models.TextChoices):
    NONE = "", _("–")
    CHAIR = "chair", _("ordförande")
    VICE_CHAIR = "vice_chair", _("vice ordförande")


class BoardSeat(models.Model):
    """One seat on the board: an ordinary member or a deputy, appointed by a member organisation."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="board_seats", verbose_name=_("plan")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="board_seats", verbose_name=_("utsedd av")
    )
    role = models.CharField(_("roll"), max_length=10, choices=SeatRole.choices)
    person = models.CharField(_("namn"), max_length=200)
    position = models.CharField(
        _("uppdrag"), max_length=12, choices=SeatPosition.choices, blank=True, default=""
    )
    term_start = models.DateField(_("mandatperiod från"), null=True, blank=True)
    term_end = models.DateField(_("mandatperiod till"), null=True, blank=True)

    class Meta:
        verbose_name = _("styrelseplats")
        verbose_name_plural = _("styrelse")
        ordering = ["plan", "member__order", "member_id", "-role"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "member", "role"], name="seat_unique_role"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(position="chair"), name="seat_one_chair"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["ordinary", "deputy"]), name="seat_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(position="") | Q(role="ordinary"), name="seat_officer_is_ordinary"
            ),
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="seat_term_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.member})"


class StaffMember(models.Model):
    """Someone working at the office (kansli)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="staff", verbose_name=_("plan")
    )
    name = models.CharField(_("namn"), max_length=200, blank=True)
    role = models.CharField(_("befattning"), max_length=200)
    fte = models.DecimalField(
        _("tjänstgöringsgrad (heltid = 1)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    employer = models.CharField(_("anställd hos / köps från"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("medarbetare")
        verbose_name_plural = _("kansli")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gte=0), name="staff_fte_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.role}"


class GroupKind(models.TextChoices):
    PREPARATORY = "preparatory", _("beredningsgrupp")
    DEVELOPMENT = "development", _("utvecklingsgrupp")
    LOCAL = "local", _("lokal samverkansgrupp")
    REFERENCE = "reference", _("referensgrupp")
    STEERING = "steering", _("styrgrupp")
    OTHER = "other", _("annan grupp")


class Group(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="groups", verbose_name=_("plan")
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=20, choices=GroupKind.choices)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("grupp")
        verbose_name_plural = _("grupper")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="group_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="people", verbose_name=_("grupp")
    )
    person = models.CharField(_("namn"), max_length=200)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_people",
        verbose_name=_("företräder"),
    )
    role = models.CharField(_("roll"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("gruppmedlem")
        verbose_name_plural = _("gruppmedlemmar")
        ordering = ["group", "order", "id"]

    def __str__(self) -> str:
        return self.person


class ProjectKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individinriktad")
    STRUCTURAL = "structural", _("strukturinriktad")
    PREVENTIVE = "preventive", _("förebyggande")


class ProjectStatus(models.TextChoices):
    PRE_STUDY = "pre_study", _("förstudie")
    DECIDED = "decided", _("beslutad")
    RUNNING = "running", _("pågående")
    ENDED = "ended", _("avslutad")


class Project(models.Model):
    """An intervention (insats) or project the association finances in the plan's year."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="projects", verbose_name=_("plan")
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=20, choices=ProjectKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.RUNNING
    )
    owner = models.CharField(_("huvudman/ägare"), max_length=200, blank=True)
    starts_on = models.DateField(_("startar"), null=True, blank=True)
    ends_on = models.DateField(_("slutar"), null=True, blank=True)
    cofinancing = models.CharField(_("medfinansiering"), max_length=200, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("insats/projekt")
        verbose_name_plural = _("insatser och projekt")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="project_unique_name"),
            models.CheckConstraint(
                condition=Q(kind__in=["individual", "structural", "preventive"]),
                name="project_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="project_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A prose section of the plan, in Markdown. ``level`` 1 is a chapter, 2 and 3 sub-headings."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan")
    )
    title = models.CharField(_("rubrik"), max_length=300)
    level = models.PositiveSmallIntegerField(
        _("nivå"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    body = models.TextField(_("text (Markdown)"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=3), name="section_level_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TimetableEntry(models.Model):
    """An event in the plan's timetable (tidplan)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="timetable", verbose_name=_("plan")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(
        _("månad"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    event = models.CharField(_("händelse"), max_length=300)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("tidplanspunkt")
        verbose_name_plural = _("tidplan")
        ordering = ["plan", "year", "month", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="timetable_month_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}: {self.event}"


# The audit trail and the workflow's records live in modules of their own; Django finds models
# through this module.
from plans.history import AuditEvent  # noqa: E402, F401
from plans.workflow_models import ArchivedPdf, PlanTransition  # noqa: E402, F401
