"""The budgets of the three seed plans (``shared/seeds/``) as computation inputs, by hand.

Amounts are the magnitudes the documents print; where a document's own totals are wrong (see
DESIGN.md, "What the real plans get wrong"), only the lines are given, so the computation's totals
are the true ones.
"""

from __future__ import annotations

from decimal import Decimal

from budget.calc import (
    ADMINISTRATION,
    CONTRIBUTIONS,
    INDIVIDUAL,
    OTHER_COST,
    OTHER_INCOME,
    PREVENTIVE,
    STRUCTURAL,
    BudgetInput,
    ColumnIn,
    GroupIn,
    LineIn,
    ProjectIn,
    ShareIn,
)

VARNA_SCENARIO = "2021 − 10 %"


class _Builder:
    """Numbers lines and groups in the order they are added, as the selector would."""

    def __init__(self, columns: tuple[ColumnIn, ...]) -> None:
        self.columns = columns
        self.groups: list[GroupIn] = []
        self.lines: list[LineIn] = []

    def group(self, kind: str, name: str, total_label: str = "") -> int:
        group_id = 100 + len(self.groups)
        self.groups.append(GroupIn(id=group_id, kind=kind, name=name, total_label=total_label))
        return group_id

    def line(
        self,
        name: str,
        *amounts: int | None,
        parent: int | None = None,
        member: int | None = None,
        project: int | None = None,
        footnote: str = "",
    ) -> int:
        line_id = 1000 + len(self.lines)
        cells = {
            column.id: Decimal(amount)
            for column, amount in zip(self.columns, amounts, strict=True)
            if amount is not None
        }
        self.lines.append(
            LineIn(
                id=line_id,
                group_id=self.groups[-1].id,
                parent_id=parent,
                name=name,
                project_id=project,
                member_id=member,
                footnote=footnote,
                amounts=cells,
            )
        )
        return line_id


def varna_2021() -> BudgetInput:
    """Samordningsförbundet VärNa, plan 2021: a −10 % scenario for 2021, budgets 2022 and 2023."""
    fkaf, region, nacka, varmdo = 1, 2, 3, 4
    mia, ratt_stod, amazon, nytt = 11, 12, 13, 14
    columns = (
        ColumnIn(id=1, kind="scenario", year=2021, label=VARNA_SCENARIO),
        ColumnIn(id=2, kind="budget", year=2022, label="2022"),
        ColumnIn(id=3, kind="budget", year=2023, label="2023"),
    )
    b = _Builder(columns)
    b.group(CONTRIBUTIONS, "Medlemsavgifter", "Totala medlemsintäkter")
    b.line("FK/AF", 3_216_600, 3_826_000, 3_826_000, member=fkaf)
    b.line("Region Stockholm", 1_608_300, 1_913_000, 1_913_000, member=region)
    b.line("Nacka", 1_127_418, 1_341_013, 1_341_013, member=nacka)
    b.line("Värmdö", 480_882, 571_987, 571_987, member=varmdo)
    b.group(OTHER_INCOME, "Övriga intäkter", "Totala övriga intäkter")
    b.line("Övriga intäkter MIA", 2_847_029, 2_289_204, 0, project=mia)
    b.line("Övriga intäkter Rätt stöd för mig", 1_116_004, 372_000, 0, project=ratt_stod)
    b.line("Övriga intäkter Amazon", 2_152_230, 2_024_039, 92_985, project=amazon)
    b.line("Övriga intäkter Nytt projekt", None, 2_000_000, 5_100_000, project=nytt)
    b.group(ADMINISTRATION, "Administrativa kostnader", "Totala administrativa kostnader")
    b.line("Personalkostnader", 2_068_098, 2_113_596, 2_213_050)
    b.line("Övriga kostnader", 836_000, 836_000, 836_000)
    b.line("Lokalkostnader", 90_000, 90_000, 90_000)
    b.line("Styrelse", 100_000, 100_000, 100_000)
    b.line("Revision", 50_000, 50_000, 50_000)
    b.line("Övriga administrativa kostnader", 55_000, 55_000, 55_000)
    b.group(INDIVIDUAL, "Individinriktat", "Totala individinriktade kostnader")
    b.line("Kostnader, MIA", 6_228_613, 5_057_437, 0, project=mia)
    b.line("Rätt stöd för mig", 2_500_853, 967_527, 0, project=ratt_stod)
    b.line("Amazon", 2_735_849, 2_876_880, 116_990, project=amazon)
    b.line("Övrig kostnad Nytt projekt", 0, 2_120_000, 8_100_000, project=nytt)
    b.group(STRUCTURAL, "Strukturinriktat", "Totala strukturinriktade kostnader")
    b.line("Insatskatalogen", 42_000, 42_000, 42_000)
    b.line("Kommande förstudier/genomförande", 200_000, 500_000, 300_000)
    b.line("Uppföljning och utvärdering", 300_000, 300_000, 300_000)
    b.line("Kommunikation", 450_000, 350_000, 450_000)
    return BudgetInput(
        year=2021,
        opening_equity=Decimal(6_091_276),
        columns=columns,
        groups=tuple(b.groups),
        lines=tuple(b.lines),
        shares=(
            ShareIn(fkaf, "Försäkringskassan och Arbetsförmedlingen", "state", Decimal(50)),
            ShareIn(region, "Region Stockholm", "region", Decimal(25)),
            ShareIn(nacka, "Nacka kommun", "municipality", Decimal("17.525")),
            ShareIn(varmdo, "Värmdö kommun", "municipality", Decimal("7.475")),
        ),
        projects=(
            ProjectIn(mia, "MIA", "individual"),
            ProjectIn(ratt_stod, "Rätt stöd för mig", "individual"),
            ProjectIn(amazon, "Amazon", "individual"),
            ProjectIn(nytt, "Nytt projekt", "individual"),
        ),
        members={
            fkaf: "Försäkringskassan och Arbetsförmedlingen",
            region: "Region Stockholm",
            nacka: "Nacka kommun",
            varmdo: "Värmdö kommun",
        },
    )


def vasterdalarna_2024() -> BudgetInput:
    """Finsam Västerdalarna, plan 2024: budgets 2024–2026; the member quarter split 3/5 and 2/5."""
    state, region, malung, vansbro = 1, 2, 3, 4
    columns = (
        ColumnIn(id=1, kind="budget", year=2024, label="2024"),
        ColumnIn(id=2, kind="budget", year=2025, label="2025"),
        ColumnIn(id=3, kind="budget", year=2026, label="2026"),
    )
    b = _Builder(columns)
    b.group(CONTRIBUTIONS, "Intäkter", "Intäkter medlemmarna")
    # The parent's own amounts (434 000) are what the document prints; they are not used.
    parent = b.line("Insats per medlem", 434_000, 434_000, 434_000)
    b.line("Malung-Sälens kommun 3/5", 260_400, 260_400, 260_400, parent=parent, member=malung)
    b.line("Vansbro kommun 2/5", 173_600, 173_600, 173_600, parent=parent, member=vansbro)
    b.line("Region Dalarna", 434_000, 434_000, 434_000, member=region)
    b.line("Försäkringskassan, Arbetsförmedlingen", 868_000, 868_000, 868_000, member=state)
    b.group(OTHER_INCOME, "ESF Finansiell samverkan")
    b.line("ESF Finansiell samverkan", 643_200, 643_200, 375_200)
    b.group(ADMINISTRATION, "Personalkostnader")
    b.line("Arvode, reseers. styrelse och revisorer", 80_000, 80_000, 80_000)
    b.line("Förbundschef lön/administration", 407_004, 415_145, 423_447)
    b.line("Kompetensutveckling", 30_000, 30_000, 30_000)
    b.line("Ekonomiadministration", 54_933, 56_032, 57_152)
    b.line("Revision", 40_000, 40_000, 40_000)
    # Printed in bold among the staff costs: the ESF project's own costs, a structural effort.
    b.group(STRUCTURAL, "ESF Finansiell samverkan")
    b.line("ESF Finansiell samverkan", 489_000, 489_000, 285_000)
    b.group(ADMINISTRATION, "Kringkostnader")
    b.line("Administration, tele, data mm", 10_000, 10_000, 10_000)
    b.group(OTHER_COST, "Övriga kostnader")
    b.line("Hemsida, informationsmaterial", 25_000, 25_000, 25_000)
    b.line("Indikatorer", 10_000, 10_000, 10_000)
    b.group(INDIVIDUAL, "Insatser")
    b.line("Insats Malung-Sälens kommun", 740_000, 720_000, 630_000)
    b.line("Insats Vansbro kommun", 500_000, 480_000, 420_000)
    b.group(PREVENTIVE, "Förebyggande insatser")
    b.line("Utbildningsinsatser för handläggare/ coacher, föreläsningar", 40_000, 40_000, 40_000)
    return BudgetInput(
        year=2024,
        opening_equity=Decimal(218_430),
        columns=columns,
        groups=tuple(b.groups),
        lines=tuple(b.lines),
        shares=(
            ShareIn(state, "Försäkringskassan, Arbetsförmedlingen", "state", Decimal(50)),
            ShareIn(region, "Region Dalarna", "region", Decimal(25)),
            ShareIn(malung, "Malung-Sälens kommun", "municipality", Decimal(15)),
            ShareIn(vansbro, "Vansbro kommun", "municipality", Decimal(10)),
        ),
        members={
            state: "Försäkringskassan, Arbetsförmedlingen",
            region: "Region Dalarna",
            malung: "Malung-Sälens kommun",
            vansbro: "Vansbro kommun",
        },
    )


def botkyrka_2018() -> BudgetInput:
    """Samordningsförbundet Botkyrka Huddinge Salem, plan 2018: forecast 2017 and budget 2018.

    The member amounts are the contribution table's (kronor); the rest is the detail tables' tkr
    in kronor. The document's summary says 1 320 tkr structural for 2017; the detail says 1 220.
    """
    state, sll, huddinge, botkyrka, salem = 1, 2, 3, 4, 5
    columns = (
        ColumnIn(id=1, kind="forecast", year=2017, label="Prognos utfall 2017"),
        ColumnIn(id=2, kind="budget", year=2018, label="Budget 2018"),
    )
    b = _Builder(columns)
    b.group(CONTRIBUTIONS, "Inbetalning huvudmännen")
    b.line("Staten", 8_003_994, 7_700_000, member=state)
    b.line("SLL", 4_001_997, 3_850_000, member=sll)
    b.line("Huddinge kommun", 1_880_939, 1_809_500, member=huddinge)
    b.line("Botkyrka kommun", 1_880_939, 1_809_500, member=botkyrka)
    b.line("Salems kommun", 240_120, 231_000, member=salem)
    b.group(OTHER_INCOME, "Övriga intäkter")
    b.line("Intäkter ESF", 4_100_000, 5_500_000)
    b.line("Övriga intäkter (MUCF)", 1_135_000, 0)
    b.group(ADMINISTRATION, "Administration")
    for name, y2017, y2018 in [
        ("Kansli lokal", 245, 225),
        ("Kansli löner", 1_550, 1_600),
        ("Kommunikation/information", 30, 40),
        ("Kurs/konferens/resor", 65, 65),
        ("Övrigt", 65, 65),
        ("Styrelse arvoden", 100, 100),
        ("Styrelsen övrigt", 20, 25),
        ("Revision biträden", 68, 68),
        ("Revision arvoden", 5, 5),
        ("Medlemsavgift NNS", 32, 31),
    ]:
        b.line(name, y2017 * 1000, y2018 * 1000)
    b.group(INDIVIDUAL, "Finansiering av individinriktade insatser")
    for name, y2017, y2018 in [
        ("Adrian", 250, 0),
        ("HälsoSam", 1_400, 1_380),
        ("Lyra", 2_240, 2_250),
        ("Samv.team Botkyrka", 970, 0),
        ("Samv.team Huddinge", 801, 0),
        ("Slussen/ny insats", 2_800, 2_800),
        ("Ung i Salem", 1_398, 1_400),
        ("Start", 1_100, 1_300),
        ("MIA-projektet", 6_400, 10_725),
        ("Möjliggörarna", 1_135, 580),
    ]:
        b.line(name, y2017 * 1000, y2018 * 1000)
    b.group(STRUCTURAL, "Finansiering av strukturinriktade insatser")
    for name, y2017, y2018 in [
        ("Metodstöd IPS", 350, 200),
        ("ASF-strateg", 350, 890),
        ("Psykiatriprojektet", 50, 1_100),
        ("Insatskatalog", 130, 400),
        ("Processtöd till insatser/projekt", 90, 100),
        ("Frukostmöten och seminarier", 150, 150),
        ("Utvärdering", 100, 100),
    ]:
        b.line(name, y2017 * 1000, y2018 * 1000)
    return BudgetInput(
        year=2018,
        opening_equity=Decimal(5_200_000),
        columns=columns,
        groups=tuple(b.groups),
        lines=tuple(b.lines),
        shares=(
            ShareIn(state, "Staten", "state", Decimal("50.00")),
            ShareIn(sll, "SLL", "region", Decimal("25.00")),
            ShareIn(huddinge, "Huddinge kommun", "municipality", Decimal("11.75")),
            ShareIn(botkyrka, "Botkyrka kommun", "municipality", Decimal("11.75")),
            ShareIn(salem, "Salems kommun", "municipality", Decimal("1.50")),
        ),
    )
