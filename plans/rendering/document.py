"""The plan as a document: one structure that the HTML page and the PDF both render.

``plan_document`` gathers a plan's rows (``plans.selectors``), its computed budget
(``budget.selectors.plan_summary``) and its checks (``budget.checks``), renders the prose with its
live figures, and arranges everything in display order: table of contents, organisation, budget
rows with the column figures beside each, commentary, charts, timetable. It arranges and never
computes: every figure is taken from the summary as it is, and the templates format it with
``finsam.formatting`` through ``plans.templatetags.plan_format``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.utils.safestring import SafeString, mark_safe

from budget.calc import COST_KINDS, INCOME_KINDS, ColumnSummary, PlanSummary
from budget.checks import Finding, run_checks
from budget.selectors import plan_summary
from finsam.formatting import format_percent
from goals.models import GoalArea
from plans.models import BoardSeat, Member, Plan, SeatPosition, SeatRole
from plans.rendering.charts import cost_chart_svg, equity_chart_svg
from plans.rendering.livefigures import LiveFigures, RenderedProse, prose_findings
from plans.selectors import PlanDocumentRows, plan_document_rows

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

# Titles of the chapters the document generates from its data.
ORGANISATION = "Organisation"
MEMBERS = "Medlemmar och fördelning av medlemsavgifterna"
BOARD = "Styrelse"
OFFICE = "Kansli"
GROUPS = "Grupper"
PROJECTS = "Insatser och projekt"
GOALS = "Mål"
BUDGET = "Budget"
BUDGET_TABLE = "Resultatbudget"
BUDGET_CHARTS = "Kostnader och eget kapital"
BUDGET_COMMENTARY = "Kommentarer till budgeten"
TIMETABLE = "Tidplan"
CHECKS = "Kontroller av budgeten"

TOTAL_INCOME = "Summa intäkter"
TOTAL_COSTS = "Summa kostnader"
RESULT = "Resultat"
OPENING_EQUITY = "Eget kapital vid årets ingång"
CLOSING_EQUITY = "Eget kapital vid årets utgång"
EQUITY_LIMIT = "Tak för eget kapital ({pct} av medlemsavgifterna)"


@dataclass(frozen=True)
class TocEntry:
    title: str
    anchor: str
    level: int  # 1 for a chapter, 2 for a sub-chapter


@dataclass(frozen=True)
class SectionView:
    title: str
    level: int
    anchor: str
    html: SafeString


@dataclass(frozen=True)
class Cell:
    value: Decimal | None
    negative: bool = False  # shown negated: a cost in a plan that prints costs with a minus


@dataclass(frozen=True)
class BudgetRow:
    """One row of the budget table. ``style`` is its CSS class: heading, line, subtotal, total …"""

    label: str
    style: str
    cells: tuple[Cell, ...] = ()
    depth: int = 0
    footnote_mark: str = ""


@dataclass(frozen=True)
class BoardRow:
    member: Member
    ordinary: BoardSeat | None
    deputy: BoardSeat | None


@dataclass(frozen=True)
class GroupView:
    group: object  # plans.models.Group with ``people`` prefetched
    description: SafeString


@dataclass(frozen=True)
class ProjectView:
    project: object  # plans.models.Project
    description: SafeString


@dataclass(frozen=True)
class GoalView:
    number: int
    goal: object  # goals.models.Goal with ``targets`` prefetched
    comment: SafeString


@dataclass(frozen=True)
class GoalAreaView:
    area: GoalArea
    anchor: str
    description: SafeString
    goals: tuple[GoalView, ...]


@dataclass(frozen=True)
class ColumnCommentary:
    """The computed commentary of one budget column, with the findings about it."""

    column: ColumnSummary
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class TimetableMonth:
    label: str  # "mars 2021"
    events: tuple[str, ...]


@dataclass
class PlanDocument:
    plan: Plan
    rows: PlanDocumentRows
    summary: PlanSummary
    findings: list[Finding]
    unit: str
    vision: SafeString = field(default_factory=lambda: mark_safe(""))
    sections: list[SectionView] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    contribution_column: ColumnSummary | None = None
    board: list[BoardRow] = field(default_factory=list)
    chair: BoardSeat | None = None
    vice_chairs: list[BoardSeat] = field(default_factory=list)
    groups: list[GroupView] = field(default_factory=list)
    projects: list[ProjectView] = field(default_factory=list)
    goal_areas: list[GoalAreaView] = field(default_factory=list)
    has_previous_targets: bool = False
    budget_rows: list[BudgetRow] = field(default_factory=list)
    commentary: list[ColumnCommentary] = field(default_factory=list)
    plan_findings: list[Finding] = field(default_factory=list)  # about the whole plan
    cost_chart: SafeString = field(default_factory=lambda: mark_safe(""))
    equity_chart: SafeString = field(default_factory=lambda: mark_safe(""))
    timetable: list[TimetableMonth] = field(default_factory=list)

    @property
    def goal_comments(self) -> list[GoalView]:
        return [goal for area in self.goal_areas for goal in area.goals if goal.comment]

    @property
    def columns(self) -> tuple[ColumnSummary, ...]:
        return self.summary.columns

    @property
    def equity_limit_pct(self) -> Decimal:
        return self.summary.input.thresholds.equity_limit_pct

    @property
    def admin_share_limit_pct(self) -> Decimal:
        return self.summary.input.thresholds.admin_share_limit_pct

    @property
    def unit_caption(self) -> str:
        return "Belopp i tusentals kronor (tkr)" if self.unit == "tkr" else "Belopp i kronor"

    @property
    def title(self) -> str:
        return f"{self.plan.title} {self.plan.year}"


def plan_document(*, plan: Plan) -> PlanDocument:
    """Return everything the page and the PDF show of ``plan``, in display order."""
    rows = plan_document_rows(plan=plan)
    summary = plan_summary(plan=plan)
    unit = plan.display_unit
    figures = LiveFigures(summary, unit=unit)
    rendered: list[RenderedProse] = []

    def prose(text: str, *, where: str) -> SafeString:
        if not text.strip():
            return mark_safe("")
        result = figures.render(text, section=where)
        rendered.append(result)
        return mark_safe(result.html)  # noqa: S308 - sanitised by plans.rendering.markdown

    document = PlanDocument(plan=plan, rows=rows, summary=summary, findings=[], unit=unit)
    document.vision = prose(plan.association.vision, where="Vision")
    document.sections = [
        SectionView(
            title=section.title,
            level=section.level,
            anchor=f"avsnitt-{index}",
            html=prose(section.body, where=section.title),
        )
        for index, section in enumerate(rows.sections, start=1)
    ]
    document.contribution_column = _contribution_column(summary, plan.year)
    document.board = _board_rows(rows.board)
    document.chair = next((s for s in rows.board if s.position == SeatPosition.CHAIR), None)
    document.vice_chairs = [s for s in rows.board if s.position == SeatPosition.VICE_CHAIR]
    document.groups = [
        GroupView(group=group, description=prose(group.description, where=group.name))
        for group in rows.groups
    ]
    document.projects = [
        ProjectView(project=project, description=prose(project.description, where=project.name))
        for project in rows.projects
    ]
    document.goal_areas = _goal_areas(rows.goal_areas, prose)
    document.has_previous_targets = any(
        target.previous_value is not None or target.previous_text
        for area in rows.goal_areas
        for goal in area.goals.all()
        for target in goal.targets.all()
    )
    document.budget_rows = _budget_rows(summary, costs_negative=plan.costs_negative)
    document.findings = run_checks(summary, extra=prose_findings(rendered))
    document.commentary = [
        ColumnCommentary(
            column=column,
            findings=tuple(f for f in document.findings if f.column_label == column.column.label),
        )
        for column in summary.columns
    ]
    document.plan_findings = [f for f in document.findings if f.column_label is None]
    if summary.columns:
        document.cost_chart = mark_safe(cost_chart_svg(summary, unit=unit))  # noqa: S308
        if any(column.in_equity_chain for column in summary.columns):
            document.equity_chart = mark_safe(equity_chart_svg(summary, unit=unit))  # noqa: S308
    document.timetable = [
        TimetableMonth(
            label=f"{MONTHS[month - 1]} {year}", events=tuple(entry.event for entry in entries)
        )
        for (year, month), entries in groupby(rows.timetable, key=lambda e: (e.year, e.month))
    ]
    document.toc = _toc(document)
    return document


def _contribution_column(summary: PlanSummary, year: int) -> ColumnSummary | None:
    """The column whose member amounts the organisation chapter shows: the plan's own year."""
    try:
        return summary.column(year)
    except KeyError:
        return summary.columns[0] if summary.columns else None


def _board_rows(seats: Iterable[BoardSeat]) -> list[BoardRow]:
    by_member: dict[int, dict[str, BoardSeat]] = {}
    members: dict[int, Member] = {}
    for seat in seats:
        members.setdefault(seat.member_id, seat.member)
        by_member.setdefault(seat.member_id, {})[seat.role] = seat
    return [
        BoardRow(
            member=members[member_id],
            ordinary=roles.get(SeatRole.ORDINARY),
            deputy=roles.get(SeatRole.DEPUTY),
        )
        for member_id, roles in by_member.items()
    ]


def _goal_areas(areas: Iterable[GoalArea], prose) -> list[GoalAreaView]:
    views = []
    number = 0
    for index, area in enumerate(areas, start=1):
        goals = []
        for goal in area.goals.all():
            number += 1
            goals.append(
                GoalView(
                    number=number,
                    goal=goal,
                    comment=prose(goal.comment, where=f"{GOALS}: {goal.indicator[:60]}"),
                )
            )
        views.append(
            GoalAreaView(
                area=area,
                anchor=f"malomrade-{index}",
                description=prose(area.description, where=f"{GOALS}: {area.name}"),
                goals=tuple(goals),
            )
        )
    return views


def _budget_rows(summary: PlanSummary, *, costs_negative: bool) -> list[BudgetRow]:
    """The budget table: income groups, total income, cost groups, total costs, result, equity."""
    rows: list[BudgetRow] = []
    columns = summary.columns

    def cells(values: Iterable[Decimal | None], *, negative: bool = False) -> tuple[Cell, ...]:
        return tuple(Cell(value, negative) for value in values)

    for kinds, total_label, total_of in (
        (INCOME_KINDS, TOTAL_INCOME, lambda c: c.total_income),
        (COST_KINDS, TOTAL_COSTS, lambda c: c.total_costs),
    ):
        negative = costs_negative and kinds == COST_KINDS
        groups = [g for g in summary.groups if g.group.kind in kinds]
        if not groups:
            continue
        for group in groups:
            rows.append(BudgetRow(label=group.group.name, style="group-heading"))
            for line in group.rows:
                rows.append(
                    BudgetRow(
                        label=line.line.name,
                        style="sub-line" if line.depth else "line",
                        cells=cells(
                            (line.amounts.get(c.column.id) for c in columns), negative=negative
                        ),
                        depth=line.depth,
                        footnote_mark=line.footnote_mark,
                    )
                )
            rows.append(
                BudgetRow(
                    label=group.group.total_label or f"Summa {group.group.name.lower()}",
                    style="subtotal",
                    cells=cells(
                        (group.totals.get(c.column.id, Decimal(0)) for c in columns),
                        negative=negative,
                    ),
                )
            )
        rows.append(
            BudgetRow(
                label=total_label,
                style="total",
                cells=cells((total_of(c) for c in columns), negative=negative),
            )
        )
    rows.append(BudgetRow(label=RESULT, style="result", cells=cells(c.result for c in columns)))
    if any(c.in_equity_chain for c in columns):
        rows.append(
            BudgetRow(
                label=OPENING_EQUITY,
                style="equity",
                cells=cells(c.opening_equity for c in columns),
            )
        )
        rows.append(
            BudgetRow(
                label=CLOSING_EQUITY,
                style="equity equity-closing",
                cells=cells(c.closing_equity for c in columns),
            )
        )
        rows.append(
            BudgetRow(
                label=EQUITY_LIMIT.format(
                    pct=format_percent(summary.input.thresholds.equity_limit_pct, 2, trim=True)
                ),
                style="equity equity-limit",
                cells=cells(c.equity_limit if c.in_equity_chain else None for c in columns),
            )
        )
    return rows


def _toc(document: PlanDocument) -> list[TocEntry]:
    toc = [
        TocEntry(section.title, section.anchor, section.level)
        for section in document.sections
        if section.level <= 2
    ]
    rows = document.rows
    toc.append(TocEntry(ORGANISATION, "organisation", 1))
    toc.append(TocEntry(MEMBERS, "medlemmar", 2))
    if rows.board:
        toc.append(TocEntry(BOARD, "styrelse", 2))
    if rows.staff:
        toc.append(TocEntry(OFFICE, "kansli", 2))
    if rows.groups:
        toc.append(TocEntry(GROUPS, "grupper", 2))
    if rows.projects:
        toc.append(TocEntry(PROJECTS, "insatser", 1))
    if document.goal_areas:
        toc.append(TocEntry(GOALS, "mal", 1))
        toc.extend(TocEntry(view.area.name, view.anchor, 2) for view in document.goal_areas)
    toc.append(TocEntry(BUDGET, "budget", 1))
    toc.append(TocEntry(BUDGET_TABLE, "resultatbudget", 2))
    if document.cost_chart:
        toc.append(TocEntry(BUDGET_CHARTS, "diagram", 2))
    toc.append(TocEntry(BUDGET_COMMENTARY, "budgetkommentarer", 2))
    if document.timetable:
        toc.append(TocEntry(TIMETABLE, "tidplan", 1))
    toc.append(TocEntry(CHECKS, "kontroller", 1))
    return toc
