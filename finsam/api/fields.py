"""Numbers in the API: exact decimal strings, never floats.

Amounts are SEK as strings with two decimals (``"3216600.00"``) in every endpoint, whether stored
(a ``MoneyField``) or computed. Percentages are strings too. A JSON number is accepted on input
only if it is an integer: a float such as ``0.1`` is not exact, so it is refused.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money
from rest_framework import serializers

from finsam.roles import scope_to_user

AMOUNT_MAX_DIGITS = 15
AMOUNT_PLACES = 2
PERCENT_PLACES = 4
NOT_EXACT = _(
    'Ange talet som en sträng med decimalpunkt, till exempel "3216600.00". Ett flyttal är inte exakt.'
)


class ExactDecimalField(serializers.DecimalField):
    """A DecimalField that refuses JSON floats and booleans."""

    default_error_messages = {"not_exact": NOT_EXACT}

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool | float):
            self.fail("not_exact")
        return super().to_internal_value(data)


class AmountField(ExactDecimalField):
    """An amount in SEK: a Money or Decimal inside, ``"3216600.00"`` outside.

    Output is rounded half up to öre; stored amounts already have two decimals, so only computed
    figures such as an equity limit (allocation × a percentage) are ever rounded.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", AMOUNT_MAX_DIGITS)
        kwargs.setdefault("decimal_places", AMOUNT_PLACES)
        kwargs.setdefault("rounding", ROUND_HALF_UP)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        if isinstance(value, Money):
            value = value.amount
        return super().to_representation(value)


class ComputedAmountField(AmountField):
    """A computed amount, output only: no digit limit."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("max_digits", None)
        super().__init__(**kwargs)


class PercentField(ExactDecimalField):
    """A computed percentage, output only, rounded half up to four decimals: ``"20.9929"``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("max_digits", None)
        kwargs.setdefault("decimal_places", PERCENT_PLACES)
        kwargs.setdefault("rounding", ROUND_HALF_UP)
        super().__init__(**kwargs)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a row the caller may read; any other id is "not found" (400, field named).

    ``association_path`` is the lookup from the referenced model to its association, as in
    ``finsam.roles.scope_to_user``.
    """

    def __init__(self, *, association_path: str, **kwargs: Any) -> None:
        self.association_path = association_path
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return queryset.none()
        return scope_to_user(queryset, user, association_path=self.association_path)
