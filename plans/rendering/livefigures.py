"""Live figures: prose that quotes the computation, so the text cannot disagree with the tables.

A section writes ``{{adminandel 2022}}`` and reads "21,0 %" in the page and the PDF, the very
figure of the budget table. The syntax and every name are documented in ``docs/live-figures.md``;
``FIGURES`` below is the vocabulary. In short::

    {{namn kolumn}}              a figure of a budget column: kolumn is a year or a "label"
    {{namn kolumn decimaler=2}}  a percentage with another number of decimals (0–3)
    {{medlemsavgift "Medlem" kolumn}}, {{nettokostnad "Insats" kolumn}}, {{andel "Medlem"}}
    {{tak_eget_kapital}}, {{tak_adminandel}}

A placeholder that does not resolve (unknown name, column, member or project, or a figure the
column does not have) shows a red "[okänt tal: …]" and becomes a ``live_figure_unknown`` finding of
severity error. It never breaks the page. A placeholder inside a code span is left as written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from budget.calc import ColumnSummary, PlanSummary
from budget.checks import ERROR, Finding
from finsam.formatting import format_money_sv, format_percent
from plans.rendering.markdown import clean_html, converter

FINDING_CODE = "live_figure_unknown"
UNKNOWN_MARK = "[okänt tal: {source}]"
UNKNOWN_MESSAGE = (
    "Avsnittet ”{section}” citerar ett tal som inte finns: {{{{{source}}}}} ({reason})."
)

UNKNOWN_NAME = "okänt namn ”{name}”"
NO_COLUMN = "ingen budgetkolumn ”{column}”"
COLUMN_MISSING = "ange kolumnen, ett år eller en rubrik inom citattecken"
NO_MEMBER = "ingen medlem ”{member}”"
NO_PROJECT = "ingen insats ”{project}”"
NAME_MISSING = "ange vilken {what} inom citattecken"
NO_VALUE = "talet saknas i kolumnen ”{column}”"
BAD_DECIMALS = "decimaler ska vara 0–3"
TOO_MANY_PARTS = "för många delar"
EMPTY = "tom platshållare"

PLACEHOLDER_PATTERN = r"\{\{\s*(.*?)\s*\}\}"
_TOKENS = re.compile(r'"[^"]*"|“[^”]*”|”[^”]*”|«[^»]*»|\S+')
_DECIMALS = re.compile(r"^decimaler=(\d+)$")
_MINUS_LIKE = str.maketrans({"-": "−", "–": "−"})

Kind = Literal["amount", "percent"]


@dataclass(frozen=True)
class ColumnFigure:
    """A figure every budget column has."""

    kind: Kind
    description: str  # Swedish, for docs/live-figures.md and the figure's tooltip
    value: Callable[[ColumnSummary], Decimal | None]


def _kind_total(kind: str) -> Callable[[ColumnSummary], Decimal | None]:
    return lambda column: column.kind_totals.get(kind, Decimal(0))


FIGURES: dict[str, ColumnFigure] = {
    "medlemsavgifter": ColumnFigure(
        "amount", "medlemmarnas avgifter (tilldelningen)", lambda c: c.allocation
    ),
    "övriga_intäkter": ColumnFigure("amount", "övriga intäkter", lambda c: c.other_income),
    "intäkter": ColumnFigure("amount", "summa intäkter", lambda c: c.total_income),
    "kostnader": ColumnFigure("amount", "summa kostnader", lambda c: c.total_costs),
    "resultat": ColumnFigure("amount", "resultat (intäkter − kostnader)", lambda c: c.result),
    "eget_kapital_ingående": ColumnFigure(
        "amount", "eget kapital vid årets ingång", lambda c: c.opening_equity
    ),
    "eget_kapital_utgående": ColumnFigure(
        "amount", "eget kapital vid årets utgång", lambda c: c.closing_equity
    ),
    "eget_kapital": ColumnFigure(
        "amount", "eget kapital vid årets utgång (samma som ovan)", lambda c: c.closing_equity
    ),
    "eget_kapital_tak": ColumnFigure(
        "amount", "högsta eget kapital enligt förbundets gräns", lambda c: c.equity_limit
    ),
    "administration": ColumnFigure(
        "amount", "administrativa kostnader", _kind_total("administration")
    ),
    "individinriktat": ColumnFigure(
        "amount", "individinriktade insatser", _kind_total("individual")
    ),
    "strukturinriktat": ColumnFigure(
        "amount", "strukturinriktade insatser", _kind_total("structural")
    ),
    "förebyggande": ColumnFigure("amount", "förebyggande insatser", _kind_total("preventive")),
    "övriga_kostnader": ColumnFigure("amount", "övriga kostnader", _kind_total("other_cost")),
    "adminandel": ColumnFigure(
        "percent", "administrationens andel av kostnaderna", lambda c: c.admin_share_pct
    ),
    "individandel": ColumnFigure(
        "percent",
        "individinriktade insatsers andel av individ- och strukturinsatserna",
        lambda c: c.individual_share_pct,
    ),
    "strukturandel": ColumnFigure(
        "percent",
        "strukturinriktade insatsers andel av individ- och strukturinsatserna",
        lambda c: c.structural_share_pct,
    ),
    "eget_kapital_andel": ColumnFigure(
        "percent",
        "eget kapital vid årets utgång i procent av medlemsavgifterna",
        lambda c: c.equity_share_pct,
    ),
    "resultatandel": ColumnFigure(
        "percent", "resultatet i procent av medlemsavgifterna", lambda c: c.result_share_pct
    ),
}
# Figures of one member or project in one column, and figures of the whole plan.
MEMBER_CONTRIBUTION = "medlemsavgift"
PROJECT_NET_COST = "nettokostnad"
MEMBER_SHARE = "andel"
EQUITY_LIMIT_PCT = "tak_eget_kapital"
ADMIN_LIMIT_PCT = "tak_adminandel"
OTHER_NAMES = (
    MEMBER_CONTRIBUTION,
    PROJECT_NET_COST,
    MEMBER_SHARE,
    EQUITY_LIMIT_PCT,
    ADMIN_LIMIT_PCT,
)


@dataclass(frozen=True)
class Resolved:
    """What a placeholder came to: ``text`` if it resolved, else the ``reason`` it did not."""

    source: str
    text: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class UnknownFigure:
    section: str
    source: str
    reason: str

    def finding(self) -> Finding:
        return Finding(
            FINDING_CODE,
            ERROR,
            UNKNOWN_MESSAGE.format(section=self.section, source=self.source, reason=self.reason),
            {"section": self.section, "placeholder": self.source, "reason": self.reason},
        )


@dataclass(frozen=True)
class RenderedProse:
    html: str
    unknown: tuple[UnknownFigure, ...] = field(default=())


class LiveFigures:
    """Resolves placeholders against one plan's summary; amounts are shown in ``unit``."""

    def __init__(self, summary: PlanSummary, *, unit: str = "kr") -> None:
        self.summary = summary
        self.unit = unit
        # One converter for all of a plan's prose: building one costs more than converting.
        self._extension = _LiveFigureExtension(self)
        self._markdown = converter([self._extension])

    def resolve(self, source: str) -> Resolved:
        """Return what the placeholder ``{{source}}`` shows."""
        parts = [_unquote(token) for token in _TOKENS.findall(source)]
        decimals = 1
        if parts and (match := _DECIMALS.match(parts[-1])):
            decimals = int(match[1])
            parts.pop()
            if decimals > 3:
                return Resolved(source, reason=BAD_DECIMALS)
        if not parts:
            return Resolved(source, reason=EMPTY)
        name, args = parts[0].lower(), parts[1:]
        try:
            value, kind = self._value(name, args)
        except _Unresolved as error:
            return Resolved(source, reason=str(error))
        if kind == "amount":
            return Resolved(source, text=format_money_sv(value, unit=self.unit))
        places = 6 if name == MEMBER_SHARE or name.startswith("tak_") else decimals
        return Resolved(source, text=format_percent(value, places, trim=places == 6))

    def render(self, text: str, *, section: str) -> RenderedProse:
        """Return the Markdown ``text`` of ``section`` as safe HTML with its figures filled in."""
        self._extension.resolved.clear()
        html = clean_html(self._markdown.reset().convert(text))
        unknown = tuple(
            UnknownFigure(section=section, source=r.source, reason=r.reason)
            for r in self._extension.resolved
            if not r.ok
        )
        return RenderedProse(html=html, unknown=unknown)

    def _value(self, name: str, args: list[str]) -> tuple[Decimal, Kind]:
        if name in FIGURES:
            figure = FIGURES[name]
            if len(args) != 1:
                raise _Unresolved(COLUMN_MISSING if not args else TOO_MANY_PARTS)
            column = self._column(args[0])
            return _present(figure.value(column), column), figure.kind
        thresholds = self.summary.input.thresholds
        if name in (EQUITY_LIMIT_PCT, ADMIN_LIMIT_PCT):
            if args:
                raise _Unresolved(TOO_MANY_PARTS)
            if name == EQUITY_LIMIT_PCT:
                return thresholds.equity_limit_pct, "percent"
            return thresholds.admin_share_limit_pct, "percent"
        if name == MEMBER_SHARE:
            if len(args) != 1:
                raise _Unresolved(
                    NAME_MISSING.format(what="medlem") if not args else TOO_MANY_PARTS
                )
            for share in self.summary.input.shares:
                if _same(share.member_name, args[0]):
                    return share.share_pct, "percent"
            raise _Unresolved(NO_MEMBER.format(member=args[0]))
        if name in (MEMBER_CONTRIBUTION, PROJECT_NET_COST):
            what = "medlem" if name == MEMBER_CONTRIBUTION else "insats"
            if len(args) < 2:
                raise _Unresolved(NAME_MISSING.format(what=what) if not args else COLUMN_MISSING)
            if len(args) > 2:
                raise _Unresolved(TOO_MANY_PARTS)
            column = self._column(args[1])
            if name == MEMBER_CONTRIBUTION:
                for contribution in column.contributions:
                    if _same(contribution.member_name, args[0]):
                        return contribution.computed, "amount"
                raise _Unresolved(NO_MEMBER.format(member=args[0]))
            for project in column.projects:
                if _same(project.project_name, args[0]):
                    return project.net_cost, "amount"
            raise _Unresolved(NO_PROJECT.format(project=args[0]))
        raise _Unresolved(UNKNOWN_NAME.format(name=name))

    def _column(self, reference: str) -> ColumnSummary:
        candidates: list[str | int] = [reference, reference.translate(_MINUS_LIKE)]
        if reference.isdigit():
            candidates.insert(0, int(reference))
        for candidate in candidates:
            try:
                return self.summary.column(candidate)
            except KeyError:
                continue
        raise _Unresolved(NO_COLUMN.format(column=reference))


def prose_findings(rendered: list[RenderedProse] | tuple[RenderedProse, ...]) -> list[Finding]:
    """Return one ``live_figure_unknown`` finding per unresolved placeholder, in text order."""
    return [unknown.finding() for prose in rendered for unknown in prose.unknown]


class _Unresolved(Exception):
    pass


def _present(value: Decimal | None, column: ColumnSummary) -> Decimal:
    if value is None:
        raise _Unresolved(NO_VALUE.format(column=column.column.label))
    return value


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] in '"“”«' and token[-1] in '"”»':
        return token[1:-1].strip()
    return token


def _same(name: str, wanted: str) -> bool:
    return name.casefold() == wanted.casefold()


class _LiveFigureProcessor(InlineProcessor):
    def __init__(self, pattern: str, figures: LiveFigures, resolved: list[Resolved]) -> None:
        super().__init__(pattern)
        self.figures = figures
        self.resolved = resolved

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element, int, int]:
        resolved = self.figures.resolve(m.group(1))
        self.resolved.append(resolved)
        element = ET.Element("span")
        if resolved.ok:
            element.set("class", "live-figure")
            element.text = AtomicString(resolved.text)
        else:
            element.set("class", "live-figure-unknown")
            element.set("title", resolved.reason)
            element.text = AtomicString(UNKNOWN_MARK.format(source=resolved.source))
        return element, m.start(0), m.end(0)


class _LiveFigureExtension(Extension):
    def __init__(self, figures: LiveFigures) -> None:
        super().__init__()
        self.figures = figures
        self.resolved: list[Resolved] = []

    def extendMarkdown(self, md: Markdown) -> None:
        # After code spans (190) and backslash escapes (180), before links and emphasis.
        md.inlinePatterns.register(
            _LiveFigureProcessor(PLACEHOLDER_PATTERN, self.figures, self.resolved),
            "live_figure",
            175,
        )
