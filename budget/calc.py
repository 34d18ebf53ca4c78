"""The computation: every figure of a plan's budget, from its lines, as pure functions.

No ORM and no I/O here: ``budget.selectors`` turns one plan's rows into a ``BudgetInput`` and
``summarise`` turns that into a ``PlanSummary``. The HTML page, the PDF, the API, the checks and the
exports all read the same ``PlanSummary``, so they cannot disagree. Nothing is rounded here:
percentages are exact Decimals (``Decimal("20.4333…")`` means 20.43 %); ``finsam.formatting``
rounds for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Group kinds (budget.models.GroupKind values), repeated here so this module needs no Django.
CONTRIBUTIONS = "contributions"
OTHER_INCOME = "other_income"
ADMINISTRATION = "administration"
INDIVIDUAL = "individual"
STRUCTURAL = "structural"
PREVENTIVE = "preventive"
OTHER_COST = "other_cost"
INCOME_KINDS = (CONTRIBUTIONS, OTHER_INCOME)
COST_KINDS = (ADMINISTRATION, INDIVIDUAL, STRUCTURAL, PREVENTIVE, OTHER_COST)

# Column kinds whose results roll the equity forward year to year.
EQUITY_CHAIN_KINDS = ("budget", "scenario")


# ---------------------------------------------------------------------------------------------
# Input: plain values, as the selector reads them from the database.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnIn:
    id: int
    kind: str  # budget / forecast / outcome / scenario
    year: int
    label: str


@dataclass(frozen=True)
class GroupIn:
    id: int
    kind: str
    name: str
    total_label: str


@dataclass(frozen=True)
class LineIn:
    id: int
    group_id: int
    parent_id: int | None
    name: str
    project_id: int | None
    member_id: int | None
    footnote: str
    amounts: dict[int, Decimal]  # column id -> amount; a missing column is an empty cell


@dataclass(frozen=True)
class ShareIn:
    member_id: int
    member_name: str
    member_kind: str  # state / region / municipality
    share_pct: Decimal


@dataclass(frozen=True)
class ProjectIn:
    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class Thresholds:
    equity_limit_pct: Decimal = Decimal(20)
    admin_share_limit_pct: Decimal = Decimal(25)
    share_tolerance_pct: Decimal = Decimal(0)


@dataclass(frozen=True)
class BudgetInput:
    """One plan's budget. ``groups`` and ``lines`` come in display order."""

    year: int  # the plan's year: the first budget year, whose opening equity is given
    opening_equity: Decimal
    columns: tuple[ColumnIn, ...]
    groups: tuple[GroupIn, ...]
    lines: tuple[LineIn, ...]
    shares: tuple[ShareIn, ...] = ()
    projects: tuple[ProjectIn, ...] = ()
    members: dict[int, str] = field(default_factory=dict)  # member id -> name
    thresholds: Thresholds = field(default_factory=Thresholds)


# ---------------------------------------------------------------------------------------------
# Output: what every presentation reads.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRow:
    """A line as shown: a parent's amounts are the sums of its sub-lines."""

    line: LineIn
    depth: int  # 0 for a line, 1 for a sub-line
    has_children: bool
    amounts: dict[int, Decimal | None]  # column id -> amount, None for an empty cell
    footnote_mark: str  # "a", "b", … in order of appearance in the plan; "" without a footnote


@dataclass(frozen=True)
class GroupRows:
    group: GroupIn
    rows: tuple[LineRow, ...]
    totals: dict[int, Decimal]  # column id -> group total


@dataclass(frozen=True)
class MemberContribution:
    member_id: int
    member_name: str
    member_kind: str
    share_pct: Decimal
    computed: Decimal  # allocation × share, largest remainder to whole kronor
    entered: Decimal | None  # the member's contribution line(s) in this column, None without one


@dataclass(frozen=True)
class ProjectCost:
    project_id: int
    project_name: str
    income: Decimal
    costs: Decimal
    net_cost: Decimal  # costs − income


@dataclass(frozen=True)
class ColumnSummary:
    column: ColumnIn
    kind_totals: dict[str, Decimal]  # every group kind -> total (0 where the plan has none)
    allocation: Decimal  # contributions (medlemsavgifter / medlemsintäkter)
    other_income: Decimal
    total_income: Decimal
    total_costs: Decimal
    result: Decimal  # total_income − total_costs
    in_equity_chain: bool
    opening_equity: Decimal | None  # None for columns outside the chain (forecast, outcome)
    closing_equity: Decimal | None
    equity_limit: Decimal  # allocation × equity_limit_pct / 100
    equity_share_pct: Decimal | None  # closing equity / allocation × 100; None if no allocation
    admin_share_pct: Decimal | None  # administration / total costs × 100; None if no costs
    individual_share_pct: Decimal | None  # individual / (individual + structural) × 100
    structural_share_pct: Decimal | None
    result_share_pct: Decimal | None  # result / allocation × 100 (the "Eget kapital procent" row)
    contributions: tuple[MemberContribution, ...]
    projects: tuple[ProjectCost, ...]


@dataclass(frozen=True)
class PlanSummary:
    input: BudgetInput
    columns: tuple[ColumnSummary, ...]  # in column order
    groups: tuple[GroupRows, ...]  # in display order
    footnotes: tuple[tuple[str, str], ...]  # (mark, text) in order
    shares_total_pct: Decimal
    shares_by_kind_pct: dict[str, Decimal]  # state / region / municipality -> sum of shares

    def column(self, label_or_year: str | int) -> ColumnSummary:
        """Return the column with this label, or the first in the equity chain of this year."""
        raise NotImplementedError
