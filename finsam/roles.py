"""Who may see and do what: every view and endpoint scopes its data through these helpers.

A user belongs to associations through ``plans.Membership`` with a role. Site administrators
(``is_superuser``) see every association. Nobody else sees an association they do not belong to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet

from plans.models import Association, Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

M = TypeVar("M", bound=Model)

READ_ROLES = frozenset({Role.KANSLI, Role.STYRELSE, Role.REVISOR})
EDIT_ROLES = frozenset({Role.KANSLI})
APPROVE_ROLES = frozenset({Role.STYRELSE})
HISTORY_ROLES = frozenset({Role.REVISOR, Role.KANSLI, Role.STYRELSE})


def association_ids_for(
    user: AbstractBaseUser | AnonymousUser, roles: frozenset[str] = READ_ROLES
) -> QuerySet[Association] | None:
    """Return a queryset of the ids of the associations where ``user`` has one of ``roles``.

    Return None for a superuser, meaning "no restriction".
    """
    if not user.is_authenticated or not user.is_active:
        return Association.objects.none().values("id")
    if user.is_superuser:
        return None
    return Membership.objects.filter(user=user, role__in=roles).values("association_id")


def scope_to_user(
    queryset: QuerySet[M],
    user: AbstractBaseUser | AnonymousUser,
    *,
    association_path: str = "association",
    roles: frozenset[str] = READ_ROLES,
) -> QuerySet[M]:
    """Narrow ``queryset`` to the rows of the associations where ``user`` has one of ``roles``.

    ``association_path`` is the lookup from the model to its association, e.g. ``"plan__association"``.
    """
    ids = association_ids_for(user, roles)
    if ids is None:
        return queryset
    if association_path == "":
        return queryset.filter(id__in=ids)
    return queryset.filter(**{f"{association_path}__in": ids})


def role_in(user: AbstractBaseUser | AnonymousUser, association_id: int) -> str | None:
    """Return the user's role in the association, ``"kansli"`` for a superuser, None if none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.KANSLI
    return (
        Membership.objects.filter(user=user, association_id=association_id)
        .values_list("role", flat=True)
        .first()
    )


def can_edit(user: AbstractBaseUser | AnonymousUser, association_id: int) -> bool:
    return role_in(user, association_id) in EDIT_ROLES
