"""The rows of the grid: columns, groups and lines, as typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from plans.editor.grid.values import decimal_text, digest, parse_cell


@dataclass
class ColumnState:
    key: str
    label: str
    kind: str
    year: str  # as typed
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def year_value(self) -> int | None:
        try:
            year = int(self.year.strip())
        except ValueError:
            return None
        return year if 2000 <= year <= 2200 else None


@dataclass
class GroupState:
    key: str
    kind: str
    name: str
    total_label: str
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class LineState:
    key: str
    group: str  # group key
    parent: str  # line key or ""
    name: str
    footnote: str = ""
    project: str = ""  # project id or ""
    member: str = ""  # member id or ""
    version: int | None = None  # None for a line added on the page
    orig: str = ""  # digest of the content as loaded; "" for a new line
    cells: dict[str, str] = field(default_factory=dict)  # column key -> text as typed
    errors: dict[str, str] = field(default_factory=dict)  # "name", "amount-<col>" …
    theirs: LineState | None = None  # the stored line, when someone else changed it

    def amounts(self) -> dict[str, Decimal]:
        """Column key -> amount of the well-formed, non-empty cells."""
        result = {}
        for key, text in self.cells.items():
            value, error = parse_cell(text)
            if value is not None and not error:
                result[key] = value
        return result

    def digest(self) -> str:
        content = [
            self.name,
            self.group,
            self.parent,
            self.footnote,
            self.project,
            self.member,
            sorted((k, decimal_text(v)) for k, v in self.amounts().items()),
        ]
        return digest(content)
