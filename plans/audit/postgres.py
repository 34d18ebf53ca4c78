"""How the PostgreSQL audit triggers learn who is writing.

The triggers (installed by the migration ``plans.0003_audit_triggers``) read three settings of
the transaction: ``finsam.audit_user``, ``finsam.audit_door`` and ``finsam.audit_ip``. Every
writing statement Django sends is prefixed with a ``SELECT set_config(..., true)`` of the current
``plans.audit.context`` in the same query string: PostgreSQL runs a query string of several
statements as one transaction, so the settings hold exactly for that statement (and, inside an
atomic block, until the block ends), are never left behind on a pooled connection, and cost no
extra round trip. ``QuerySet.update()``, bulk writes and raw SQL through Django's cursors are
all covered; a statement from outside Django (psql) is recorded with the door ``sql`` and no user.

This relies on the driver interpolating parameters on the client, as psycopg2 does (and psycopg
3 without ``server_side_binding``), so a query string may hold several statements.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.backends.signals import connection_created
from django.dispatch import receiver

from plans.audit.context import Door, current_context

_WRITE = re.compile(r"\s*(?:insert|update|delete|merge|with)\b", re.IGNORECASE)
_DOORS = frozenset(Door.values)


def context_sql() -> str:
    """Return the statement that sets the audit settings for the current context.

    The values are written as literals, never as parameters: the statement is glued in front of
    queries whose own parameters it must not shift. Each is an integer, a known door or an IP
    address normalised by ``ipaddress``, so none can hold a quote or a percent sign.
    """
    user_id, door, ip = current_context()
    user = str(int(user_id)) if user_id is not None else ""
    door = door if door in _DOORS else Door.SHELL
    ip = ip or ""
    if not re.fullmatch(r"[0-9A-Fa-f.:]*", ip):
        ip = ""
    return (
        f"SELECT set_config('finsam.audit_user', '{user}', true), "
        f"set_config('finsam.audit_door', '{door}', true), "
        f"set_config('finsam.audit_ip', '{ip}', true); "
    )


def audit_execute_wrapper(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
    """A Django execute wrapper: put the audit context in front of every writing statement."""
    if isinstance(sql, str) and _WRITE.match(sql):
        sql = context_sql() + sql
    return execute(sql, params, many, context)


@receiver(connection_created, dispatch_uid="plans.audit.postgres.install")
def install_execute_wrapper(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Wrap every PostgreSQL connection's statements; other databases record through signals."""
    if connection.vendor != "postgresql":
        return
    # The wrapper goes first in the list, so it is the innermost: other wrappers (and the query
    # log) see the statement as it was written.
    if audit_execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, audit_execute_wrapper)
