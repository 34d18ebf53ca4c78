"""Personal API tokens: created and revoked on /konto/nycklar/, stored hashed, expiring."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from finsam.api.tokens import TOO_MANY_TOKENS
from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/konto/nycklar/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_token(client: Client, days: int = 90) -> str:
    response = client.post(PAGE, {"days": days})
    assert response.status_code == 200
    match = re.search(r'id="new-token" value="([0-9a-f]+)"', response.content.decode())
    assert match, "the new token is shown"
    return match[1]


def api_status(token: str) -> int:
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/plans/").status_code


def test_page_needs_a_login():
    response = Client().get(PAGE)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_new_token_is_shown_once_and_stored_only_as_a_digest(world):
    client = logged_in(world.users["revisor"])

    token = create_token(client)

    stored = AuthToken.objects.get(user=world.users["revisor"])
    assert token not in (stored.digest, stored.token_key)
    assert stored.digest != token and len(stored.digest) == 128
    assert token.startswith(stored.token_key)
    listing = client.get(PAGE)
    assert token not in listing.content.decode()
    assert stored.token_key in listing.content.decode()
    assert listing["Cache-Control"] == "no-store"


def test_a_token_expires_after_the_chosen_days(world):
    before = timezone.now()

    create_token(logged_in(world.users["revisor"]), days=30)

    expiry = AuthToken.objects.get(user=world.users["revisor"]).expiry
    assert before + timedelta(days=30) <= expiry <= timezone.now() + timedelta(days=30)


def test_a_token_opens_the_api_until_it_is_revoked(world):
    client = logged_in(world.users["revisor"])
    token = create_token(client)
    assert api_status(token) == 200

    key = AuthToken.objects.get(user=world.users["revisor"]).token_key
    response = client.post(f"{PAGE}{key}/ta-bort/")

    assert response.status_code == 302
    assert api_status(token) == 401
    assert not AuthToken.objects.filter(user=world.users["revisor"]).exists()


def test_an_expired_token_is_refused(world):
    token = create_token(logged_in(world.users["revisor"]))
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))

    assert api_status(token) == 401


def test_nobody_can_revoke_someone_elses_token(world):
    create_token(logged_in(world.users["revisor"]))
    key = AuthToken.objects.get().token_key

    response = logged_in(world.users["kansli"]).post(f"{PAGE}{key}/ta-bort/")

    assert response.status_code == 404
    assert AuthToken.objects.count() == 1


def test_revoking_needs_a_post(world):
    create_token(logged_in(world.users["revisor"]))
    key = AuthToken.objects.get().token_key

    response = logged_in(world.users["revisor"]).get(f"{PAGE}{key}/ta-bort/")

    assert response.status_code == 405
    assert AuthToken.objects.count() == 1


def test_a_user_lists_only_their_own_tokens(world):
    create_token(logged_in(world.users["revisor"]))
    other_key = AuthToken.objects.get().token_key

    page = logged_in(world.users["kansli"]).get(PAGE).content.decode()

    assert other_key not in page
    assert "Du har inga nycklar." in page


def test_tokens_per_user_are_limited(world, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 2}
    client = logged_in(world.users["revisor"])
    create_token(client)
    create_token(client)

    response = client.post(PAGE, {"days": 90})

    assert response.status_code == 400
    assert TOO_MANY_TOKENS.format(limit=2) in response.content.decode()
    assert AuthToken.objects.count() == 2


def test_an_unknown_lifetime_is_refused(world):
    response = logged_in(world.users["revisor"]).post(PAGE, {"days": 10000})

    assert response.status_code == 400
    assert not AuthToken.objects.exists()


def test_an_administrator_sees_and_creates_tokens_in_admin(world):
    admin = UserFactory(is_staff=True, is_superuser=True)
    create_token(logged_in(world.users["revisor"]))
    client = logged_in(admin)

    listing = client.get("/admin/knox/authtoken/")
    added = client.post(
        "/admin/knox/authtoken/add/",
        {"user": world.users["kansli"].pk, "expiry_0": "2099-01-01", "expiry_1": "00:00:00"},
        follow=True,
    )

    assert listing.status_code == 200
    assert world.users["revisor"].username in listing.content.decode()
    assert added.status_code == 200
    assert AuthToken.objects.filter(user=world.users["kansli"]).exists()
    assert "TOKEN" in added.content.decode()
