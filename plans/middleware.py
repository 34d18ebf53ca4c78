"""Middleware of the audit trail and of the doors' security.

- ``AuditContextMiddleware``: the writes of a request are recorded with its user, its door (page,
  API or admin, from the URL it was routed to) and the client's address (``plans.audit.context``).
- ``IdleSessionMiddleware``: a session ends after ``SESSION_COOKIE_AGE`` without a request; it is
  saved (and so prolonged) at most every ``SESSION_REFRESH_SECONDS`` (``plans.audit.doors``).
- ``LoginLockoutMiddleware``: a login refused by the lockout answers 429 with a Swedish message.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

from plans.audit.context import audit_context
from plans.audit.doors import LOCKED_ATTRIBUTE, SESSION_ACTIVITY_KEY, locked_out_message

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class AuditContextMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with audit_context(request=request):
            return self.get_response(request)


class IdleSessionMiddleware:
    """Prolong a session that is in use. Placed after SessionMiddleware.

    Only a session the request already read is looked at, so a request that did not need the
    session costs no query; a fresh one (saved less than ``SESSION_REFRESH_SECONDS`` ago) costs
    none either.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        refreshed_at = session.get(SESSION_ACTIVITY_KEY)
        refresh = int(getattr(settings, "SESSION_REFRESH_SECONDS", 300))
        if not isinstance(refreshed_at, int) or now - refreshed_at >= refresh:
            session[SESSION_ACTIVITY_KEY] = now
        return response


class LoginLockoutMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if getattr(request, LOCKED_ATTRIBUTE, False):
            html = render_to_string(
                "plans/workflow/login_locked.html",
                {"message": locked_out_message()},
                request=request,
            )
            return HttpResponse(html, status=429)
        return response
