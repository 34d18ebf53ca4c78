"""The computation: every figure of a plan's budget, from its lines, as pure functions.

No ORM and no I/O here: ``budget.selectors`` turns one plan's rows into a ``BudgetInput`` and
``summarise`` turns that into a ``PlanSummary``. The HTML page, the PDF, the API, the checks and the
exports all read the same ``PlanSummary``, so they cannot disagree. Nothing is rounded for display
here: percentages are exact Decimals (``Decimal("20.4333…")`` means 20.43 %) and
``finsam.formatting`` rounds them. The one rounding here is the members' amounts, which are whole
kronor by definition (``largest_remainder``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

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
        """Return the column with this label, or the column that stands for this year.

        A year means the equity chain's column of that year (the budget one when a scenario of the
        same year sits beside it), else the first column of that year. Raise KeyError if none fits.
        """
        if isinstance(label_or_year, str):
            for summary in self.columns:
                if summary.column.label == label_or_year:
                    return summary
            raise KeyError(label_or_year)
        of_year = [s for s in self.columns if s.column.year == label_or_year]
        chain = [s for s in of_year if s.in_equity_chain]
        if chain:
            return _carried(chain)
        if of_year:
            return of_year[0]
        raise KeyError(label_or_year)

    def row(self, line_id: int) -> LineRow:
        """Return the row of the line with this id. Raise KeyError if the plan has no such line."""
        for group in self.groups:
            for row in group.rows:
                if row.line.id == line_id:
                    return row
        raise KeyError(line_id)


# ---------------------------------------------------------------------------------------------
# The computation.
# ---------------------------------------------------------------------------------------------

ALL_KINDS = INCOME_KINDS + COST_KINDS
MEMBER_KINDS = ("state", "region", "municipality")

# Enough digits that no percentage or quota of a plan's amounts (at most 15 digits) loses a krona.
_PRECISION = 28
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_ONE = Decimal(1)


def summarise(data: BudgetInput) -> PlanSummary:
    """Return every computed figure of the budget ``data``. Pure: no rounding, no I/O."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        groups = _group_rows(data)
        group_kinds = {g.group.id: g.group.kind for g in groups}
        column_sums = [_column_totals(column, groups) for column in data.columns]
        equity = _equity_chain(
            data, {c.id: r for c, r in zip(data.columns, column_sums, strict=True)}
        )
        shares_total = sum((s.share_pct for s in data.shares), _ZERO)
        by_kind = {
            kind: sum((s.share_pct for s in data.shares if s.member_kind == kind), _ZERO)
            for kind in MEMBER_KINDS
        }
        columns = tuple(
            _column_summary(data, column, kind_totals, equity.get(column.id), groups, group_kinds)
            for column, kind_totals in zip(data.columns, column_sums, strict=True)
        )
    return PlanSummary(
        input=data,
        columns=columns,
        groups=groups,
        footnotes=_footnotes(groups),
        shares_total_pct=shares_total,
        shares_by_kind_pct=by_kind,
    )


def largest_remainder(total: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """Split the whole-krona ``total`` by ``shares`` into whole kronor that add up to ``total``.

    Each member first gets the floor of its exact quota ``total × share / sum(shares)``; the kronor
    left over go one each to the largest fractional remainders, the earlier member first on a tie.
    Shares are normally percentages adding up to 100; they are weights, so amounts add up to the
    total even when they do not. Raise ValueError if ``total`` has öre, or if it is not zero and
    the shares add up to zero.
    """
    if total != total.to_integral_value():
        raise ValueError(f"The total to split must be whole kronor, not {total}.")
    if not shares:
        return []
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        weight = sum(shares, _ZERO)
        if weight == 0:
            if total != 0:
                raise ValueError("Shares adding up to zero cannot split a non-zero total.")
            return [_ZERO for _ in shares]
        quotas = [total * share / weight for share in shares]
        floors = [q.quantize(_ONE, rounding=ROUND_FLOOR) for q in quotas]
        left = int(total - sum(floors, _ZERO))
        by_remainder = sorted(range(len(shares)), key=lambda i: (-(quotas[i] - floors[i]), i))
        for i in by_remainder[:left]:
            floors[i] += 1
    return floors


def whole_kronor(amount: Decimal) -> Decimal:
    """Return ``amount`` to the nearest whole krona (half up): the allocation that is split.

    Not a display rounding: the members are invoiced in whole kronor.
    """
    return amount.quantize(_ONE, rounding=ROUND_HALF_UP)


def _carried(items: Sequence[ColumnSummary]) -> ColumnSummary:
    """The one of several chain columns of a year whose closing equity the next year opens with."""
    return min(items, key=lambda s: s.column.kind != "budget")


def _carried_column(columns: Sequence[ColumnIn]) -> ColumnIn:
    return min(columns, key=lambda c: c.kind != "budget")


def _in_chain(data: BudgetInput, column: ColumnIn) -> bool:
    # A chain column before the plan's year has no known opening equity, so it stays outside.
    return column.kind in EQUITY_CHAIN_KINDS and column.year >= data.year


def _group_rows(data: BudgetInput) -> tuple[GroupRows, ...]:
    group_of = {line.id: line.group_id for line in data.lines}
    children: dict[int, list[LineIn]] = {}
    tops: dict[int, list[LineIn]] = {}
    for line in data.lines:
        parent = line.parent_id
        # A line whose parent is missing or in another group is shown as a line of its own.
        if parent is not None and parent != line.id and group_of.get(parent) == line.group_id:
            children.setdefault(parent, []).append(line)
        else:
            tops.setdefault(line.group_id, []).append(line)
    column_ids = [c.id for c in data.columns]
    placed: set[int] = set()

    def rows_of(line: LineIn, depth: int) -> list[LineRow]:
        placed.add(line.id)
        direct: list[LineRow] = []
        below: list[LineRow] = []
        for kid in children.get(line.id, []):
            if kid.id in placed:  # a cycle of parents: show each line once
                continue
            sub = rows_of(kid, depth + 1)
            direct.append(sub[0])
            below.extend(sub)
        if direct:
            amounts = {cid: _sum_cells([r.amounts[cid] for r in direct]) for cid in column_ids}
        else:
            amounts = {cid: line.amounts.get(cid) for cid in column_ids}
        row = LineRow(
            line=line, depth=depth, has_children=bool(direct), amounts=amounts, footnote_mark=""
        )
        return [row, *below]

    marks = _FootnoteMarks()
    result = []
    for group in data.groups:
        rows: list[LineRow] = []
        top_rows: list[LineRow] = []
        group_lines = [line for line in data.lines if line.group_id == group.id]
        starts = tops.get(group.id, [])
        # Lines caught in a cycle of parents are reached from no top line; show them at the top.
        for line in [*starts, *group_lines]:
            if line.id in placed:
                continue
            sub = rows_of(line, 0)
            top_rows.append(sub[0])
            rows.extend(sub)
        rows = [replace(r, footnote_mark=marks.mark(r.line.footnote)) for r in rows]
        totals = {
            cid: _sum_cells([r.amounts[cid] for r in top_rows]) or _ZERO for cid in column_ids
        }
        result.append(GroupRows(group=group, rows=tuple(rows), totals=totals))
    return tuple(result)


def _sum_cells(cells: Sequence[Decimal | None]) -> Decimal | None:
    """Sum the non-empty cells; None when every cell is empty."""
    present = [c for c in cells if c is not None]
    if not present:
        return None
    return sum(present, _ZERO)


class _FootnoteMarks:
    """Hands out a, b, c … to footnote texts in order of first appearance; equal texts share one."""

    def __init__(self) -> None:
        self.by_text: dict[str, str] = {}

    def mark(self, text: str) -> str:
        text = text.strip()
        if not text:
            return ""
        if text not in self.by_text:
            self.by_text[text] = _mark_for(len(self.by_text))
        return self.by_text[text]


def _mark_for(index: int) -> str:
    """0 → "a", 25 → "z", 26 → "aa", like spreadsheet columns."""
    mark = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        mark = chr(ord("a") + rest) + mark
    return mark


def _footnotes(groups: Sequence[GroupRows]) -> tuple[tuple[str, str], ...]:
    notes: dict[str, str] = {}
    for group in groups:
        for row in group.rows:
            if row.footnote_mark and row.footnote_mark not in notes:
                notes[row.footnote_mark] = row.line.footnote.strip()
    return tuple(notes.items())


def _column_totals(column: ColumnIn, groups: Sequence[GroupRows]) -> dict[str, Decimal]:
    totals = dict.fromkeys(ALL_KINDS, _ZERO)
    for group in groups:
        if group.group.kind in totals:
            totals[group.group.kind] += group.totals[column.id]
    return totals


def _result(kind_totals: dict[str, Decimal]) -> Decimal:
    income = sum((kind_totals[k] for k in INCOME_KINDS), _ZERO)
    costs = sum((kind_totals[k] for k in COST_KINDS), _ZERO)
    return income - costs


def _equity_chain(
    data: BudgetInput, kind_totals: dict[int, dict[str, Decimal]]
) -> dict[int, tuple[Decimal, Decimal]]:
    """Return column id -> (opening, closing) equity for the chain columns.

    The plan's year opens with the plan's opening equity; each later year opens with the closing
    equity of the year before (of its budget column, if a scenario of that year sits beside it).
    Where a year is missing from the chain, the next one opens with the last closing equity known.
    """
    chain = [c for c in data.columns if _in_chain(data, c)]
    years = sorted({c.year for c in chain})
    equity: dict[int, tuple[Decimal, Decimal]] = {}
    carried = data.opening_equity
    for year in years:
        of_year = [c for c in chain if c.year == year]
        opening = data.opening_equity if year == data.year else carried
        for column in of_year:
            equity[column.id] = (opening, opening + _result(kind_totals[column.id]))
        carried = equity[_carried_column(of_year).id][1]
    return equity


def _plain(value: Decimal) -> Decimal:
    """``value`` without a positive exponent (``Decimal("1E+2")`` → ``Decimal("100")``), same value."""
    exponent = value.as_tuple().exponent
    return value.quantize(_ONE) if isinstance(exponent, int) and exponent > 0 else value


def _ratio_pct(part: Decimal | None, whole: Decimal) -> Decimal | None:
    if part is None or whole == 0:
        return None
    return _plain(part / whole * _HUNDRED)


def _column_summary(
    data: BudgetInput,
    column: ColumnIn,
    kind_totals: dict[str, Decimal],
    equity: tuple[Decimal, Decimal] | None,
    groups: Sequence[GroupRows],
    group_kinds: dict[int, str],
) -> ColumnSummary:
    allocation = kind_totals[CONTRIBUTIONS]
    total_income = sum((kind_totals[k] for k in INCOME_KINDS), _ZERO)
    total_costs = sum((kind_totals[k] for k in COST_KINDS), _ZERO)
    result = total_income - total_costs
    opening, closing = equity if equity is not None else (None, None)
    individual = kind_totals[INDIVIDUAL]
    structural = kind_totals[STRUCTURAL]
    split_base = individual + structural
    return ColumnSummary(
        column=column,
        kind_totals=kind_totals,
        allocation=allocation,
        other_income=kind_totals[OTHER_INCOME],
        total_income=total_income,
        total_costs=total_costs,
        result=result,
        in_equity_chain=equity is not None,
        opening_equity=opening,
        closing_equity=closing,
        equity_limit=_plain(allocation * data.thresholds.equity_limit_pct / _HUNDRED),
        equity_share_pct=_ratio_pct(closing, allocation),
        admin_share_pct=_ratio_pct(kind_totals[ADMINISTRATION], total_costs),
        individual_share_pct=_ratio_pct(individual, split_base),
        structural_share_pct=_ratio_pct(structural, split_base),
        result_share_pct=_ratio_pct(result, allocation),
        contributions=_contributions(data, column, allocation, groups),
        projects=_project_costs(data, column, groups, group_kinds),
    )


def _contributions(
    data: BudgetInput, column: ColumnIn, allocation: Decimal, groups: Sequence[GroupRows]
) -> tuple[MemberContribution, ...]:
    shares = [s.share_pct for s in data.shares]
    if sum(shares, _ZERO) == 0:
        computed = [_ZERO for _ in shares]
    else:
        computed = largest_remainder(whole_kronor(allocation), shares)
    entered = _entered_by_member(column, groups)
    return tuple(
        MemberContribution(
            member_id=share.member_id,
            member_name=share.member_name,
            member_kind=share.member_kind,
            share_pct=share.share_pct,
            computed=amount,
            entered=entered.get(share.member_id),
        )
        for share, amount in zip(data.shares, computed, strict=True)
    )


def _entered_by_member(column: ColumnIn, groups: Sequence[GroupRows]) -> dict[int, Decimal]:
    """Member id -> the sum of its contribution lines in ``column`` (shown amounts).

    A sub-line of a line of the same member is already in its parent's amount, so only the
    outermost line of a member counts.
    """
    entered: dict[int, Decimal] = {}
    for group in groups:
        if group.group.kind != CONTRIBUTIONS:
            continue
        counting: list[int | None] = []  # member of the row counted at each depth above
        for row in group.rows:
            del counting[row.depth :]
            member = row.line.member_id
            if member is not None and member not in counting:
                amount = row.amounts.get(column.id)
                if amount is not None:
                    entered[member] = entered.get(member, _ZERO) + amount
            counting.append(member)
    return entered


def _project_costs(
    data: BudgetInput,
    column: ColumnIn,
    groups: Sequence[GroupRows],
    group_kinds: dict[int, str],
) -> tuple[ProjectCost, ...]:
    """Income and costs of each project that has budget lines, from the lines without sub-lines.

    A sub-line without a project of its own counts for its parent's project.
    """
    income: dict[int, Decimal] = {}
    costs: dict[int, Decimal] = {}
    for group in groups:
        side = income if group_kinds[group.group.id] in INCOME_KINDS else costs
        projects_above: list[int | None] = []
        for row in group.rows:
            del projects_above[row.depth :]
            project = row.line.project_id
            if project is None and projects_above:
                project = projects_above[-1]
            projects_above.append(project)
            if project is None or row.has_children:
                continue
            side[project] = side.get(project, _ZERO) + (row.amounts.get(column.id) or _ZERO)
    names = {p.id: p.name for p in data.projects}
    with_lines = [p.id for p in data.projects if p.id in income or p.id in costs]
    with_lines += sorted(pid for pid in (income.keys() | costs.keys()) if pid not in names)
    result = []
    for pid in with_lines:
        pin, pcost = income.get(pid, _ZERO), costs.get(pid, _ZERO)
        result.append(
            ProjectCost(
                project_id=pid,
                project_name=names.get(pid, ""),
                income=pin,
                costs=pcost,
                net_cost=pcost - pin,
            )
        )
    return tuple(result)
