from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from budget.calc import BudgetInput, ColumnIn, GroupIn, LineIn, ShareIn, Thresholds, summarise
from budget.checks import (
    ADMIN_SHARE_HIGH,
    DEFAULT_CHECKS,
    SHARES_MISSING,
    Finding,
    check_equity,
    run_checks,
    worst_severity,
)
from tests.budget.seeds import VARNA_SCENARIO, botkyrka_2018, varna_2021, vasterdalarna_2024


def codes(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return [(f.code, f.column_label) for f in findings]


def of_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def with_amount(data: BudgetInput, line_name: str, column_id: int, amount: int) -> BudgetInput:
    lines = tuple(
        replace(line, amounts={**line.amounts, column_id: Decimal(amount)})
        if line.name == line_name
        else line
        for line in data.lines
    )
    return replace(data, lines=lines)


# --- The seed plans --------------------------------------------------------------------------


def test_varna_equity_above_limit_in_all_three_years():
    findings = of_code(run_checks(summarise(varna_2021())), "equity_above_limit")
    assert [(f.severity, f.column_label) for f in findings] == [
        ("warning", VARNA_SCENARIO),
        ("warning", "2022"),
        ("warning", "2023"),
    ]
    assert findings[0].message == (
        "Eget kapital 2\xa0983\xa0326\xa0kr är 46,4\xa0% av medlemsavgifterna 2021 − 10 %, "
        "över gränsen 20\xa0%."
    )
    assert [f.message.split(" är ")[1][:8] for f in findings] == [
        "46,4\xa0% a",
        "24,3\xa0% a",
        "26,8\xa0% a",
    ]
    assert findings[0].figures["closing_equity"] == Decimal(2_983_326)
    assert findings[0].figures["equity_limit"] == Decimal(1_286_640)


def test_varna_has_no_errors_and_warns_on_administration_only_in_2023():
    findings = run_checks(summarise(varna_2021()))
    assert codes(findings) == [
        ("equity_above_limit", VARNA_SCENARIO),
        ("equity_above_limit", "2022"),
        ("equity_above_limit", "2023"),
        ("admin_share_high", "2023"),
    ]
    admin = of_code(findings, "admin_share_high")[0]
    assert admin.message == ADMIN_SHARE_HIGH.format(
        administration="3\xa0344\xa0050\xa0kr", share="26,4\xa0%", column="2023", limit="25\xa0%"
    )
    assert worst_severity(findings) == "warning"


def test_vasterdalarna_equity_stays_under_its_limit():
    findings = run_checks(summarise(vasterdalarna_2024()))
    assert of_code(findings, "equity_above_limit") == []
    assert not [f for f in findings if f.severity == "error"]


def test_botkyrka_member_amounts_match_the_shares():
    findings = run_checks(summarise(botkyrka_2018()))
    assert of_code(findings, "contribution_mismatch") == []
    assert of_code(findings, "shares_total") == []
    assert of_code(findings, "statutory_split") == []


# --- Shares ----------------------------------------------------------------------------------


def test_shares_not_adding_up_to_100_is_an_error():
    data = varna_2021()
    shares = (*data.shares[:3], replace(data.shares[3], share_pct=Decimal("2.475")))
    findings = run_checks(summarise(replace(data, shares=shares)))
    total = of_code(findings, "shares_total")
    assert [(f.severity, f.column_label) for f in total] == [("error", None)]
    assert (
        total[0].message == "Andelarna i fördelningsnyckeln är tillsammans 95\xa0%, inte 100\xa0%."
    )
    assert total[0].figures == {"total_pct": Decimal(95)}
    split = of_code(findings, "statutory_split")
    assert [f.figures["member_kind"] for f in split] == ["municipality"]
    assert (
        split[0].message
        == "Kommunerna har tillsammans 20\xa0% av medlemsavgifterna; lagen anger 25\xa0%."
    )


def test_statutory_split_warns_beyond_the_tolerance_only():
    data = varna_2021()
    shares = (
        replace(data.shares[0], share_pct=Decimal(48)),
        replace(data.shares[1], share_pct=Decimal(27)),
        *data.shares[2:],
    )
    off = replace(data, shares=shares)
    split = of_code(run_checks(summarise(off)), "statutory_split")
    assert [(f.severity, f.figures["member_kind"]) for f in split] == [
        ("warning", "state"),
        ("warning", "region"),
    ]
    assert of_code(run_checks(summarise(off)), "shares_total") == []
    tolerant = replace(off, thresholds=Thresholds(share_tolerance_pct=Decimal(2)))
    assert of_code(run_checks(summarise(tolerant)), "statutory_split") == []
    strict = replace(off, thresholds=Thresholds(share_tolerance_pct=Decimal("1.99")))
    assert len(of_code(run_checks(summarise(strict)), "statutory_split")) == 2


def test_missing_shares_are_an_error():
    findings = run_checks(summarise(replace(varna_2021(), shares=())))
    assert [(f.code, f.severity, f.message) for f in findings if f.column_label is None] == [
        ("shares_total", "error", SHARES_MISSING)
    ]


# --- Member contributions --------------------------------------------------------------------


def test_entered_member_amounts_off_by_a_krona_are_warnings():
    # A krona moved from Värmdö to Nacka: the allocation is the same, both members are off.
    data = with_amount(with_amount(varna_2021(), "Nacka", 2, 1_341_014), "Värmdö", 2, 571_986)
    findings = of_code(run_checks(summarise(data)), "contribution_mismatch")
    assert [(f.severity, f.column_label, f.figures["member_name"]) for f in findings] == [
        ("warning", "2022", "Nacka kommun"),
        ("warning", "2022", "Värmdö kommun"),
    ]
    assert findings[0].message == (
        "Nacka kommun står för 1\xa0341\xa0014\xa0kr i 2022, men 17,525\xa0% av medlemsavgifterna "
        "7\xa0652\xa0000\xa0kr är 1\xa0341\xa0013\xa0kr."
    )
    assert findings[0].figures["entered"] == Decimal(1_341_014)
    assert findings[0].figures["computed"] == Decimal(1_341_013)
    assert findings[1].figures["difference"] == Decimal(-1)


def test_a_typo_in_one_member_line_moves_the_computed_amounts_too():
    data = with_amount(varna_2021(), "Nacka", 2, 1_341_014)
    findings = of_code(run_checks(summarise(data)), "contribution_mismatch")
    # 7 652 001 split by largest remainder gives the extra krona to the state's half.
    assert [(f.figures["member_name"], f.figures["computed"]) for f in findings] == [
        ("Försäkringskassan och Arbetsförmedlingen", Decimal(3_826_001)),
        ("Nacka kommun", Decimal(1_341_013)),
    ]


def test_member_without_a_contribution_line_is_not_checked():
    data = varna_2021()
    lines = tuple(line for line in data.lines if line.name != "Värmdö")
    summary = summarise(replace(data, lines=lines))
    assert summary.columns[0].contributions[3].entered is None
    findings = of_code(run_checks(summary), "contribution_mismatch")
    # The smaller allocation moves the others' amounts, but Värmdö has nothing entered to check.
    assert findings
    assert "Värmdö kommun" not in {f.figures["member_name"] for f in findings}


# --- Equity ----------------------------------------------------------------------------------


def test_deficit_larger_than_opening_equity_is_an_error_not_also_negative_equity():
    data = replace(varna_2021(), opening_equity=Decimal(1_000_000))
    findings = [f for f in run_checks(summarise(data)) if f.severity == "error"]
    assert codes(findings) == [
        ("deficit_uncovered", VARNA_SCENARIO),
        ("deficit_uncovered", "2022"),
        ("equity_negative", "2023"),
    ]
    assert findings[0].message == (
        "Underskottet 3\xa0107\xa0950\xa0kr i 2021 − 10 % täcks inte av det egna kapitalet vid "
        "årets ingång 1\xa0000\xa0000\xa0kr; eget kapital blir \u22122\xa0107\xa0950\xa0kr."
    )
    assert findings[2].message == "Eget kapital blir negativt i 2023: \u22123\xa0037\xa0202\xa0kr."
    assert findings[2].figures == {
        "opening_equity": Decimal(-3_229_147),
        "result": Decimal(191_945),
        "closing_equity": Decimal(-3_037_202),
    }
    assert worst_severity(run_checks(summarise(data))) == "error"


def test_deficit_covered_by_opening_equity_is_fine():
    data = replace(varna_2021(), opening_equity=Decimal(3_107_950))
    errors = [f for f in run_checks(summarise(data)) if f.severity == "error"]
    # 2021 uses the equity up to the krona; 2022's deficit then has nothing to cover it.
    assert codes(errors) == [("deficit_uncovered", "2022"), ("equity_negative", "2023")]


def test_equity_limit_follows_the_association():
    data = replace(varna_2021(), thresholds=Thresholds(equity_limit_pct=Decimal(50)))
    assert of_code(run_checks(summarise(data)), "equity_above_limit") == []
    data = replace(varna_2021(), thresholds=Thresholds(equity_limit_pct=Decimal(25)))
    assert [f.column_label for f in of_code(run_checks(summarise(data)), "equity_above_limit")] == [
        VARNA_SCENARIO,
        "2023",
    ]


def test_forecast_columns_are_not_checked_for_equity():
    summary = summarise(botkyrka_2018())
    assert [f.column_label for f in check_equity(summary)] == []


# --- Administration and allocation -----------------------------------------------------------


def test_admin_share_limit_follows_the_association():
    data = replace(varna_2021(), thresholds=Thresholds(admin_share_limit_pct=Decimal(20)))
    findings = of_code(run_checks(summarise(data)), "admin_share_high")
    assert [f.column_label for f in findings] == [VARNA_SCENARIO, "2022", "2023"]
    assert findings[1].message == (
        "Administrationen 3\xa0244\xa0596\xa0kr är 21,0\xa0% av kostnaderna 2022, "
        "över gränsen 20\xa0%."
    )
    assert findings[1].figures["admin_share_pct"].quantize(Decimal("0.01")) == Decimal("20.99")


def test_budget_year_without_contributions_is_noted():
    columns = (
        ColumnIn(id=1, kind="forecast", year=2020, label="Prognos 2020"),
        ColumnIn(id=2, kind="budget", year=2021, label="2021"),
    )
    data = BudgetInput(
        year=2021,
        opening_equity=Decimal(100),
        columns=columns,
        groups=(GroupIn(id=1, kind="administration", name="Administration", total_label=""),),
        lines=(
            LineIn(
                id=1,
                group_id=1,
                parent_id=None,
                name="Lokal",
                project_id=None,
                member_id=None,
                footnote="",
                amounts={1: Decimal(10), 2: Decimal(10)},
            ),
        ),
        shares=(
            ShareIn(1, "Staten", "state", Decimal(50)),
            ShareIn(2, "Regionen", "region", Decimal(25)),
            ShareIn(3, "Kommunen", "municipality", Decimal(25)),
        ),
    )
    findings = run_checks(summarise(data))
    notes = of_code(findings, "no_allocation")
    assert [(f.severity, f.column_label, f.message) for f in notes] == [
        ("info", "2021", "2021 har inga medlemsavgifter.")
    ]
    assert of_code(findings, "equity_above_limit") == []


# --- Extending -------------------------------------------------------------------------------


def test_run_checks_takes_extra_findings_and_other_checks():
    summary = summarise(vasterdalarna_2024())
    prose = Finding("live_figure", "error", "Texten anger 20,9 %.", {"quoted": "20,9"}, "2022")
    findings = run_checks(summary, extra=[prose])
    assert findings[-1] is prose
    assert run_checks(summary, checks=(), extra=[prose]) == [prose]

    def always(summary):
        yield Finding("always", "info", "Alltid.")

    assert codes(run_checks(summary, checks=(*DEFAULT_CHECKS, always)))[-1] == ("always", None)


def test_worst_severity():
    info = Finding("a", "info", "")
    warning = Finding("b", "warning", "")
    error = Finding("c", "error", "")
    assert worst_severity([]) is None
    assert worst_severity([info, warning]) == "warning"
    assert worst_severity([info, error, warning]) == "error"
