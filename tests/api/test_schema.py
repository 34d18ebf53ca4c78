"""The OpenAPI schema validates without warnings, and the docs work without the internet."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_spectacular_validates_the_schema_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text(encoding="utf-8")
    assert "openapi: 3.0.3" in text
    assert "/api/v1/plans/{id}/budget.xlsx:" in text


def test_schema_is_served_to_anyone():
    response = client_for().get("/api/v1/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Finsam planer – API"
    assert "knoxApiToken" in schema["components"]["securitySchemes"]


def test_amounts_are_documented_as_decimal_strings():
    schema = client_for().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    amount = schema["components"]["schemas"]["BudgetAmount"]["properties"]["amount"]
    assert amount["type"] == "string"
    assert amount["format"] == "decimal"


def test_docs_load_only_our_own_static_files():
    response = client_for().get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=\"https?://", html), "no asset from another host"
    assets = re.findall(r"(?:src|href)=\"/static/([^\"?]+)", html)
    assert any(asset.endswith(".js") for asset in assets)
    for asset in assets:
        assert finders.find(asset), f"{asset} is not among our static files"


def test_swagger_ui_script_is_a_file_not_inline():
    html = client_for().get("/api/v1/docs/").content.decode()
    script = re.search(r"<script src=\"(/api/v1/docs/\?script=[^\"]*)\"", html)

    assert script, "the initialisation script is loaded from our server (no inline script)"
    response = client_for().get(script[1].replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in response.content.decode()


def test_unknown_api_paths_answer_json_404(world):
    client = client_for(world.users["revisor"])

    response = client.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json()["detail"].startswith("Finns inte")


def test_a_missing_trailing_slash_redirects_like_the_rest_of_the_site(world):
    response = client_for(world.users["revisor"]).get("/api/v1/plans?year=2021")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/plans/?year=2021"
