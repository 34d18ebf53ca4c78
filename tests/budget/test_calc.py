from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal, localcontext

import pytest

from budget.calc import (
    ADMINISTRATION,
    ALL_KINDS,
    CONTRIBUTIONS,
    INDIVIDUAL,
    OTHER_INCOME,
    STRUCTURAL,
    BudgetInput,
    ColumnIn,
    GroupIn,
    LineIn,
    ProjectIn,
    Thresholds,
    largest_remainder,
    summarise,
)
from tests.budget.seeds import VARNA_SCENARIO, botkyrka_2018, varna_2021, vasterdalarna_2024


def kr(*values: int) -> list[Decimal]:
    return [Decimal(v) for v in values]


def figures(summary, attribute: str) -> list:
    return [getattr(column, attribute) for column in summary.columns]


def rounded(values, places: str = "0.01") -> list[Decimal]:
    return [value.quantize(Decimal(places)) for value in values]


def one_column(**kwargs) -> tuple[ColumnIn, ...]:
    return (ColumnIn(id=1, kind=kwargs.get("kind", "budget"), year=2021, label="2021"),)


def line(
    line_id: int, group_id: int, *, parent: int | None = None, amount=None, **kwargs
) -> LineIn:
    return LineIn(
        id=line_id,
        group_id=group_id,
        parent_id=parent,
        name=kwargs.get("name", f"Rad {line_id}"),
        project_id=kwargs.get("project"),
        member_id=kwargs.get("member"),
        footnote=kwargs.get("footnote", ""),
        amounts={} if amount is None else {1: Decimal(amount)},
    )


def budget(*lines: LineIn, groups: tuple[GroupIn, ...] | None = None, **kwargs) -> BudgetInput:
    return BudgetInput(
        year=2021,
        opening_equity=Decimal(0),
        columns=kwargs.pop("columns", one_column()),
        groups=groups
        or (GroupIn(id=10, kind=ADMINISTRATION, name="Administration", total_label=""),),
        lines=lines,
        **kwargs,
    )


# --- VärNa 2021 ------------------------------------------------------------------------------


def test_varna_income_costs_and_result_per_column():
    summary = summarise(varna_2021())
    assert figures(summary, "allocation") == kr(6_433_200, 7_652_000, 7_652_000)
    assert figures(summary, "other_income") == kr(6_115_263, 6_685_243, 5_192_985)
    assert figures(summary, "total_income") == kr(12_548_463, 14_337_243, 12_844_985)
    assert figures(summary, "total_costs") == kr(15_656_413, 15_458_440, 12_653_040)
    assert figures(summary, "result") == kr(-3_107_950, -1_121_197, 191_945)


def test_varna_group_totals_are_the_documents_subtotals():
    summary = summarise(varna_2021())
    totals = {g.group.name: [g.totals[c.id] for c in summary.input.columns] for g in summary.groups}
    assert totals["Administrativa kostnader"] == kr(3_199_098, 3_244_596, 3_344_050)
    assert totals["Individinriktat"] == kr(11_465_315, 11_021_844, 8_216_990)
    assert totals["Strukturinriktat"] == kr(992_000, 1_192_000, 1_092_000)


def test_equity_rolls_forward_from_the_scenario_to_the_budgets():
    summary = summarise(varna_2021())
    assert figures(summary, "in_equity_chain") == [True, True, True]
    assert figures(summary, "opening_equity") == kr(6_091_276, 2_983_326, 1_862_129)
    assert figures(summary, "closing_equity") == kr(2_983_326, 1_862_129, 2_054_074)


def test_varna_shares_of_costs_match_the_table_not_the_prose():
    summary = summarise(varna_2021())
    assert rounded(figures(summary, "admin_share_pct")) == [
        Decimal("20.43"),
        Decimal("20.99"),  # the prose says 20,9 %
        Decimal("26.43"),
    ]
    assert rounded(figures(summary, "individual_share_pct")) == [
        Decimal("92.04"),
        Decimal("90.24"),  # the prose says 89 %
        Decimal("88.27"),
    ]
    assert rounded(figures(summary, "structural_share_pct")) == [
        Decimal("7.96"),
        Decimal("9.76"),
        Decimal("11.73"),
    ]


def test_percentages_are_exact_not_rounded():
    first = summarise(varna_2021()).columns[0]
    with localcontext() as ctx:
        ctx.prec = 28
        assert first.admin_share_pct == Decimal(3_199_098) / Decimal(15_656_413) * 100
        assert first.equity_share_pct == Decimal(2_983_326) / Decimal(6_433_200) * 100
    assert first.individual_share_pct + first.structural_share_pct == pytest.approx(Decimal(100))


def test_varna_equity_is_24_to_46_percent_of_the_allocation():
    summary = summarise(varna_2021())
    assert rounded(figures(summary, "equity_share_pct"), "0.1") == [
        Decimal("46.4"),
        Decimal("24.3"),
        Decimal("26.8"),
    ]
    assert figures(summary, "equity_limit") == kr(1_286_640, 1_530_400, 1_530_400)


def test_varna_member_amounts_are_computed_by_largest_remainder():
    first, second, _ = summarise(varna_2021()).columns
    assert [c.computed for c in first.contributions] == kr(3_216_600, 1_608_300, 1_127_418, 480_882)
    assert [c.entered for c in first.contributions] == kr(3_216_600, 1_608_300, 1_127_418, 480_882)
    assert [c.computed for c in second.contributions] == kr(
        3_826_000, 1_913_000, 1_341_013, 571_987
    )
    assert [c.member_name for c in first.contributions][2] == "Nacka kommun"


def test_varna_project_net_cost_per_column():
    first, second, third = summarise(varna_2021()).columns
    mia = first.projects[0]
    assert (mia.project_name, mia.income, mia.costs, mia.net_cost) == (
        "MIA",
        Decimal(2_847_029),
        Decimal(6_228_613),
        Decimal(3_381_584),
    )
    nytt = {p.project_name: p for p in first.projects}["Nytt projekt"]
    assert (nytt.income, nytt.costs) == (Decimal(0), Decimal(0))  # empty cell and a 0
    amazon_2023 = {p.project_name: p for p in third.projects}["Amazon"]
    assert amazon_2023.net_cost == Decimal(116_990 - 92_985)
    assert [p.project_name for p in second.projects] == [
        "MIA",
        "Rätt stöd för mig",
        "Amazon",
        "Nytt projekt",
    ]


def test_kind_totals_cover_all_seven_kinds():
    first = summarise(varna_2021()).columns[0]
    assert set(first.kind_totals) == set(ALL_KINDS)
    assert first.kind_totals["preventive"] == Decimal(0)
    assert first.kind_totals["other_cost"] == Decimal(0)


def test_column_finds_a_label_or_the_chain_column_of_a_year():
    summary = summarise(varna_2021())
    assert summary.column(VARNA_SCENARIO).column.kind == "scenario"
    assert summary.column(2021).column.label == VARNA_SCENARIO
    assert summary.column("2022").result == Decimal(-1_121_197)
    assert summary.column(2023).closing_equity == Decimal(2_054_074)
    with pytest.raises(KeyError):
        summary.column(2030)
    with pytest.raises(KeyError):
        summary.column("2030")


def test_row_finds_a_line():
    data = varna_2021()
    summary = summarise(data)
    assert summary.row(data.lines[0].id).line.name == "FK/AF"
    with pytest.raises(KeyError):
        summary.row(-1)


# --- Finsam Västerdalarna 2024 ---------------------------------------------------------------


def test_vasterdalarna_costs_are_the_sum_of_their_lines():
    summary = summarise(vasterdalarna_2024())
    # The document prints 2 425 938 / 2 395 176 / 2 050 600, one krona off each.
    assert figures(summary, "total_costs") == kr(2_425_937, 2_395_177, 2_050_599)
    assert figures(summary, "total_income") == kr(2_379_200, 2_379_200, 2_111_200)
    assert figures(summary, "result") == kr(-46_737, -15_977, 60_601)


def test_vasterdalarna_equity_from_218_430():
    summary = summarise(vasterdalarna_2024())
    assert figures(summary, "opening_equity") == kr(218_430, 171_693, 155_716)
    assert figures(summary, "closing_equity") == kr(171_693, 155_716, 216_317)
    assert figures(summary, "equity_limit") == kr(347_200, 347_200, 347_200)


def test_eget_kapital_procent_is_result_over_allocation():
    summary = summarise(vasterdalarna_2024())
    assert rounded(figures(summary, "result_share_pct"), "1") == kr(-3, -1, 3)


def test_parent_line_shows_the_sum_of_its_sub_lines():
    data = vasterdalarna_2024()
    summary = summarise(data)
    rows = summary.groups[0].rows
    assert [(r.line.name, r.depth, r.has_children) for r in rows[:3]] == [
        ("Insats per medlem", 0, True),
        ("Malung-Sälens kommun 3/5", 1, False),
        ("Vansbro kommun 2/5", 1, False),
    ]
    assert list(rows[0].amounts.values()) == kr(434_000, 434_000, 434_000)
    assert figures(summary, "allocation") == kr(1_736_000, 1_736_000, 1_736_000)


def test_parent_line_own_amounts_are_ignored():
    data = vasterdalarna_2024()
    parent = data.lines[0]
    lines = (
        replace(parent, amounts={1: Decimal(1), 2: Decimal(2), 3: Decimal(3)}),
        *data.lines[1:],
    )
    summary = summarise(replace(data, lines=lines))
    assert summary.groups[0].rows[0].amounts[1] == Decimal(434_000)
    assert summary.columns[0].allocation == Decimal(1_736_000)


def test_sub_lines_count_as_members_contributions():
    first = summarise(vasterdalarna_2024()).columns[0]
    entered = {c.member_name: c.entered for c in first.contributions}
    assert entered == {
        "Försäkringskassan, Arbetsförmedlingen": Decimal(868_000),
        "Region Dalarna": Decimal(434_000),
        "Malung-Sälens kommun": Decimal(260_400),
        "Vansbro kommun": Decimal(173_600),
    }
    assert [c.computed for c in first.contributions] == kr(868_000, 434_000, 260_400, 173_600)


# --- Botkyrka Huddinge Salem 2018 ------------------------------------------------------------


def test_forecast_column_is_outside_the_equity_chain():
    forecast, budget_2018 = summarise(botkyrka_2018()).columns
    assert (forecast.in_equity_chain, forecast.opening_equity, forecast.closing_equity) == (
        False,
        None,
        None,
    )
    assert forecast.equity_share_pct is None
    assert budget_2018.opening_equity == Decimal(5_200_000)
    assert budget_2018.result == Decimal(-4_699_000)
    assert budget_2018.closing_equity == Decimal(501_000)


def test_botkyrka_structural_2017_comes_from_its_detail_lines():
    forecast = summarise(botkyrka_2018()).columns[0]
    assert forecast.kind_totals[STRUCTURAL] == Decimal(1_220_000)
    assert forecast.total_costs == Decimal(21_894_000)
    assert forecast.result == Decimal(-651_011)


def test_botkyrka_member_amounts_in_both_columns():
    forecast, budget_2018 = summarise(botkyrka_2018()).columns
    assert [c.computed for c in forecast.contributions] == kr(
        8_003_994, 4_001_997, 1_880_939, 1_880_939, 240_120
    )
    assert [c.computed for c in budget_2018.contributions] == kr(
        7_700_000, 3_850_000, 1_809_500, 1_809_500, 231_000
    )


def test_shares_total_and_by_kind():
    summary = summarise(botkyrka_2018())
    assert summary.shares_total_pct == Decimal(100)
    assert summary.shares_by_kind_pct == {
        "state": Decimal(50),
        "region": Decimal(25),
        "municipality": Decimal(25),
    }


# --- Largest remainder -----------------------------------------------------------------------

BOTKYRKA_SHARES = [Decimal(50), Decimal(25), Decimal("11.75"), Decimal("11.75"), Decimal("1.5")]


def test_largest_remainder_reproduces_botkyrka_2017_and_2018():
    assert largest_remainder(Decimal(16_007_989), BOTKYRKA_SHARES) == kr(
        8_003_994, 4_001_997, 1_880_939, 1_880_939, 240_120
    )
    assert largest_remainder(Decimal(15_400_000), BOTKYRKA_SHARES) == kr(
        7_700_000, 3_850_000, 1_809_500, 1_809_500, 231_000
    )


def test_largest_remainder_reproduces_varna_2021():
    shares = [Decimal(50), Decimal(25), Decimal("17.525"), Decimal("7.475")]
    assert largest_remainder(Decimal(6_433_200), shares) == kr(
        3_216_600, 1_608_300, 1_127_418, 480_882
    )


def test_largest_remainder_gives_ties_to_the_earlier_member():
    thirds = [Decimal(1), Decimal(1), Decimal(1)]
    assert largest_remainder(Decimal(1), thirds) == kr(1, 0, 0)
    assert largest_remainder(Decimal(2), thirds) == kr(1, 1, 0)
    assert largest_remainder(Decimal(100), thirds) == kr(34, 33, 33)


def test_largest_remainder_amounts_are_plain_whole_kronor():
    amounts = largest_remainder(Decimal(6_433_200), [Decimal(50), Decimal(50)])
    assert [str(a) for a in amounts] == ["3216600", "3216600"]


def test_largest_remainder_always_adds_up_to_the_total():
    rng = random.Random(20210101)
    for _ in range(2000):
        shares = [Decimal(rng.randint(0, 10**6)) / 10**4 for _ in range(rng.randint(1, 8))]
        if not any(shares):
            continue
        total = Decimal(rng.randint(-(10**9), 10**10))
        amounts = largest_remainder(total, shares)
        assert sum(amounts) == total
        assert all(a == a.to_integral_value() for a in amounts)
        weight = sum(shares)
        for share, amount in zip(shares, amounts, strict=True):
            assert abs(amount - total * share / weight) < 1


def test_largest_remainder_weighs_shares_that_do_not_add_up_to_100():
    assert largest_remainder(Decimal(1000), [Decimal(30), Decimal(30)]) == kr(500, 500)


def test_largest_remainder_refuses_ore_and_zero_shares():
    with pytest.raises(ValueError, match="whole kronor"):
        largest_remainder(Decimal("100.50"), [Decimal(100)])
    with pytest.raises(ValueError, match="zero"):
        largest_remainder(Decimal(100), [Decimal(0), Decimal(0)])
    assert largest_remainder(Decimal(0), [Decimal(0)]) == kr(0)
    assert largest_remainder(Decimal(100), []) == []


def test_allocation_with_ore_is_split_in_whole_kronor():
    data = varna_2021()
    lines = (replace(data.lines[0], amounts={**data.lines[0].amounts, 1: Decimal("3216600.50")}),)
    summary = summarise(replace(data, lines=lines + data.lines[1:]))
    first = summary.columns[0]
    assert first.allocation == Decimal("6433200.50")
    assert sum(c.computed for c in first.contributions) == Decimal(6_433_201)


# --- Sub-lines, empty cells, footnotes -------------------------------------------------------


def test_empty_cells_are_none_in_rows_and_zero_in_totals():
    summary = summarise(budget(line(1, 10, amount=100), line(2, 10)))
    rows = summary.groups[0].rows
    assert [r.amounts[1] for r in rows] == [Decimal(100), None]
    assert summary.groups[0].totals[1] == Decimal(100)


def test_parent_with_only_empty_sub_lines_is_empty():
    summary = summarise(
        budget(line(1, 10, amount=500), line(2, 10, parent=1), line(3, 10, parent=1))
    )
    rows = summary.groups[0].rows
    assert rows[0].amounts[1] is None
    assert summary.groups[0].totals[1] == Decimal(0)


def test_group_without_lines_totals_zero():
    summary = summarise(budget())
    assert summary.groups[0].totals == {1: Decimal(0)}
    assert summary.columns[0].total_costs == Decimal(0)
    assert summary.columns[0].admin_share_pct is None


def test_sub_lines_nest_and_sum_at_every_level():
    summary = summarise(
        budget(
            line(1, 10),
            line(2, 10, parent=1),
            line(3, 10, parent=2, amount=30),
            line(4, 10, parent=2, amount=12),
            line(5, 10, parent=1, amount=8),
            line(6, 10, amount=1000),
        )
    )
    rows = summary.groups[0].rows
    assert [(r.line.id, r.depth, r.amounts[1]) for r in rows] == [
        (1, 0, Decimal(50)),
        (2, 1, Decimal(42)),
        (3, 2, Decimal(30)),
        (4, 2, Decimal(12)),
        (5, 1, Decimal(8)),
        (6, 0, Decimal(1000)),
    ]
    assert summary.groups[0].totals[1] == Decimal(1050)


def test_sub_lines_follow_their_parent_whatever_the_input_order():
    summary = summarise(budget(line(2, 10, parent=1, amount=5), line(1, 10), line(3, 10, amount=1)))
    assert [r.line.id for r in summary.groups[0].rows] == [1, 2, 3]


def test_sub_line_whose_parent_is_in_another_group_stands_alone():
    groups = (
        GroupIn(id=10, kind=ADMINISTRATION, name="Administration", total_label=""),
        GroupIn(id=20, kind=INDIVIDUAL, name="Individ", total_label=""),
    )
    summary = summarise(
        budget(line(1, 10, amount=7), line(2, 20, parent=1, amount=5), groups=groups)
    )
    assert summary.groups[0].totals[1] == Decimal(7)
    assert summary.groups[1].totals[1] == Decimal(5)
    assert summary.columns[0].total_costs == Decimal(12)


def test_a_cycle_of_parents_shows_each_line_once():
    summary = summarise(budget(line(1, 10, parent=2, amount=3), line(2, 10, parent=1, amount=4)))
    rows = summary.groups[0].rows
    # The first line of the cycle becomes the top row, the other its sub-line.
    assert [(r.line.id, r.depth, r.amounts[1]) for r in rows] == [
        (1, 0, Decimal(4)),
        (2, 1, Decimal(4)),
    ]
    assert summary.groups[0].totals[1] == Decimal(4)


def test_footnote_marks_follow_first_appearance():
    groups = (
        GroupIn(id=10, kind=CONTRIBUTIONS, name="Medlemsavgifter", total_label=""),
        GroupIn(id=20, kind=ADMINISTRATION, name="Administration", total_label=""),
    )
    summary = summarise(
        budget(
            # Input order puts the administration line first; display order is by group.
            line(3, 20, amount=1, footnote="Inklusive revision."),
            line(1, 10, amount=1),
            line(2, 10, amount=1, footnote="Beslut i oktober."),
            line(4, 20, amount=1, footnote="Beslut i oktober."),
            line(5, 20, amount=1, footnote="  Ny lokal från mars. "),
            groups=groups,
        )
    )
    marks = [(r.line.id, r.footnote_mark) for g in summary.groups for r in g.rows]
    assert marks == [(1, ""), (2, "a"), (3, "b"), (4, "a"), (5, "c")]
    assert summary.footnotes == (
        ("a", "Beslut i oktober."),
        ("b", "Inklusive revision."),
        ("c", "Ny lokal från mars."),
    )


def test_footnote_marks_go_on_after_z():
    lines = [line(i, 10, amount=1, footnote=f"Not {i}") for i in range(1, 29)]
    summary = summarise(budget(*lines))
    assert [mark for mark, _ in summary.footnotes][24:] == ["y", "z", "aa", "ab"]


# --- The equity chain ------------------------------------------------------------------------


def chain_input(columns, results_by_column, *, year=2021, opening=1000) -> BudgetInput:
    """One income line per column carrying the column's result."""
    groups = (GroupIn(id=10, kind=OTHER_INCOME, name="Intäkter", total_label=""),)
    lines = (
        LineIn(
            id=1,
            group_id=10,
            parent_id=None,
            name="Resultat",
            project_id=None,
            member_id=None,
            footnote="",
            amounts={cid: Decimal(v) for cid, v in results_by_column.items()},
        ),
    )
    return BudgetInput(
        year=year, opening_equity=Decimal(opening), columns=columns, groups=groups, lines=lines
    )


def test_budget_of_a_year_is_carried_rather_than_its_scenario():
    columns = (
        ColumnIn(id=1, kind="budget", year=2021, label="2021"),
        ColumnIn(id=2, kind="scenario", year=2021, label="2021 − 10 %"),
        ColumnIn(id=3, kind="budget", year=2022, label="2022"),
    )
    summary = summarise(chain_input(columns, {1: 100, 2: 10, 3: 1}))
    assert figures(summary, "opening_equity") == kr(1000, 1000, 1100)
    assert figures(summary, "closing_equity") == kr(1100, 1010, 1101)
    assert summary.column(2021).column.label == "2021"


def test_outcome_and_forecast_and_earlier_budgets_are_outside_the_chain():
    columns = (
        ColumnIn(id=1, kind="outcome", year=2019, label="Utfall 2019"),
        ColumnIn(id=2, kind="forecast", year=2020, label="Prognos 2020"),
        ColumnIn(id=3, kind="budget", year=2020, label="Budget 2020"),
        ColumnIn(id=4, kind="budget", year=2021, label="2021"),
    )
    summary = summarise(chain_input(columns, {1: 5, 2: 5, 3: 5, 4: 7}))
    assert figures(summary, "in_equity_chain") == [False, False, False, True]
    assert figures(summary, "closing_equity") == [None, None, None, Decimal(1007)]
    assert summary.column(2020).column.label == "Prognos 2020"


def test_a_missing_year_carries_the_last_known_equity():
    columns = (
        ColumnIn(id=1, kind="budget", year=2021, label="2021"),
        ColumnIn(id=2, kind="budget", year=2023, label="2023"),
    )
    summary = summarise(chain_input(columns, {1: 100, 2: 1}))
    assert figures(summary, "opening_equity") == kr(1000, 1100)


def test_chain_follows_years_not_column_order():
    columns = (
        ColumnIn(id=1, kind="budget", year=2022, label="2022"),
        ColumnIn(id=2, kind="budget", year=2021, label="2021"),
    )
    summary = summarise(chain_input(columns, {1: 1, 2: 100}))
    assert figures(summary, "opening_equity") == kr(1100, 1000)


def test_equity_limit_follows_the_associations_threshold():
    data = replace(varna_2021(), thresholds=Thresholds(equity_limit_pct=Decimal(30)))
    summary = summarise(data)
    assert figures(summary, "equity_limit") == kr(1_929_960, 2_295_600, 2_295_600)


def test_ratios_without_a_base_are_none():
    summary = summarise(budget(line(1, 10, amount=100)))
    column = summary.columns[0]
    assert column.allocation == Decimal(0)
    assert column.equity_share_pct is None
    assert column.result_share_pct is None
    assert column.individual_share_pct is None
    assert column.structural_share_pct is None
    assert column.admin_share_pct == Decimal(100)
    assert column.contributions == ()


# --- Projects --------------------------------------------------------------------------------


def test_project_counts_leaf_lines_once_and_sub_lines_inherit_its_project():
    groups = (
        GroupIn(id=10, kind=INDIVIDUAL, name="Individ", total_label=""),
        GroupIn(id=20, kind=OTHER_INCOME, name="Intäkter", total_label=""),
    )
    data = budget(
        line(1, 10, project=7, amount=999),  # a parent: its own amount is not used
        line(2, 10, parent=1, amount=300),
        line(3, 10, parent=1, amount=200, project=7),
        line(4, 10, amount=50, project=8),
        line(5, 20, amount=100, project=7),
        line(6, 10, amount=5),
        groups=groups,
        projects=(
            ProjectIn(id=7, name="MIA", kind="individual"),
            ProjectIn(id=8, name="Lyra", kind="individual"),
            ProjectIn(id=9, name="Utan rader", kind="structural"),
        ),
    )
    projects = summarise(data).columns[0].projects
    assert [(p.project_name, p.income, p.costs, p.net_cost) for p in projects] == [
        ("MIA", Decimal(100), Decimal(500), Decimal(400)),
        ("Lyra", Decimal(0), Decimal(50), Decimal(50)),
    ]
