"""Running in production: deploy checks, error pages, security headers, health check, JSON logs.

Some tests start the real thing in a subprocess (``manage.py check --deploy``, gunicorn with
``gunicorn.conf.py``) with the environment production uses, since that is where these settings bite.
"""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from finsam.logging import JsonFormatter
from finsam.settings import cache_from_url, env_int

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


# A URLconf for the tests that need views production must not have (pytest.mark.urls).
def raise_database_error(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_column FROM no_such_table_for_the_500_test")
    return HttpResponse("unreachable")


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("boom/", raise_database_error),
    path("forbidden/", refuse),
    path("relaxed/page/", plain),
    path("plain/", plain),
    path("", include("finsam.urls")),
]

THIS_URLCONF = "tests.test_production"


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production server: DEBUG off, a long random key, a host name."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "SECURE_", "GUNICORN_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="finsam.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="plan.example.se,localhost,127.0.0.1",
    )
    env.update(overrides)
    return env


@contextmanager
def captured_log(logger_name: str) -> Iterator[io.StringIO]:
    """Collect what ``logger_name`` writes, formatted by the production JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# --- Settings ------------------------------------------------------------------------------


def test_check_deploy_reports_nothing_under_production_environment():
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_defaults_are_https_only():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps(["
        "s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.STORAGES['staticfiles']['BACKEND']]))"
    )
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        False,
        True,
        31_536_000,
        True,
        True,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_a_bad_number_in_the_environment_is_an_error(monkeypatch):
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="SECURE_HSTS_SECONDS must be a whole number"):
        env_int("SECURE_HSTS_SECONDS", 0)


def test_cache_url_selects_the_backend():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    assert cache_from_url("db://") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
    assert cache_from_url("redis://cache.internal:6379/0") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
    }
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://localhost")


# --- Security headers ---------------------------------------------------------------------


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get("/healthz", secure=True)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.urls(THIS_URLCONF)
def test_a_path_prefix_can_relax_the_policy(client, settings):
    settings.CSP_PATH_UPDATES = {"/relaxed/": {"style-src": ["'unsafe-inline'"]}}
    relaxed = client.get("/relaxed/page/")["Content-Security-Policy"]
    strict = client.get("/plain/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in relaxed
    assert "unsafe-inline" not in strict


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/admin/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/admin/"
    behind_proxy = client.get("/admin/", headers={"x-forwarded-proto": "https"})
    assert behind_proxy.status_code == 302  # on to the login page: no redirect loop
    assert client.get("/healthz").status_code == 200


# --- Error pages --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
def test_a_server_error_shows_the_500_page_without_traceback_or_sql(settings, caplog):
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Något gick fel" in body
    assert '<html lang="sv">' in body
    for leak in ("Traceback", "no_such_table_for_the_500_test", "secret_column", "SELECT"):
        assert leak not in body
    # The details go to the log instead, with the traceback.
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is not None
    assert "no_such_table_for_the_500_test" in JsonFormatter().format(record)


@pytest.mark.django_db
def test_an_unknown_page_shows_the_swedish_404_page(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.urls(THIS_URLCONF)
def test_a_refused_page_shows_the_swedish_403_page(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "Åtkomst nekad" in response.content.decode()


# --- Health check -------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_check_answers_ok_with_one_query_and_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_health_check_accepts_only_get(client):
    assert client.post("/healthz").status_code == 405


# --- Logs ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_method_path_status_duration_user(client):
    user = get_user_model().objects.create_superuser("chef@example.se", password="x" * 12)
    client.force_login(user)
    with captured_log("finsam.request") as log:
        response = client.get("/admin/")
    assert response.status_code == 200
    [line] = json_lines(log.getvalue())
    assert line["message"] == "request"
    assert line["method"] == "GET"
    assert line["path"] == "/admin/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    assert line["user_id"] == user.pk
    assert line["time"].endswith("Z")
    assert line["level"] == "INFO"


@pytest.mark.django_db
def test_an_anonymous_request_logs_no_user(client):
    with captured_log("finsam.request") as log:
        client.get("/healthz")
    [line] = json_lines(log.getvalue())
    assert line["user_id"] is None
    assert line["status"] == 200


@pytest.mark.django_db
def test_a_failed_login_is_logged_without_the_password(client):
    get_user_model().objects.create_superuser("chef@example.se", password="rätt-lösenord-123")
    with captured_log("finsam.security") as log:
        response = client.post(
            "/admin/login/",
            {"username": "chef@example.se", "password": "fel-lösenord-456"},
            REMOTE_ADDR="192.0.2.7",
        )
    assert response.status_code == 200  # the form again, with an error
    output = log.getvalue()
    assert "fel-lösenord-456" not in output
    [line] = [entry for entry in json_lines(output) if entry["message"] == "login_failed"]
    assert line["username"] == "chef@example.se"
    assert line["path"] == "/admin/login/"
    assert line["ip"] == "192.0.2.7"
    assert line["level"] == "WARNING"


@pytest.mark.django_db
@pytest.mark.urls(THIS_URLCONF)
@pytest.mark.parametrize(("url", "status"), [("/forbidden/", 403), ("/finns-inte/", 404)])
def test_a_refused_access_is_logged_with_its_status(client, url, status):
    with captured_log("finsam.security") as log:
        client.get(url)
    [line] = json_lines(log.getvalue())
    assert line["message"] == "access_refused"
    assert line["status"] == status
    assert line["path"] == url


def test_log_lines_escape_newlines_so_one_record_stays_one_line():
    record = logging.LogRecord("finsam.request", logging.INFO, "", 0, "request", None, None)
    record.path = "/a\nfake line"
    [line] = json_lines(JsonFormatter().format(record))
    assert line["path"] == "/a\nfake line"


# --- gunicorn, as production starts it ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(tmp_path: Path, database_url: str) -> Iterator[tuple[str, list[str]]]:
    """Run gunicorn with gunicorn.conf.py; yield its base URL and, after it stops, its stdout."""
    port = free_port()
    env = production_env(
        DATABASE_URL=database_url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        STATIC_ROOT=str(tmp_path),
    )
    stdout = tmp_path / "stdout.log"
    with stdout.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [GUNICORN, "finsam.wsgi"], cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, stdout.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", output
    finally:
        process.terminate()
        process.wait(timeout=30)
        output.extend(stdout.read_text().splitlines())


def http_get(url: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Host": "plan.example.se"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_gunicorn_serves_the_health_check_and_logs_json_to_stdout(tmp_path):
    with gunicorn(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}") as (base_url, output):
        status, body = http_get(f"{base_url}/healthz")
    assert (status, body) == (200, {"status": "ok"})
    lines = [json.loads(line) for line in output]  # every line of stdout is JSON
    [request_line] = [line for line in lines if line["logger"] == "finsam.request"]
    assert {k: request_line[k] for k in ("method", "path", "status", "user_id")} == {
        "method": "GET",
        "path": "/healthz",
        "status": 200,
        "user_id": None,
    }
    assert any(line["logger"] == "gunicorn.error" for line in lines)


@pytest.mark.parametrize(
    "unreachable",
    [
        pytest.param("sqlite:////nonexistent-directory/db.sqlite3", id="sqlite"),
        pytest.param("postgres://postgres@127.0.0.1:{port}/finsam", id="postgresql"),
    ],
)
def test_health_check_answers_503_when_the_database_is_unreachable(tmp_path, unreachable):
    database_url = unreachable.format(port=free_port())  # nothing listens there
    with gunicorn(tmp_path, database_url) as (base_url, output):
        status, body = http_get(f"{base_url}/healthz")
    assert (status, body) == (503, {"status": "unavailable"})
    lines = [json.loads(line) for line in output]
    [failure] = [line for line in lines if line["message"] == "health_check_failed"]
    assert failure["level"] == "ERROR"
    assert "OperationalError" in failure["exception"]
