"""Who may come in: the login lockout and the idle session.

Login lockout: after ``LOGIN_FAILURE_LIMIT`` failed logins for one user name within
``LOGIN_LOCKOUT_SECONDS``, every login with that name is refused (even with the right password)
until the oldest of those failures is ``LOGIN_LOCKOUT_SECONDS`` old. ``LockoutModelBackend``
refuses; ``plans.middleware.LoginLockoutMiddleware`` answers the refused login with 429 and a
Swedish message. The counters live in the cache: with several workers use a shared cache
(``CACHE_URL=db://`` or ``redis://``). The lock is per user name, not per address, so guessing from
many addresses is stopped too; the price is that someone can lock a name out for a while.

Idle sessions end after ``SESSION_COOKIE_AGE`` without activity. Instead of saving the session on
every request, ``plans.middleware.IdleSessionMiddleware`` saves it (which moves its expiry on) when
``SESSION_REFRESH_SECONDS`` have passed since the last save, so a session ends between
``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE`` after the last request.

The receivers below are connected when the app loads (``plans.history`` imports this module).
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

LOCKED_OUT = (
    "För många misslyckade inloggningar med det här användarnamnet. Av säkerhetsskäl är "
    "inloggningen spärrad i {minutes} minuter. Försök igen senare eller kontakta förbundets kansli."
)
SESSION_ACTIVITY_KEY = "_finsam_refreshed_at"
LOCKED_ATTRIBUTE = "finsam_login_locked"


def failure_limit() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_LIMIT", 5))


def lockout_seconds() -> int:
    return int(getattr(settings, "LOGIN_LOCKOUT_SECONDS", 15 * 60))


def locked_out_message() -> str:
    return LOCKED_OUT.format(minutes=max(1, lockout_seconds() // 60))


def _key(username: str) -> str:
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
    return f"finsam:login-failures:{digest}"


def _recent_failures(username: str, now: float) -> list[float]:
    window = lockout_seconds()
    return [at for at in cache.get(_key(username), []) if now - at < window]


def login_is_locked(username: str) -> bool:
    """Return whether logins with ``username`` are refused now."""
    return len(_recent_failures(username, time.time())) >= failure_limit()


def login_failure_record(username: str) -> None:
    now = time.time()
    failures = [*_recent_failures(username, now), now][-failure_limit() :]
    cache.set(_key(username), failures, timeout=lockout_seconds())


def login_failures_clear(username: str) -> None:
    cache.delete(_key(username))


def _username(credentials: dict[str, Any]) -> str:
    field = get_user_model().USERNAME_FIELD
    return str(credentials.get(field) or credentials.get("username") or "")


class LockoutModelBackend(ModelBackend):
    """Django's model backend that refuses a locked-out user name before checking the password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = username or kwargs.get(get_user_model().USERNAME_FIELD)
        if name and login_is_locked(str(name)):
            if request is not None:
                setattr(request, LOCKED_ATTRIBUTE, True)
            # PermissionDenied stops Django from trying any other backend.
            raise PermissionDenied(locked_out_message())
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="plans.audit.doors.failed")
def _count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    name = _username(credentials)
    # An attempt refused because of the lock does not prolong it.
    if name and not getattr(request, LOCKED_ATTRIBUTE, False):
        login_failure_record(name)


@receiver(user_logged_in, dispatch_uid="plans.audit.doors.logged_in")
def _start_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    login_failures_clear(user.get_username())
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_ACTIVITY_KEY] = int(time.time())
