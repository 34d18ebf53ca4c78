"""The checks of a plan's budget: pure functions from a ``PlanSummary`` to findings.

Each finding has a code, a severity (``error`` / ``warning`` / ``info``), a message in Swedish and
the figures behind it. Thresholds come from the association (``BudgetInput.thresholds``).

The checks on what the board decides (equity, deficit, administration share, allocation) look at
the columns of the equity chain: the plan's budget years and their scenarios. The check that
entered member amounts follow the shares is arithmetic, so it looks at every column.

To add a check, write a function ``(summary) -> Iterable[Finding]`` and pass it in ``checks``, or
pass findings computed elsewhere (e.g. on the prose) in ``extra``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from budget.calc import ColumnSummary, PlanSummary
from finsam.formatting import format_money_sv, format_percent

Severity = Literal["error", "warning", "info"]
ERROR: Severity = "error"
WARNING: Severity = "warning"
INFO: Severity = "info"
SEVERITY_ORDER: dict[str, int] = {ERROR: 0, WARNING: 1, INFO: 2}

# The statutory split (law 2003:1210, 7 §): the state half, the region and the municipalities a
# quarter each.
STATUTORY_SPLIT: dict[str, Decimal] = {
    "state": Decimal(50),
    "region": Decimal(25),
    "municipality": Decimal(25),
}
MEMBER_KIND_LABELS = {
    "state": "Staten (Försäkringskassan och Arbetsförmedlingen)",
    "region": "Regionen",
    "municipality": "Kommunerna",
}

# Message templates: ``str.format`` with the figures already formatted.
SHARES_MISSING = "Fördelningsnyckeln saknas: ange varje medlems andel av medlemsavgifterna."
SHARES_TOTAL = "Andelarna i fördelningsnyckeln är tillsammans {total}, inte 100\xa0%."
STATUTORY_SPLIT_OFF = (
    "{kind} har tillsammans {actual} av medlemsavgifterna; lagen anger {expected}."
)
CONTRIBUTION_MISMATCH = (
    "{member} står för {entered} i {column}, men {share} av medlemsavgifterna {allocation} "
    "är {computed}."
)
EQUITY_NEGATIVE = "Eget kapital blir negativt i {column}: {closing}."
DEFICIT_UNCOVERED = (
    "Underskottet {deficit} i {column} täcks inte av det egna kapitalet vid årets ingång "
    "{opening}; eget kapital blir {closing}."
)
EQUITY_ABOVE_LIMIT = (
    "Eget kapital {closing} är {share} av medlemsavgifterna {column}, över gränsen {limit}."
)
ADMIN_SHARE_HIGH = (
    "Administrationen {administration} är {share} av kostnaderna {column}, över gränsen {limit}."
)
NO_ALLOCATION = "{column} har inga medlemsavgifter."


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    figures: dict[str, Decimal | int | str | None] = field(default_factory=dict)
    column_label: str | None = None  # None for a finding about the whole plan


Check = Callable[[PlanSummary], Iterable[Finding]]


def check_shares(summary: PlanSummary) -> Iterable[Finding]:
    """The shares add up to 100 %, split 50 / 25 / 25 between state, region and municipalities."""
    shares = summary.input.shares
    if not shares:
        yield Finding("shares_total", ERROR, SHARES_MISSING, {"total_pct": Decimal(0)})
        return
    total = summary.shares_total_pct
    if total != 100:
        yield Finding(
            "shares_total",
            ERROR,
            SHARES_TOTAL.format(total=_pct(total)),
            {"total_pct": total},
        )
    tolerance = summary.input.thresholds.share_tolerance_pct
    for kind, expected in STATUTORY_SPLIT.items():
        actual = summary.shares_by_kind_pct.get(kind, Decimal(0))
        if abs(actual - expected) > tolerance:
            yield Finding(
                "statutory_split",
                WARNING,
                STATUTORY_SPLIT_OFF.format(
                    kind=MEMBER_KIND_LABELS[kind], actual=_pct(actual), expected=_pct(expected)
                ),
                {
                    "member_kind": kind,
                    "actual_pct": actual,
                    "expected_pct": expected,
                    "tolerance_pct": tolerance,
                },
            )


def check_contributions(summary: PlanSummary) -> Iterable[Finding]:
    """Each member's entered amount is its share of the allocation, to the krona."""
    for column in summary.columns:
        label = column.column.label
        for contribution in column.contributions:
            entered = contribution.entered
            if entered is None or entered == contribution.computed:
                continue
            yield Finding(
                "contribution_mismatch",
                WARNING,
                CONTRIBUTION_MISMATCH.format(
                    member=contribution.member_name,
                    entered=format_money_sv(entered),
                    column=label,
                    share=_pct(contribution.share_pct),
                    allocation=format_money_sv(column.allocation),
                    computed=format_money_sv(contribution.computed),
                ),
                {
                    "member_id": contribution.member_id,
                    "member_name": contribution.member_name,
                    "share_pct": contribution.share_pct,
                    "allocation": column.allocation,
                    "entered": entered,
                    "computed": contribution.computed,
                    "difference": entered - contribution.computed,
                },
                label,
            )


def check_equity(summary: PlanSummary) -> Iterable[Finding]:
    """Equity never negative; a deficit covered by the opening equity; equity under its limit."""
    thresholds = summary.input.thresholds
    for column in _chain(summary):
        label = column.column.label
        opening, closing = column.opening_equity, column.closing_equity
        if opening is None or closing is None:  # pragma: no cover - chain columns have both
            continue
        figures: dict[str, Decimal | int | str | None] = {
            "opening_equity": opening,
            "result": column.result,
            "closing_equity": closing,
        }
        if column.result < 0 and -column.result > opening:
            yield Finding(
                "deficit_uncovered",
                ERROR,
                DEFICIT_UNCOVERED.format(
                    deficit=format_money_sv(-column.result),
                    column=label,
                    opening=format_money_sv(opening),
                    closing=format_money_sv(closing),
                ),
                figures,
                label,
            )
        elif closing < 0:
            yield Finding(
                "equity_negative",
                ERROR,
                EQUITY_NEGATIVE.format(column=label, closing=format_money_sv(closing)),
                figures,
                label,
            )
        if column.equity_share_pct is not None and closing > column.equity_limit:
            yield Finding(
                "equity_above_limit",
                WARNING,
                EQUITY_ABOVE_LIMIT.format(
                    closing=format_money_sv(closing),
                    share=format_percent(column.equity_share_pct),
                    column=label,
                    limit=_pct(thresholds.equity_limit_pct),
                ),
                {
                    "closing_equity": closing,
                    "allocation": column.allocation,
                    "equity_share_pct": column.equity_share_pct,
                    "equity_limit": column.equity_limit,
                    "equity_limit_pct": thresholds.equity_limit_pct,
                },
                label,
            )


def check_admin_share(summary: PlanSummary) -> Iterable[Finding]:
    """Administration at most the association's share of total costs."""
    limit = summary.input.thresholds.admin_share_limit_pct
    for column in _chain(summary):
        share = column.admin_share_pct
        if share is None or share <= limit:
            continue
        administration = column.kind_totals["administration"]
        yield Finding(
            "admin_share_high",
            WARNING,
            ADMIN_SHARE_HIGH.format(
                administration=format_money_sv(administration),
                share=format_percent(share),
                column=column.column.label,
                limit=_pct(limit),
            ),
            {
                "administration": administration,
                "total_costs": column.total_costs,
                "admin_share_pct": share,
                "admin_share_limit_pct": limit,
            },
            column.column.label,
        )


def check_allocation(summary: PlanSummary) -> Iterable[Finding]:
    """Every budget year has member contributions."""
    for column in _chain(summary):
        if column.allocation == 0:
            yield Finding(
                "no_allocation",
                INFO,
                NO_ALLOCATION.format(column=column.column.label),
                {"allocation": column.allocation},
                column.column.label,
            )


DEFAULT_CHECKS: tuple[Check, ...] = (
    check_shares,
    check_contributions,
    check_equity,
    check_admin_share,
    check_allocation,
)


def run_checks(
    summary: PlanSummary,
    *,
    checks: Sequence[Check] = DEFAULT_CHECKS,
    extra: Iterable[Finding] = (),
) -> list[Finding]:
    """Return the findings of ``checks`` on ``summary``, then ``extra``, in that order."""
    findings = [finding for check in checks for finding in check(summary)]
    findings.extend(extra)
    return findings


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    """Return the gravest severity among ``findings``, None if there are none."""
    severities = [f.severity for f in findings]
    return min(severities, key=SEVERITY_ORDER.__getitem__) if severities else None


def _chain(summary: PlanSummary) -> list[ColumnSummary]:
    return [c for c in summary.columns if c.in_equity_chain]


def _pct(value: Decimal) -> str:
    """A share or threshold as set: as many decimals as it has, up to the six a share may have."""
    return format_percent(value, 6, trim=True)
