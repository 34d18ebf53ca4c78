"""Structured logs: one JSON object per line, for whatever collects stdout (journald, a log shipper).

A record's ``extra`` fields become keys of the object, so

    logger.info("request", extra={"method": "GET", "status": 200})

prints

    {"time": "2025-01-31T09:15:02.113Z", "level": "INFO", "logger": "finsam.request",
     "message": "request", "method": "GET", "status": 200}

on one line. Times are UTC. Tracebacks are kept in the same line (``"exception"``), escaped.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest

# Attributes every LogRecord has; anything else on a record came in through ``extra``.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None)).keys()
) | {"message", "asctime", "taskName"}

# Django's own loggers attach objects that do not belong in a log line.
_DROPPED = frozenset({"request", "server_time"})

failed_login_logger = logging.getLogger("finsam.security")


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message, then the extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            # django.request and django.security pass the request; keep what identifies it.
            entry["method"] = request.method
            entry["path"] = request.path
        for key, value in record.__dict__.items():
            if key in _RECORD_ATTRIBUTES or key in _DROPPED or key.startswith("_"):
                continue
            entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def client_ip(request: HttpRequest | None) -> str:
    """Return the client's address as the proxy in front of us saw it.

    nginx appends the peer it saw to X-Forwarded-For, so the last entry is the one we can trust;
    earlier entries are whatever the client sent. Without the header, the socket's peer.
    """
    if request is None:
        return ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def log_failed_login(
    sender: str, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Receiver of ``user_login_failed``: log who tried, from where, never the password."""
    failed_login_logger.warning(
        "login_failed",
        extra={
            "username": str(credentials.get("username", "")),
            "path": request.path if request is not None else "",
            "ip": client_ip(request),
        },
    )
