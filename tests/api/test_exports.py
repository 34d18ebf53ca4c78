"""Exports through the API: the plan file, and the budget as XLSX whose formulas add up.

The XLSX test reads the file back, evaluates every formula over the cell values (a small
evaluator for what the export writes: SUM over cells and ranges, + − /) and compares the results
with the computation.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from budget.calc import INCOME_KINDS, PlanSummary
from budget.selectors import plan_summary
from plans.management.commands.load_demo import PLAN_FILES, demo_plan_data
from plans.models import Role
from plans.planfile import plan_export_bytes, plan_import
from tests.api.conftest import client_for
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DEMO = dict(zip(PLAN_FILES, demo_plan_data(), strict=True))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Sheet:
    """Cell values by reference; formulas evaluated on demand."""

    TOKEN = re.compile(r"\s*(SUM|[A-Z]+[0-9]+|\d+(?:\.\d+)?|[-+/*(),:])")

    def __init__(self, worksheet) -> None:
        self.ws = worksheet
        self.cache: dict[str, Decimal] = {}

    def value(self, ref: str) -> Decimal:
        if ref not in self.cache:
            raw = self.ws[ref].value
            if raw is None:
                self.cache[ref] = Decimal(0)
            elif isinstance(raw, str) and raw.startswith("="):
                self.cache[ref] = self.evaluate(raw[1:])
            else:
                self.cache[ref] = Decimal(str(raw))
        return self.cache[ref]

    def evaluate(self, formula: str) -> Decimal:
        self.tokens = self.TOKEN.findall(formula)
        assert "".join(self.tokens) == formula.replace(" ", ""), formula
        self.pos = 0
        result = self.expr()
        assert self.pos == len(self.tokens), formula
        return result

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.tokens[self.pos]
        assert expected is None or token == expected, (token, expected)
        self.pos += 1
        return token

    def expr(self) -> Decimal:
        value = self.term()
        while self.peek() in ("+", "-"):
            value = value + self.term() if self.take() == "+" else value - self.term()
        return value

    def term(self) -> Decimal:
        value = self.factor()
        while self.peek() in ("*", "/"):
            value = value * self.factor() if self.take() == "*" else value / self.factor()
        return value

    def factor(self) -> Decimal:
        token = self.take()
        if token == "-":
            return -self.factor()
        if token == "(":
            value = self.expr()
            self.take(")")
            return value
        if token == "SUM":
            self.take("(")
            total = self.argument()
            while self.peek() == ",":
                self.take(",")
                total += self.argument()
            self.take(")")
            return total
        if token[0].isdigit():
            return Decimal(token)
        return self.value(token)

    def argument(self) -> Decimal:
        start = self.take()
        if self.peek() != ":":
            return self.value(start)
        self.take(":")
        end = self.take()
        (c1, r1), (c2, r2) = _split(start), _split(end)
        assert c1 == c2, "the export sums within one column"
        return sum((self.value(f"{c1}{row}") for row in range(r1, r2 + 1)), Decimal(0))


def _split(ref: str) -> tuple[str, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert match
    return match[1], int(match[2])


def labels(ws) -> dict[str, int]:
    return {row[0].value: row[0].row for row in ws.iter_rows() if row[0].value}


def fetch_xlsx(plan):
    auditor = MembershipFactory(association=plan.association, role=Role.REVISOR).user
    response = client_for(auditor).get(f"/api/v1/plans/{plan.pk}/budget.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(BytesIO(response.content))


def check_budget_sheet(ws, summary: PlanSummary) -> int:
    """Walk the sheet as the export lays it out; return how many formulas were evaluated."""
    sheet = Sheet(ws)
    letters = {c.id: ws.cell(4, 2 + i).column_letter for i, c in enumerate(summary.input.columns)}
    assert [ws.cell(4, 2 + i).value for i in range(len(letters))] == [
        c.label for c in summary.input.columns
    ]
    formulas = 0
    row = 6
    for group in summary.groups:
        assert ws.cell(row, 1).value == group.group.name
        row += 1
        for line_row in group.rows:
            assert ws.cell(row, 1).value.startswith(line_row.line.name)
            for column_id, letter in letters.items():
                cell = ws[f"{letter}{row}"]
                want = line_row.amounts[column_id]
                if line_row.has_children:
                    assert str(cell.value).startswith("=SUM("), cell.value
                    formulas += 1
                assert sheet.value(f"{letter}{row}") == (want or 0), (line_row.line.name, letter)
            row += 1
        for column_id, letter in letters.items():
            cell = ws[f"{letter}{row}"]
            assert str(cell.value).startswith("=SUM("), (group.group.name, cell.value)
            assert "#,##0" in cell.number_format
            assert sheet.value(f"{letter}{row}") == group.totals[column_id]
            formulas += 1
        row += 2

    at = labels(ws)
    for column in summary.columns:
        letter = letters[column.column.id]
        assert sheet.value(f"{letter}{at['Summa intäkter']}") == column.total_income
        assert sheet.value(f"{letter}{at['Summa kostnader']}") == column.total_costs
        assert sheet.value(f"{letter}{at['Resultat']}") == column.result
        formulas += 3
        if column.in_equity_chain:
            opening = sheet.value(f"{letter}{at['Eget kapital vid årets början']}")
            closing = sheet.value(f"{letter}{at['Eget kapital vid årets slut']}")
            assert (opening, closing) == (column.opening_equity, column.closing_equity)
            formulas += 1
        if column.admin_share_pct is not None:
            share = sheet.value(f"{letter}{at['Administration i % av kostnaderna']}")
            assert abs(share * 100 - column.admin_share_pct) < Decimal("1e-20")
            formulas += 1
        if column.in_equity_chain and column.equity_share_pct is not None:
            share = sheet.value(f"{letter}{at['Eget kapital i % av medlemsavgifterna']}")
            assert abs(share * 100 - column.equity_share_pct) < Decimal("1e-20")
    return formulas


@pytest.mark.parametrize("name", PLAN_FILES)
def test_budget_xlsx_formulas_evaluate_to_the_computation(name):
    plan = plan_import(data=DEMO[name])
    summary = plan_summary(plan=plan)

    workbook = fetch_xlsx(plan)

    evaluated = check_budget_sheet(workbook["Budget"], summary)
    assert evaluated >= len(summary.groups) * len(summary.columns)


@pytest.mark.parametrize("name", PLAN_FILES)
def test_budget_xlsx_income_and_cost_totals_sum_the_right_groups(name):
    plan = plan_import(data=DEMO[name])
    summary = plan_summary(plan=plan)
    ws = fetch_xlsx(plan)["Budget"]
    at = labels(ws)

    income = ws.cell(at["Summa intäkter"], 2).value
    costs = ws.cell(at["Summa kostnader"], 2).value

    assert income.startswith("=SUM(") and costs.startswith("=SUM(")
    sides = [group.group.kind in INCOME_KINDS for group in summary.groups]
    assert income.count(",") + 1 == sides.count(True)
    assert costs.count(",") + 1 == sides.count(False)


def test_budget_xlsx_sums_sub_lines_into_their_parent(world):
    rows = world.draft.rows
    line, column = rows["budget-lines"], rows["budget-columns"]
    line.amounts.all().delete()
    for n, amount in enumerate(["100.25", "200.50", "300.25"]):
        child = type(line).objects.create(group=line.group, parent=line, name=f"Del {n}")
        child.amounts.create(column=column, amount=Decimal(amount))
    summary = plan_summary(plan=world.draft.plan)

    ws = fetch_xlsx(world.draft.plan)["Budget"]

    check_budget_sheet(ws, summary)
    parent_row = labels(ws)[line.name]
    assert ws.cell(parent_row, 2).value == f"=SUM(B{parent_row + 1}:B{parent_row + 3})"
    assert ws.cell(parent_row, 2).number_format == "#,##0.00"  # öre present: two decimals
    assert Sheet(ws).value(f"B{parent_row}") == Decimal("601.00")


def test_budget_xlsx_lists_the_checks(world):
    workbook = fetch_xlsx(world.draft.plan)

    findings = list(workbook["Kontroller"].iter_rows(min_row=2, values_only=True))

    assert ("Fel", None, "shares_total") in [row[:3] for row in findings]


@pytest.mark.parametrize("name", PLAN_FILES)
def test_plan_file_endpoint_returns_the_export_bytes(name):
    plan = plan_import(data=DEMO[name])
    auditor = MembershipFactory(association=plan.association, role=Role.REVISOR).user

    response = client_for(auditor).get(f"/api/v1/plans/{plan.pk}/planfile/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content == plan_export_bytes(plan=plan)
