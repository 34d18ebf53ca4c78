"""Personal API tokens (django-rest-knox): stored as digests, shown once, expiring.

A user creates and revokes their own tokens on /konto/nycklar/; a site administrator manages
everyone's in admin.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

TOKEN_LIFETIMES_DAYS = (30, 90, 365)
TOO_MANY_TOKENS = "Du har redan {limit} nycklar. Ta bort en innan du skapar en ny."


class TokenLimitError(Exception):
    pass


def tokens_for(*, user: AbstractBaseUser) -> QuerySet[AuthToken]:
    """Return the user's tokens that have not expired, newest first."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


@transaction.atomic
def token_create(*, user: AbstractBaseUser, days: int) -> tuple[AuthToken, str]:
    """Create a token valid for ``days``; return it and its text, which is never stored.

    Expired tokens of the user are removed first. Raise TokenLimitError at the per-user limit.
    """
    if days not in TOKEN_LIFETIMES_DAYS:
        raise ValueError(f"A token lives {TOKEN_LIFETIMES_DAYS} days, not {days}.")
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None and AuthToken.objects.filter(user=user).count() >= limit:
        raise TokenLimitError(TOO_MANY_TOKENS.format(limit=limit))
    return AuthToken.objects.create(user=user, expiry=timedelta(days=days))


def token_revoke(*, user: AbstractBaseUser, token_key: str) -> int:
    """Delete the user's token(s) starting with ``token_key``; return how many were deleted."""
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted
