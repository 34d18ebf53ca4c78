"""Health check for the load balancer and the service monitor: is this app server able to serve?"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("finsam.health")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 ``{"status": "ok"}`` when the database answers ``SELECT 1``, else 503.

    Deliberately cheap and anonymous: it touches no table and reveals no detail of a failure (the
    reason goes to the log), so it can be polled every few seconds from outside.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health_check_failed", extra={"check": "database"})
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
