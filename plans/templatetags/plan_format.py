"""Template filters that show the computed figures through ``finsam.formatting``.

Templates never add or round: they hand a figure from the summary to one of these, and these
hand it to the one formatting module that HTML, PDF and XLSX share.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from budget.checks import Finding
from finsam.formatting import format_amount, format_money_sv, format_percent

register = template.Library()

EMPTY = "–"

FIGURE_LABELS = {
    "total_pct": "summa andelar",
    "member_kind": "slag",
    "actual_pct": "andel",
    "expected_pct": "enligt lagen",
    "tolerance_pct": "tolerans",
    "member_name": "medlem",
    "share_pct": "andel",
    "allocation": "medlemsavgifter",
    "entered": "angivet",
    "computed": "beräknat",
    "difference": "skillnad",
    "opening_equity": "eget kapital vid ingången",
    "result": "resultat",
    "closing_equity": "eget kapital vid utgången",
    "equity_share_pct": "eget kapital av medlemsavgifterna",
    "equity_limit": "tak för eget kapital",
    "equity_limit_pct": "gräns",
    "administration": "administration",
    "total_costs": "summa kostnader",
    "admin_share_pct": "administrationsandel",
    "admin_share_limit_pct": "gräns",
    "section": "avsnitt",
    "placeholder": "platshållare",
    "reason": "orsak",
}
# Percentages that are set rather than computed: shown with the decimals they have.
SET_PERCENTAGES = frozenset(
    {
        "total_pct",
        "expected_pct",
        "tolerance_pct",
        "share_pct",
        "equity_limit_pct",
        "admin_share_limit_pct",
    }
)
MEMBER_KINDS = {"state": "staten", "region": "region", "municipality": "kommunerna"}
SEVERITY_LABELS = {"error": "Fel", "warning": "Varning", "info": "Upplysning"}


@register.simple_tag
def amount(value: Decimal | None, unit: str = "kr", negative: bool = False) -> str:
    """A table cell: ``3 216 600`` in kr or tkr, negated for costs shown with a minus."""
    return format_amount(value, unit=unit, negative=negative)


@register.filter
def money(value: Decimal | None, unit: str = "kr") -> str:
    """An amount with its unit: ``2 983 326 kr``; an en dash when there is none."""
    return format_money_sv(value, unit=unit, blank=EMPTY)


@register.filter
def percent(value: Decimal | None, places: int = 1) -> str:
    """A computed percentage: ``20,4 %``; an en dash when there is none."""
    return format_percent(value, int(places), blank=EMPTY)


@register.filter
def share(value: Decimal | None) -> str:
    """A set percentage (a share, a threshold) with the decimals it has: ``11,75 %``."""
    return format_percent(value, 6, trim=True, blank=EMPTY)


@register.filter
def plain_number(value: Decimal | int | None) -> str:
    """A count or a full-time equivalent as written: ``185``, ``0,5``, ``2 500``."""
    if value is None:
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return format_amount(number.to_integral_value())
    whole, _, decimals = f"{abs(number):f}".partition(".")
    sign = "−" if number < 0 else ""
    return f"{sign}{format_amount(Decimal(whole))},{decimals.rstrip('0')}"


@register.filter
def target_value(target) -> str:
    """A goal's target as the plans write it: ``185 pers``, ``80 %``, or its text."""
    return _target(target.kind, target.value, target.unit, target.text)


@register.filter
def previous_target(target) -> str:
    """Last year's target beside this year's, or the empty string."""
    if target.previous_value is None and not target.previous_text:
        return ""
    return _target(target.kind, target.previous_value, target.unit, target.previous_text)


def _target(kind: str, value: Decimal | None, unit: str, text: str) -> str:
    if kind == "text" or value is None:
        return text
    if kind == "percent":
        return format_percent(value, 2, trim=True)
    return f"{plain_number(value)}\xa0{unit}" if unit else plain_number(value)


@register.filter
def finding_figures(finding: Finding) -> list[tuple[str, str]]:
    """The figures behind a finding as (label, formatted value) pairs, in the finding's order."""
    pairs = []
    for key, value in finding.figures.items():
        if key.endswith("_id") or value is None:
            continue
        label = FIGURE_LABELS.get(key, key.replace("_", " "))
        if key == "member_kind":
            shown = MEMBER_KINDS.get(str(value), str(value))
        elif key == "placeholder":
            shown = "{{" + str(value) + "}}"
        elif isinstance(value, str):
            shown = value
        elif key in SET_PERCENTAGES:
            shown = format_percent(value, 6, trim=True)
        elif key.endswith("_pct"):
            shown = format_percent(value)
        else:
            shown = format_money_sv(value)
        pairs.append((label, shown))
    return pairs


@register.filter
def severity_label(severity: str) -> str:
    return SEVERITY_LABELS.get(severity, severity)


MEMBER_KIND_LABELS = {
    "state": "staten",
    "region": "region",
    "municipality": "kommun",
}
COLUMN_KIND_LABELS = {
    "budget": "budget",
    "forecast": "prognos",
    "outcome": "utfall",
    "scenario": "scenario",
}


@register.filter
def member_kind(kind: str) -> str:
    return MEMBER_KIND_LABELS.get(kind, kind)


@register.filter
def column_kind(kind: str) -> str:
    return COLUMN_KIND_LABELS.get(kind, kind)
