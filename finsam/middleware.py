"""Middleware of our own: the request log line and the content security policy per path."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import LazyObject, empty

from finsam.logging import client_ip

request_logger = logging.getLogger("finsam.request")
security_logger = logging.getLogger("finsam.security")

REFUSED_STATUSES = frozenset({401, 403, 404})


def known_user_id(request: HttpRequest) -> int | None:
    """Return the id of the request's user if it is already known, else None.

    Reading ``request.user`` for the first time costs a session (and user) query; a log line must
    not add queries to a page that did not need the user, so a user nobody looked at stays unknown.
    """
    user = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, LazyObject):
        wrapped = user._wrapped
        if wrapped is empty:
            return None
        user = wrapped
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestLogMiddleware:
    """Log one JSON line per request (``finsam.request``), and a refused access (401/403/404) once
    more on ``finsam.security``. Placed first, so the duration covers every other middleware; for a
    streaming response it is the time to the first byte.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": known_user_id(request),
        }
        request_logger.info("request", extra=fields)
        if response.status_code in REFUSED_STATUSES:
            security_logger.warning("access_refused", extra={**fields, "ip": client_ip(request)})
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with relaxations per URL prefix from ``settings.CSP_PATH_UPDATES``.

    ``CSP_PATH_UPDATES`` maps a path prefix to directives added to the policy for paths under it
    (``{"/api/v1/docs/": {"style-src": ["'unsafe-inline'"]}}``). A view's own ``@csp_update`` /
    ``@csp_replace`` / ``@csp`` wins over it. The first matching prefix applies.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.config is not None or parts.update is not None or parts.replace is not None:
            return parts
        for prefix, update in getattr(settings, "CSP_PATH_UPDATES", {}).items():
            if request.path_info.startswith(prefix):
                parts.update = update
                break
        return parts
