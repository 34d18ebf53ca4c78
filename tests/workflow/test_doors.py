"""The doors' locks: CSRF on every form, login lockout, sessions that end, Argon2 passwords."""

from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.sessions.models import Session
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

import finsam.settings as production
from plans.audit import doors
from plans.models import PlanStatus
from tests.factories import PASSWORD, UserFactory
from tests.workflow.conftest import api_client

pytestmark = pytest.mark.django_db

LOGINS = ["/admin/login/", "/konto/login/"]


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


# ---------------------------------------------------------------------------------------------
# CSRF
# ---------------------------------------------------------------------------------------------


# Views exempt from CSRF on purpose, each with the reason it is safe.
CSRF_EXEMPT_REVIEWED = {
    "finsam.api.views.api_not_found": "answers 404 (or a redirect) for any method, writes nothing",
}


def test_no_view_is_exempt_from_csrf_unless_the_api_checks_it_itself():
    """DRF's views are csrf_exempt for Django, and DRF's SessionAuthentication enforces CSRF
    itself; token authentication needs no CSRF. Any other exempt view is a hole."""
    exempt = []
    for route, callback in walk(get_resolver().url_patterns):
        if not getattr(callback, "csrf_exempt", False):
            continue
        if f"{callback.__module__}.{callback.__name__}" in CSRF_EXEMPT_REVIEWED:
            continue
        view_class = getattr(callback, "cls", None)
        if view_class is None or not issubclass(view_class, APIView):
            exempt.append(route)
            continue
        for authentication in view_class().get_authenticators():
            if "Session" in type(authentication).__name__:
                assert isinstance(authentication, SessionAuthentication), route
    assert exempt == []


def test_a_page_form_without_the_csrf_token_is_refused(place, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(place.users["kansli"])

    response = client.post(reverse("plans:plan_submit", args=[draft.pk]))

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_an_api_write_with_a_session_but_no_csrf_token_is_refused(place, draft):
    client = api_client()
    client.enforce_csrf_checks = True
    client.handler.enforce_csrf_checks = True
    client.force_login(place.users["kansli"])

    response = client.post(f"/api/v1/plans/{draft.pk}/submit/")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_an_api_write_with_a_token_needs_no_csrf_token(place, draft):
    client = api_client(place.users["kansli"], token=True)
    client.handler.enforce_csrf_checks = True

    assert client.post(f"/api/v1/plans/{draft.pk}/submit/").status_code == 200


# ---------------------------------------------------------------------------------------------
# Login lockout
# ---------------------------------------------------------------------------------------------


def login(client: Client, username: str, password: str, url: str = LOGINS[0]):
    return client.post(url, {"username": username, "password": password, "next": "/admin/"})


def staff_user():
    return UserFactory(is_staff=True)


@pytest.mark.parametrize("url", LOGINS)
def test_five_failed_logins_lock_the_name_out_with_a_swedish_message(url):
    user = staff_user()
    client = Client()

    answers = [login(client, user.username, "fel", url).status_code for _ in range(5)]
    locked = login(client, user.username, PASSWORD, url)

    assert answers == [200] * 5
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "För många misslyckade inloggningar" in html
    assert "spärrad i 15 minuter" in html
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_fifteen_minutes(monkeypatch):
    user = staff_user()
    client = Client()
    for _ in range(5):
        login(client, user.username, "fel")
    assert login(client, user.username, PASSWORD).status_code == 429

    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(doors.time, "time", lambda: later)

    response = login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_lockout_holds_for_that_name_only_and_a_login_clears_the_count():
    locked, other = staff_user(), staff_user()
    client = Client()
    for _ in range(4):
        login(client, other.username, "fel")
    assert login(client, other.username, PASSWORD).status_code == 302
    for _ in range(5):
        login(Client(), locked.username, "fel")

    # Four failures, then a login: the count starts again, so four more do not lock.
    for _ in range(4):
        login(Client(), other.username, "fel")
    assert login(Client(), other.username, PASSWORD).status_code == 302
    assert login(Client(), locked.username, PASSWORD).status_code == 429


def test_the_lockout_also_holds_for_logins_outside_a_request():
    user = staff_user()
    for _ in range(5):
        Client().login(username=user.username, password="fel")

    assert Client().login(username=user.username, password=PASSWORD) is False


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


def test_sessions_end_after_thirty_idle_minutes_and_when_the_browser_closes():
    assert production.SESSION_COOKIE_AGE == 30 * 60
    assert production.SESSION_REFRESH_SECONDS < production.SESSION_COOKIE_AGE
    assert production.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_an_idle_session_no_longer_opens_the_pages(place, draft, settings):
    client = Client()
    client.force_login(place.users["revisor"])
    url = reverse("plans:plan_history", args=[draft.pk])
    assert client.get(url).status_code == 200

    # Thirty minutes without a request: the stored session has expired.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_a_session_in_use_is_prolonged_at_most_every_few_minutes(place, draft, settings):
    client = Client()
    client.force_login(place.users["revisor"])
    url = reverse("plans:plan_history", args=[draft.pk])
    key = client.session.session_key

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    first = expiry()
    client.get(url)
    assert expiry() == first  # just logged in: nothing to save

    session = client.session
    session[doors.SESSION_ACTIVITY_KEY] = int(time.time()) - settings.SESSION_REFRESH_SECONDS
    session.save()
    saved = expiry()
    time.sleep(0.01)
    client.get(url)

    assert expiry() > saved
    assert expiry() - timezone.now() > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


@pytest.mark.parametrize("logout", ["admin:logout", "editor:logout"])
def test_logging_out_ends_the_session(place, draft, logout):
    user = place.users["kansli"]
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    key = client.session.session_key

    assert client.post(reverse(logout)).status_code in {200, 302}

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("plans:plan_detail", args=[draft.pk])).status_code == 302


# ---------------------------------------------------------------------------------------------
# Passwords
# ---------------------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_outside_the_tests(settings):
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS

    encoded = make_password("ett långt lösenord")

    assert encoded.startswith("argon2$argon2id$")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password("ett långt lösenord", encoded)
    assert not check_password("fel", encoded)
