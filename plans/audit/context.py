"""Who is writing, from where, and through which door: the context every audit event records.

A request gets its context from ``plans.middleware.AuditContextMiddleware``; code outside a request
(management commands, the shell, tests) sets one with ``audit_context(user=..., door=...)``.
Without one, writes are recorded as made through the shell, or through the import when the
process is one of the plan-file import commands.

The user of a request is read when the write happens, not when the request starts: an API call
authenticated by a token only knows its user once Django REST framework has authenticated it.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest


class Door(models.TextChoices):
    PAGE = "page", _("webbsidorna")
    API = "api", _("API")
    ADMIN = "admin", _("administrationen")
    IMPORT = "import", _("import av planfil")
    SHELL = "shell", _("kommandoraden")
    SQL = "sql", _("direkt i databasen")


# Management commands that write plans from plan files or backups.
IMPORT_COMMANDS = frozenset({"import_plan", "load_demo", "restore_plans"})


@dataclass(frozen=True)
class AuditContext:
    """The who and how of the writes made while it is current.

    ``request``, when given, supplies whatever is not given explicitly: the user it has by the
    time of the write, the door from the URL it was routed to, the client's address.
    """

    user_id: int | None = None
    door: str | None = None
    ip: str | None = None
    request: HttpRequest | None = None

    def resolved(self) -> tuple[int | None, str, str | None]:
        """Return ``(user_id, door, ip)`` as of now."""
        user_id, door, ip = self.user_id, self.door, self.ip
        if self.request is not None:
            if user_id is None:
                user_id = _request_user_id(self.request)
            if door is None:
                door = _request_door(self.request)
            if ip is None:
                ip = _request_ip(self.request)
        return user_id, door or default_door(), _valid_ip(ip)


_current: ContextVar[AuditContext | None] = ContextVar("finsam_audit_context", default=None)


def current_context() -> tuple[int | None, str, str | None]:
    """Return ``(user_id, door, ip)`` for a write made now."""
    context = _current.get()
    if context is None:
        return None, default_door(), None
    return context.resolved()


@contextmanager
def audit_context(
    *,
    user: Any = None,
    door: str | None = None,
    ip: str | None = None,
    request: HttpRequest | None = None,
) -> Iterator[None]:
    """Record the writes made inside as made by ``user`` through ``door`` from ``ip``.

    Whatever is not given is taken from the context around it, so ``audit_context(door=
    Door.IMPORT)`` inside a request keeps the request's user and address.
    """
    outer = _current.get()
    user_id = getattr(user, "pk", user)
    if outer is not None:
        request = request or outer.request
        user_id = user_id if user_id is not None else outer.user_id
        door = door or outer.door
        ip = ip or outer.ip
    token = _current.set(AuditContext(user_id=user_id, door=door, ip=ip, request=request))
    try:
        yield
    finally:
        _current.reset(token)


def default_door() -> str:
    """The door of a write outside any request: the import commands, else the shell."""
    argv = sys.argv
    command_line = len(argv) > 1 and Path(argv[0]).name in {"manage.py", "django-admin"}
    return Door.IMPORT if command_line and argv[1] in IMPORT_COMMANDS else Door.SHELL


def _request_user_id(request: HttpRequest) -> int | None:
    # Only a user someone already looked at: resolving it here would query inside a write.
    from finsam.middleware import known_user_id

    return known_user_id(request)


def _request_door(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    namespaces = set(match.namespaces) if match is not None else set()
    if "api" in namespaces or request.path_info.startswith("/api/"):
        return Door.API
    if "admin" in namespaces or request.path_info.startswith("/admin/"):
        return Door.ADMIN
    return Door.PAGE


def _request_ip(request: HttpRequest) -> str | None:
    from finsam.logging import client_ip

    return client_ip(request) or None


def _valid_ip(raw: str | None) -> str | None:
    """Return ``raw`` as a normalised IP address, or None if it is not one."""
    if not raw:
        return None
    try:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
    except ValueError:
        return None
    return str(address)
