"""The plan's two charts as inline SVG, drawn here in Python for the page and the PDF alike.

Simple SVG on purpose (rectangles, lines, text with an explicit font family, no ``<symbol>``, no
``<use>``, no external references), so that WeasyPrint and every browser draw it the same. The
figures written on the charts go through ``finsam.formatting`` like every other figure; the
arithmetic here is only geometry (where a bar ends), never a figure the reader sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape

from budget.calc import ColumnSummary, PlanSummary
from finsam.formatting import format_amount, format_percent

FONT_FAMILY = "'Open Sans', 'DejaVu Sans', Arial, sans-serif"
TEXT_COLOUR = "#1f2a33"
MUTED_COLOUR = "#5c6770"
RULE_COLOUR = "#d5dadf"

COST_SERIES: tuple[tuple[str, str, str], ...] = (
    ("administration", "Administration", "#50657a"),
    ("individual", "Individinriktade insatser", "#2d6e6a"),
    ("structural", "Strukturinriktade insatser", "#8fb8ae"),
    ("preventive", "Förebyggande insatser", "#c59b4a"),
    ("other_cost", "Övriga kostnader", "#b4b9be"),
)
EQUITY_COLOUR = "#2d6e6a"
NEGATIVE_COLOUR = "#a23b2f"
LIMIT_COLOUR = "#c0392b"

HEADROOM = Decimal("1.08")  # room above the highest bar for its label
WIDTH = 640
HEIGHT = 290
LEFT = 86  # room for the amount axis
RIGHT = 16
TOP = 24
BOTTOM = 64  # room for column labels and the legend


@dataclass(frozen=True)
class _Scale:
    low: int
    high: int
    step: int

    def y(self, value: Decimal | int) -> float:
        span = self.high - self.low or 1
        return TOP + (HEIGHT - TOP - BOTTOM) * float(self.high - Decimal(value)) / span

    def ticks(self) -> list[int]:
        return list(range(self.low, self.high + 1, self.step))


def cost_chart_svg(summary: PlanSummary, *, unit: str = "kr") -> str:
    """Return the costs of every column stacked by group kind, with the total above each bar."""
    series = [
        item
        for item in COST_SERIES
        if any(column.kind_totals.get(item[0], 0) for column in summary.columns)
    ]
    heights = [
        sum(
            (max(column.kind_totals.get(kind, Decimal(0)), Decimal(0)) for kind, _, _ in series),
            Decimal(0),
        )
        for column in summary.columns
    ]
    scale = _scale(Decimal(0), max(heights, default=Decimal(0)) * HEADROOM)
    parts = _frame(scale, unit)
    slot, bar = _slots(len(summary.columns))
    for index, column in enumerate(summary.columns):
        x = LEFT + index * slot + (slot - bar) / 2
        stacked = Decimal(0)
        for kind, label, colour in series:
            value = max(column.kind_totals.get(kind, Decimal(0)), Decimal(0))
            if not value:
                continue
            top, bottom = scale.y(stacked + value), scale.y(stacked)
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{bottom - top:.1f}" '
                f'fill="{colour}"><title>{escape(label)} {escape(column.column.label)}: '
                f"{format_amount(value, unit=unit)}</title></rect>"
            )
            stacked += value
        parts.append(
            _text(
                x + bar / 2,
                scale.y(stacked) - 6,
                format_amount(column.total_costs, unit=unit),
                anchor="middle",
                weight="600",
            )
        )
        parts.append(_column_label(x + bar / 2, column))
    parts.extend(_legend([(label, colour, "box") for _, label, colour in series]))
    return _svg(
        parts,
        title="Kostnader per år fördelade på slag",
        description=f"Staplade staplar per budgetkolumn, belopp i {_unit_word(unit)}.",
    )


def equity_chart_svg(summary: PlanSummary, *, unit: str = "kr") -> str:
    """Return the closing equity of each budget year as a bar, with the limit as a line over it."""
    columns = [c for c in summary.columns if c.in_equity_chain and c.closing_equity is not None]
    values = [c.closing_equity for c in columns if c.closing_equity is not None]
    limits = [c.equity_limit for c in columns]
    scale = _scale(
        min([Decimal(0), *values]) * HEADROOM, max([Decimal(0), *values, *limits]) * HEADROOM
    )
    parts = _frame(scale, unit)
    slot, bar = _slots(len(columns))
    limit_pct = format_percent(summary.input.thresholds.equity_limit_pct, 2, trim=True)
    for index, column in enumerate(columns):
        closing = column.closing_equity if column.closing_equity is not None else Decimal(0)
        x = LEFT + index * slot + (slot - bar) / 2
        top, bottom = sorted((scale.y(closing), scale.y(0)))
        colour = EQUITY_COLOUR if closing >= 0 else NEGATIVE_COLOUR
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{bottom - top:.1f}" '
            f'fill="{colour}"><title>Eget kapital {escape(column.column.label)}: '
            f"{format_amount(closing, unit=unit)}</title></rect>"
        )
        label_y = top - 6 if closing >= 0 else bottom + 14
        parts.append(
            _text(
                x + bar / 2,
                label_y,
                format_amount(closing, unit=unit),
                anchor="middle",
                weight="600",
            )
        )
        limit_y = scale.y(column.equity_limit)
        parts.append(
            f'<line x1="{x - 10:.1f}" y1="{limit_y:.1f}" x2="{x + bar + 10:.1f}" '
            f'y2="{limit_y:.1f}" stroke="#ffffff" stroke-width="5"/>'
        )
        parts.append(
            f'<line x1="{x - 10:.1f}" y1="{limit_y:.1f}" x2="{x + bar + 10:.1f}" '
            f'y2="{limit_y:.1f}" stroke="{LIMIT_COLOUR}" stroke-width="2.5" '
            f'stroke-dasharray="7 4"><title>Tak {escape(column.column.label)}: '
            f"{format_amount(column.equity_limit, unit=unit)}</title></line>"
        )
        parts.append(_column_label(x + bar / 2, column))
    parts.extend(
        _legend(
            [
                ("Eget kapital vid årets utgång", EQUITY_COLOUR, "box"),
                (f"Tak: {limit_pct} av medlemsavgifterna", LIMIT_COLOUR, "line"),
            ]
        )
    )
    return _svg(
        parts,
        title="Eget kapital per år och taket för eget kapital",
        description=f"Staplar per budgetår, belopp i {_unit_word(unit)}.",
    )


def _scale(low: Decimal, high: Decimal) -> _Scale:
    """A scale from ``low`` to ``high`` rounded out to about five even, whole steps."""
    span = high - low
    if span <= 0:
        return _Scale(0, 1000, 250)
    raw = span / 5
    magnitude = Decimal(10) ** max(len(str(int(raw))) - 1, 0)
    step = next(
        (
            magnitude * m
            for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
            if magnitude * m >= raw
        ),
        magnitude * 10,
    )
    if step != step.to_integral_value():
        step = magnitude * 5
    whole_step = int(step)
    floor = int((low / whole_step).to_integral_value(rounding=ROUND_FLOOR)) * whole_step
    ceiling = int((high / whole_step).to_integral_value(rounding=ROUND_CEILING)) * whole_step
    return _Scale(floor, max(ceiling, floor + whole_step), whole_step)


def _slots(count: int) -> tuple[float, float]:
    slot = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return slot, min(slot * 0.55, 110.0)


def _frame(scale: _Scale, unit: str) -> list[str]:
    parts = []
    for tick in scale.ticks():
        y = scale.y(tick)
        stroke = MUTED_COLOUR if tick == 0 else RULE_COLOUR
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{stroke}" stroke-width="{1 if tick == 0 else 0.6}"/>'
        )
        parts.append(
            _text(
                LEFT - 8, y + 4, format_amount(tick, unit=unit), anchor="end", colour=MUTED_COLOUR
            )
        )
    parts.append(_text(LEFT - 8, TOP - 10, unit, anchor="end", colour=MUTED_COLOUR))
    return parts


def _column_label(x: float, column: ColumnSummary) -> str:
    return _text(x, HEIGHT - BOTTOM + 17, column.column.label, anchor="middle")


def _legend(items: list[tuple[str, str, str]]) -> list[str]:
    parts = []
    x = float(LEFT)
    y = HEIGHT - 18
    for label, colour, shape in items:
        if shape == "box":
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>'
            )
        else:
            parts.append(
                f'<line x1="{x - 2:.1f}" y1="{y - 4:.1f}" x2="{x + 12:.1f}" y2="{y - 4:.1f}" '
                f'stroke="{colour}" stroke-width="2" stroke-dasharray="6 3"/>'
            )
        parts.append(_text(x + 15, y, label, colour=MUTED_COLOUR))
        x += 15 + 6.0 * len(label) + 22
    return parts


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    weight: str = "400",
    colour: str = TEXT_COLOUR,
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-family="{FONT_FAMILY}" '
        f'font-size="11" font-weight="{weight}" fill="{colour}">{escape(content)}</text>'
    )


def _svg(parts: list[str], *, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" class="chart" '
        f'font-family="{FONT_FAMILY}"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>" + "".join(parts) + "</svg>"
    )


def _unit_word(unit: str) -> str:
    return "tusentals kronor" if unit == "tkr" else "kronor"
