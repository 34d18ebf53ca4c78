"""Who may do what through the API.

Reading needs a role in the row's association; rows of other associations are simply not in the
caller's querysets, so they answer 404 and are absent from lists. Writing (POST, PUT, PATCH,
DELETE) needs the role ``kansli`` in the association the row belongs to: a reader's write is 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from finsam.roles import EDIT_ROLES, can_edit
from plans.models import Membership

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

KANSLI_ONLY = _("Bara kansliet kan ändra. Styrelse och revisorer har läsbehörighet.")


class KansliWrites(BasePermission):
    message = KANSLI_ONLY

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in SAFE_METHODS or user.is_superuser:
            return True
        return Membership.objects.filter(user=user, role__in=EDIT_ROLES).exists()

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return can_edit(request.user, view.association_id_of(obj))  # type: ignore[attr-defined]
