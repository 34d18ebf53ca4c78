"""The plan detail carries the computed summary and the checks, equal to a direct computation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from budget.checks import run_checks
from budget.selectors import plan_summary
from plans.management.commands.load_demo import PLAN_FILES, demo_plan_data
from plans.models import Role
from plans.planfile import plan_import
from tests.api.conftest import client_for
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DEMO = dict(zip(PLAN_FILES, demo_plan_data(), strict=True))
PCT = Decimal("0.0001")


def pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PCT, rounding=ROUND_HALF_UP)


def dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def fetch_detail(plan):
    auditor = MembershipFactory(association=plan.association, role=Role.REVISOR).user
    response = client_for(auditor).get(f"/api/v1/plans/{plan.pk}/")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("name", PLAN_FILES)
def test_plan_detail_summary_equals_the_computation(name):
    plan = plan_import(data=DEMO[name])
    expected = plan_summary(plan=plan)

    data = fetch_detail(plan)["summary"]

    assert [c["column"]["label"] for c in data["columns"]] == [
        c.column.label for c in expected.columns
    ]
    for got, want in zip(data["columns"], expected.columns, strict=True):
        for figure in (
            "allocation",
            "other_income",
            "total_income",
            "total_costs",
            "result",
            "opening_equity",
            "closing_equity",
        ):
            assert dec(got[figure]) == getattr(want, figure), (want.column.label, figure)
        for kind, total in want.kind_totals.items():
            assert Decimal(got["kind_totals"][kind]) == total
        for figure in (
            "equity_share_pct",
            "admin_share_pct",
            "individual_share_pct",
            "structural_share_pct",
            "result_share_pct",
        ):
            assert dec(got[figure]) == pct(getattr(want, figure)), (want.column.label, figure)
        assert got["in_equity_chain"] is want.in_equity_chain
        assert [
            (c["member_id"], Decimal(c["computed"]), dec(c["entered"]))
            for c in got["contributions"]
        ] == [(c.member_id, c.computed, c.entered) for c in want.contributions]
        assert [(p["project_id"], Decimal(p["net_cost"])) for p in got["projects"]] == [
            (p.project_id, p.net_cost) for p in want.projects
        ]
    for got, want in zip(data["groups"], expected.groups, strict=True):
        assert got["id"] == want.group.id
        assert {t["column"]: Decimal(t["amount"]) for t in got["totals"]} == want.totals
    assert Decimal(data["shares_total_pct"]) == expected.shares_total_pct
    assert data["footnotes"] == [{"mark": m, "text": t} for m, t in expected.footnotes]


@pytest.mark.parametrize("name", PLAN_FILES)
def test_plan_detail_checks_equal_the_checks_run_directly(name):
    plan = plan_import(data=DEMO[name])
    expected = run_checks(plan_summary(plan=plan))

    checks = fetch_detail(plan)["checks"]

    assert [(c["code"], c["severity"], c["message"], c["column_label"]) for c in checks] == [
        (f.code, f.severity, f.message, f.column_label) for f in expected
    ]
    for got, want in zip(checks, expected, strict=True):
        assert got["figures"].keys() == want.figures.keys()
        for key, value in want.figures.items():
            assert got["figures"][key] == (
                format(value, "f") if isinstance(value, Decimal) else value
            )


def test_varna_2021_reads_like_the_document():
    plan = plan_import(data=DEMO["varna-2021.json"])

    data = fetch_detail(plan)

    first = data["summary"]["columns"][0]
    assert data["opening_equity"] == "6091276.00"
    assert first["total_costs"] == "15656413.00"
    assert first["contributions"][0]["computed"] == "3216600.00"
    year_2022 = next(c for c in data["summary"]["columns"] if c["column"]["label"] == "2022")
    assert year_2022["admin_share_pct"] == "20.9892"
    assert year_2022["individual_share_pct"] == "90.2406"
    assert "equity_above_limit" in {c["code"] for c in data["checks"]}
