"""The three real plans, imported from the demo plan files, computed to the krona.

Figures are those of the documents in shared/seeds, except where the documents themselves are wrong
(DESIGN.md, "What the real plans get wrong"): there the lines are the truth.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from budget.calc import largest_remainder
from budget.checks import run_checks
from budget.selectors import plan_summary
from plans.planfile import plan_import
from plans.rendering.livefigures import LiveFigures

DEMO = Path(__file__).resolve().parent.parent / "plans" / "demo"

pytestmark = pytest.mark.django_db


def load(name: str):
    return plan_import(data=json.loads((DEMO / name).read_text(encoding="utf-8")))


def kr(*values: int) -> list[Decimal]:
    return [Decimal(v) for v in values]


def column_figures(summary, attribute: str) -> list[Decimal]:
    return [getattr(column, attribute) for column in summary.columns]


def rounded(values, places: str = "0.01") -> list[Decimal]:
    return [value.quantize(Decimal(places)) for value in values]


class TestVarna2021:
    @pytest.fixture
    def summary(self):
        return plan_summary(plan=load("varna-2021.json"))

    def test_columns_are_the_documents(self, summary):
        assert [c.column.label for c in summary.columns] == ["2021 − 10 %", "2022", "2023"]

    def test_allocation_income_costs_result(self, summary):
        assert column_figures(summary, "allocation") == kr(6_433_200, 7_652_000, 7_652_000)
        assert column_figures(summary, "total_income") == kr(12_548_463, 14_337_243, 12_844_985)
        assert column_figures(summary, "total_costs") == kr(15_656_413, 15_458_440, 12_653_040)
        assert column_figures(summary, "result") == kr(-3_107_950, -1_121_197, 191_945)

    def test_equity_rolls_forward_from_opening_equity(self, summary):
        assert column_figures(summary, "opening_equity") == kr(6_091_276, 2_983_326, 1_862_129)
        assert column_figures(summary, "closing_equity") == kr(2_983_326, 1_862_129, 2_054_074)

    def test_administration_share_and_split(self, summary):
        assert rounded(column_figures(summary, "admin_share_pct")) == [
            Decimal("20.43"),
            Decimal("20.99"),
            Decimal("26.43"),
        ]
        assert rounded(column_figures(summary, "individual_share_pct")) == [
            Decimal("92.04"),
            Decimal("90.24"),
            Decimal("88.27"),
        ]
        assert rounded(column_figures(summary, "structural_share_pct")) == [
            Decimal("7.96"),
            Decimal("9.76"),
            Decimal("11.73"),
        ]

    def test_equity_check_warns_in_all_three_years(self, summary):
        findings = [f for f in run_checks(summary) if f.code == "equity_above_limit"]
        assert [f.severity for f in findings] == ["warning"] * 3
        assert [f.column_label for f in findings] == ["2021 − 10 %", "2022", "2023"]
        assert rounded(column_figures(summary, "equity_share_pct"), "0.1") == [
            Decimal("46.4"),
            Decimal("24.3"),
            Decimal("26.8"),
        ]

    def test_member_amounts_match_the_shares(self, summary):
        first = summary.columns[0]
        assert [c.computed for c in first.contributions] == kr(
            3_216_600, 1_608_300, 1_127_418, 480_882
        )
        assert [c.entered for c in first.contributions] == [c.computed for c in first.contributions]
        assert not [f for f in run_checks(summary) if f.code == "contribution_mismatch"]

    def test_budget_commentary_quotes_the_tables_figures(self, summary):
        # The Word document typed 89 %–11 % and 20,9 % for 2022; the table gives these.
        plan_text = json.loads((DEMO / "varna-2021.json").read_text(encoding="utf-8"))
        (section,) = [
            s for s in plan_text["plan"]["sections"] if s["title"] == "Kommentarer till budget"
        ]
        rendered = LiveFigures(summary).render(section["body"], section=section["title"])
        assert rendered.unknown == ()
        text = html.unescape(re.sub(r"<[^>]+>", "", rendered.html))
        assert "90,2\xa0% – 9,8\xa0% för 2022" in text
        assert "21,0\xa0% år 2022" in text
        assert "20,4\xa0% av den totala budgeten år 2021" in text


class TestVasterdalarna2024:
    @pytest.fixture
    def summary(self):
        return plan_summary(plan=load("vasterdalarna-2024.json"))

    def test_income_and_costs_come_from_the_lines(self, summary):
        assert column_figures(summary, "total_income") == kr(2_379_200, 2_379_200, 2_111_200)
        # The document prints 2 425 938 / 2 395 176 / 2 050 600: its own lines add up to these.
        assert column_figures(summary, "total_costs") == kr(2_425_937, 2_395_177, 2_050_599)

    def test_equity_rolls_forward_from_opening_218_430(self, summary):
        assert column_figures(summary, "opening_equity") == kr(218_430, 171_693, 155_716)
        assert column_figures(summary, "closing_equity") == kr(171_693, 155_716, 216_317)

    def test_equity_stays_under_its_limit(self, summary):
        assert column_figures(summary, "equity_limit") == kr(347_200, 347_200, 347_200)
        assert not [f for f in run_checks(summary) if f.code == "equity_above_limit"]

    def test_eget_kapital_procent_is_really_result_over_allocation(self, summary):
        assert rounded(column_figures(summary, "result_share_pct"), "1") == kr(-3, -1, 3)


class TestBotkyrkaHuddingeSalem2018:
    @pytest.fixture
    def summary(self):
        return plan_summary(plan=load("botkyrka-huddinge-salem-2018.json"))

    def test_shares(self, summary):
        assert [s.share_pct for s in summary.input.shares] == [
            Decimal("50"),
            Decimal("25"),
            Decimal("11.75"),
            Decimal("11.75"),
            Decimal("1.5"),
        ]
        assert summary.shares_total_pct == Decimal(100)

    def test_member_amounts_by_largest_remainder_equal_the_document(self, summary):
        forecast, budget = summary.columns
        assert forecast.allocation == Decimal(16_007_989)
        assert [c.computed for c in forecast.contributions] == kr(
            8_003_994, 4_001_997, 1_880_939, 1_880_939, 240_120
        )
        assert [c.computed for c in budget.contributions] == kr(
            7_700_000, 3_850_000, 1_809_500, 1_809_500, 231_000
        )
        assert not [f for f in run_checks(summary) if f.code == "contribution_mismatch"]

    def test_largest_remainder_alone_reproduces_2017(self):
        shares = [Decimal("50"), Decimal("25"), Decimal("11.75"), Decimal("11.75"), Decimal("1.5")]
        assert largest_remainder(Decimal(16_007_989), shares) == kr(
            8_003_994, 4_001_997, 1_880_939, 1_880_939, 240_120
        )

    def test_structural_forecast_2017_is_1220_tkr_from_its_detail_lines(self, summary):
        forecast = summary.columns[0]
        assert forecast.kind_totals["structural"] == Decimal(1_220_000)
        # With 1 220 rather than the summary table's 1 320, costs and result move by 100 tkr.
        assert forecast.total_costs == Decimal(21_894_000)
        assert forecast.total_income == Decimal(21_242_989)
        assert forecast.result == Decimal(-651_011)
