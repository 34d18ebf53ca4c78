"""The budget as an Excel workbook that shows its own arithmetic.

Line amounts are values; every sum is a formula (``=SUM(C6:C9)``), so an auditor who opens the file
sees how each total is made and Excel recomputes it. The values of the formulas equal the
computation (``budget.calc``) because the rows are laid out from the same ``PlanSummary``: a
parent line sums its sub-lines, a group total its top-level lines, total income and costs the group
totals, the result is income − costs and the equity rolls forward column by column.

A second sheet lists the checks' findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from budget.calc import INCOME_KINDS, ColumnSummary, GroupRows, PlanSummary
from budget.checks import Finding

AMOUNT_FORMAT = "#,##0"
AMOUNT_FORMAT_ORE = "#,##0.00"
PERCENT_FORMAT = "0.0%"
FIRST_AMOUNT_COLUMN = 2  # column B; column A holds the names
BOLD = Font(bold=True)

SEVERITY_LABELS = {"error": "Fel", "warning": "Varning", "info": "Information"}


def budget_xlsx(*, summary: PlanSummary, title: str, findings: Iterable[Finding] = ()) -> bytes:
    """Return the budget of ``summary`` as an XLSX file (bytes). ``findings`` fill a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Budget"
    _BudgetSheet(sheet, summary, title).write()
    findings = list(findings)
    if findings:
        _write_findings(workbook.create_sheet("Kontroller"), findings)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


class _BudgetSheet:
    def __init__(self, sheet: Worksheet, summary: PlanSummary, title: str) -> None:
        self.sheet = sheet
        self.summary = summary
        self.title = title
        self.columns = summary.input.columns
        self.letters = {
            column.id: get_column_letter(FIRST_AMOUNT_COLUMN + index)
            for index, column in enumerate(self.columns)
        }
        self.amount_format = AMOUNT_FORMAT_ORE if _has_ore(summary) else AMOUNT_FORMAT
        self.row = 1

    def write(self) -> None:
        sheet = self.sheet
        sheet.cell(1, 1, self.title).font = Font(bold=True, size=14)
        sheet.cell(2, 1, "Belopp i kronor. Summaraderna är formler som Excel räknar om.")
        self.row = 4
        sheet.cell(self.row, 1, "Budgetpost").font = BOLD
        for column in self.columns:
            cell = sheet.cell(self.row, self._col(column.id), column.label)
            cell.font = BOLD
            cell.alignment = Alignment(horizontal="right")
        self.row += 2

        income_totals: list[int] = []
        cost_totals: list[int] = []
        contribution_totals: list[int] = []
        administration_totals: list[int] = []
        for group in self.summary.groups:
            total_row = self._write_group(group)
            (income_totals if group.group.kind in INCOME_KINDS else cost_totals).append(total_row)
            if group.group.kind == "contributions":
                contribution_totals.append(total_row)
            if group.group.kind == "administration":
                administration_totals.append(total_row)

        income = self._formula_row("Summa intäkter", lambda c: _sum(c, income_totals))
        costs = self._formula_row("Summa kostnader", lambda c: _sum(c, cost_totals))
        result = self._formula_row("Resultat", lambda c: f"={c}{income}-{c}{costs}")
        self.row += 1
        closing = self._write_equity(result)
        self.row += 1
        self._formula_row(
            "Administration i % av kostnaderna",
            lambda c: f"={_sum(c, administration_totals)[1:]}/{c}{costs}",
            number_format=PERCENT_FORMAT,
            when=lambda s: s.total_costs != 0,
            bold=False,
        )
        self._formula_row(
            "Eget kapital i % av medlemsavgifterna",
            lambda c: f"={c}{closing}/{_sum(c, contribution_totals)[1:]}",
            number_format=PERCENT_FORMAT,
            when=lambda s: s.in_equity_chain and s.allocation != 0,
            bold=False,
        )
        sheet.column_dimensions["A"].width = 48
        for letter in self.letters.values():
            sheet.column_dimensions[letter].width = 16

    def _col(self, column_id: int) -> int:
        return FIRST_AMOUNT_COLUMN + [c.id for c in self.columns].index(column_id)

    def _write_group(self, group: GroupRows) -> int:
        sheet = self.sheet
        sheet.cell(self.row, 1, group.group.name).font = BOLD
        self.row += 1
        row_of: dict[int, int] = {}
        children: dict[int, list[int]] = {}
        top_rows: list[int] = []
        parents = []
        for line_row in group.rows:
            number = self.row
            row_of[line_row.line.id] = number
            name = line_row.line.name
            if line_row.footnote_mark:
                name = f"{name} ({line_row.footnote_mark})"
            name_cell = sheet.cell(number, 1, name)
            name_cell.alignment = Alignment(indent=2 * line_row.depth)
            parent_id = line_row.line.parent_id if line_row.depth else None
            if line_row.depth == 0:
                top_rows.append(number)
            elif parent_id in row_of:
                children.setdefault(row_of[parent_id], []).append(number)
            if line_row.has_children:
                parents.append(number)
            else:
                for column in self.columns:
                    amount = line_row.amounts.get(column.id)
                    if amount is not None:
                        self._amount(number, column.id, amount)
            self.row += 1
        for number in parents:
            for column in self.columns:
                letter = self.letters[column.id]
                self._amount(number, column.id, _sum(letter, children.get(number, [])))
        label = group.group.total_label or f"Summa {group.group.name.lower()}"
        total_row = self._formula_row(label, lambda c: _sum(c, top_rows))
        self.row += 1
        return total_row

    def _formula_row(
        self,
        label: str,
        formula: Callable[[str], str],
        *,
        number_format: str | None = None,
        when: Callable[[ColumnSummary], bool] | None = None,
        bold: bool = True,
    ) -> int:
        number = self.row
        self.sheet.cell(number, 1, label).font = Font(bold=bold)
        for column, column_summary in zip(self.columns, self.summary.columns, strict=True):
            if when is not None and not when(column_summary):
                continue
            cell = self._amount(number, column.id, formula(self.letters[column.id]))
            cell.font = Font(bold=bold)
            if number_format:
                cell.number_format = number_format
        self.row += 1
        return number

    def _write_equity(self, result_row: int) -> int:
        """Opening and closing equity of the chain columns; return the closing row.

        The opening is the plan's figure, or the closing cell of the column it carries over.
        """
        opening_row, closing_row = self.row, self.row + 1
        self.sheet.cell(opening_row, 1, "Eget kapital vid årets början").font = BOLD
        self.sheet.cell(closing_row, 1, "Eget kapital vid årets slut").font = BOLD
        chain = [s for s in self.summary.columns if s.in_equity_chain]
        for column_summary in chain:
            column = column_summary.column
            letter = self.letters[column.id]
            source = _carried_from(column_summary, chain)
            opening: str | Decimal
            if source is None:
                opening = column_summary.opening_equity or Decimal(0)
            else:
                opening = f"={self.letters[source.column.id]}{closing_row}"
            self._amount(opening_row, column.id, opening).font = BOLD
            closing = f"={letter}{opening_row}+{letter}{result_row}"
            self._amount(closing_row, column.id, closing).font = BOLD
        self.row += 2
        return closing_row

    def _amount(self, row: int, column_id: int, value: Decimal | str) -> Cell:
        cell = self.sheet.cell(row, self._col(column_id), value)
        cell.number_format = self.amount_format
        return cell


def _carried_from(column: ColumnSummary, chain: Sequence[ColumnSummary]) -> ColumnSummary | None:
    """The chain column of the latest earlier year whose closing equity ``column`` opens with.

    Of several columns of that year, the budget one. None for the plan's first year, or where
    the opening is not a carried figure.
    """
    earlier = [s for s in chain if s.column.year < column.column.year]
    if not earlier:
        return None
    year = max(s.column.year for s in earlier)
    of_year = [s for s in earlier if s.column.year == year]
    source = min(of_year, key=lambda s: s.column.kind != "budget")
    return source if source.closing_equity == column.opening_equity else None


def _sum(letter: str, rows: Sequence[int]) -> str:
    """``=SUM(B6:B8,B11)`` over ``rows`` of column ``letter``, consecutive rows as ranges."""
    if not rows:
        return "=0"
    parts: list[str] = []
    start = previous = rows[0]
    for number in [*rows[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(
            f"{letter}{start}" if start == previous else f"{letter}{start}:{letter}{previous}"
        )
        if number is not None:
            start = previous = number
    return f"=SUM({','.join(parts)})"


def _has_ore(summary: PlanSummary) -> bool:
    return (
        any(
            amount is not None and amount != amount.to_integral_value()
            for line in summary.input.lines
            for amount in line.amounts.values()
        )
        or summary.input.opening_equity != summary.input.opening_equity.to_integral_value()
    )


def _write_findings(sheet: Worksheet, findings: Sequence[Finding]) -> None:
    sheet.append(["Allvarlighet", "Kolumn", "Kod", "Meddelande"])
    for cell in sheet[1]:
        cell.font = BOLD
    for finding in findings:
        sheet.append(
            [
                SEVERITY_LABELS.get(finding.severity, finding.severity),
                finding.column_label or "",
                finding.code,
                finding.message,
            ]
        )
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 24
    sheet.column_dimensions["D"].width = 100
