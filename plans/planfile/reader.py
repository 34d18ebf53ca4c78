"""Reading JSON values into Python values, collecting every problem instead of stopping at the first.

Each ``Reader`` method reads one field of a JSON object and returns its value, the field's default when
it is optional and absent, or ``INVALID`` after recording a problem at the field's path.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any, Final

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model

from plans.planfile import errors
from plans.planfile.errors import Problem


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"

    def __bool__(self) -> bool:
        return False


INVALID: Final = _Invalid()

DECIMAL_RE = re.compile(r"-?\d+(\.\d+)?")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


class JSONObject(dict):
    """A parsed JSON object that remembers keys it held more than once (JSON keeps the last)."""

    duplicate_keys: tuple[str, ...] = ()


def object_pairs_hook(pairs: list[tuple[str, Any]]) -> JSONObject:
    result = JSONObject(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        duplicates = []
        for key, _value in pairs:
            if key in seen and key not in duplicates:
                duplicates.append(key)
            seen.add(key)
        result.duplicate_keys = tuple(duplicates)
    return result


def show(value: Any) -> str:
    """Return ``value`` as it would appear in the file, shortened for a message."""
    if isinstance(value, Decimal):
        text = str(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "ett sanningsvärde"
    if isinstance(value, int):
        return "ett heltal"
    if isinstance(value, float | Decimal):
        return "ett decimaltal"
    if isinstance(value, str):
        return "en text"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "ett objekt"
    return type(value).__name__


def key_path(path: str, key: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def swedish_number(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−").replace(".", ",")


class Reader:
    """Collects problems while fields are read."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def mark(self) -> int:
        return len(self.problems)

    def bad_keys(self, mark: int, path: str) -> set[str]:
        """Return the keys of the object at ``path`` with a problem recorded since ``mark``."""
        keys = set()
        for problem in self.problems[mark:]:
            rest = problem.path[len(path) :]
            if problem.path.startswith(path) and rest.startswith("."):
                keys.add(re.split(r"[.\[]", rest[1:], maxsplit=1)[0])
        return keys

    # -- containers -----------------------------------------------------------------------------

    def object(self, value: Any, path: str, fields: Iterable[str]) -> Mapping[str, Any] | None:
        """Return ``value`` if it is an object; record keys not among ``fields``."""
        if not isinstance(value, dict):
            self.add(path, errors.WRONG_TYPE.format(expected="ett objekt", actual=json_type(value)))
            return None
        self._duplicates(value, path)
        allowed = set(fields)
        for key in value:
            if key not in allowed:
                self.add(key_path(path, key), errors.UNKNOWN_FIELD)
        return value

    def sub(
        self,
        obj: Mapping[str, Any],
        key: str,
        path: str,
        fields: Iterable[str],
        *,
        required: bool = False,
    ) -> Mapping[str, Any] | None:
        """Return the object under ``key``; None if it is absent (a problem if required) or wrong."""
        if key not in obj:
            if required:
                self.add(key_path(path, key), errors.MISSING)
            return None
        return self.object(obj[key], key_path(path, key), fields)

    def mapping(self, obj: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        """Return the object under ``key`` (absent: empty) without restricting its keys."""
        value = obj.get(key, {})
        if not isinstance(value, dict):
            self.add(
                key_path(path, key),
                errors.WRONG_TYPE.format(expected="ett objekt", actual=json_type(value)),
            )
            return {}
        self._duplicates(value, key_path(path, key))
        return value

    def _duplicates(self, value: dict, path: str) -> None:
        for key in getattr(value, "duplicate_keys", ()):
            self.add(path, errors.DUPLICATE_KEY.format(key=show(key)))

    def items(
        self, obj: Mapping[str, Any], key: str, path: str, *, required: bool = False
    ) -> list[tuple[str, Any]]:
        """Return ``(path, item)`` for the items of the list under ``key`` (absent: none)."""
        here = key_path(path, key)
        if key not in obj:
            if required:
                self.add(here, errors.MISSING)
            return []
        value = obj[key]
        if not isinstance(value, list):
            self.add(here, errors.WRONG_TYPE.format(expected="en lista", actual=json_type(value)))
            return []
        return [(f"{here}[{index}]", item) for index, item in enumerate(value)]

    # -- scalars --------------------------------------------------------------------------------

    def _get(self, obj: Mapping[str, Any], key: str, path: str, required: bool) -> Any:
        if key in obj:
            return obj[key]
        if required:
            self.add(key_path(path, key), errors.MISSING)
        return INVALID

    def text(
        self,
        obj: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        default: str = "",
        blank: bool = True,
    ) -> Any:
        value = self._get(obj, key, path, required)
        if value is INVALID:
            return INVALID if required else default
        if not isinstance(value, str):
            self.add(
                key_path(path, key),
                errors.WRONG_TYPE.format(expected="en text", actual=json_type(value)),
            )
            return INVALID
        if not blank and not value.strip():
            self.add(key_path(path, key), errors.BLANK)
            return INVALID
        return value

    def name(self, obj: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> Any:
        """Read a reference by name: a non-empty text, or null (absent: null) unless required."""
        value = self._get(obj, key, path, required)
        if value is INVALID:
            return INVALID if required else None
        if value is None and not required:
            return None
        if not isinstance(value, str):
            expected = "en text" if required else "en text eller null"
            self.add(
                key_path(path, key),
                errors.WRONG_TYPE.format(expected=expected, actual=json_type(value)),
            )
            return INVALID
        if not value.strip():
            self.add(key_path(path, key), errors.BLANK)
            return INVALID
        return value

    def integer(
        self,
        obj: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        default: int | None = None,
        low: int | None = None,
        high: int | None = None,
    ) -> Any:
        value = self._get(obj, key, path, required)
        if value is INVALID:
            return INVALID if required else default
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(
                key_path(path, key),
                errors.WRONG_TYPE.format(expected="ett heltal", actual=json_type(value)),
            )
            return INVALID
        if (low is not None and value < low) or (high is not None and value > high):
            self.add(
                key_path(path, key), errors.OUT_OF_RANGE.format(value=value, low=low, high=high)
            )
            return INVALID
        return value

    def boolean(self, obj: Mapping[str, Any], key: str, path: str, *, default: bool = False) -> Any:
        value = self._get(obj, key, path, False)
        if value is INVALID:
            return default
        if not isinstance(value, bool):
            self.add(
                key_path(path, key),
                errors.WRONG_TYPE.format(expected="true eller false", actual=json_type(value)),
            )
            return INVALID
        return value

    def choice(
        self,
        obj: Mapping[str, Any],
        key: str,
        path: str,
        choices: Iterable[str],
        *,
        required: bool = False,
        default: str = "",
    ) -> Any:
        value = self._get(obj, key, path, required)
        if value is INVALID:
            return INVALID if required else default
        allowed = list(choices)
        if not isinstance(value, str) or value not in allowed:
            listed = ", ".join(json.dumps(choice, ensure_ascii=False) for choice in allowed)
            self.add(
                key_path(path, key), errors.NOT_A_CHOICE.format(value=show(value), choices=listed)
            )
            return INVALID
        return value

    def decimal(
        self,
        obj: Mapping[str, Any],
        key: str,
        path: str,
        *,
        places: int,
        digits: int,
        required: bool = False,
        nullable: bool = False,
        default: Decimal | None = None,
        amount: bool = False,
    ) -> Any:
        """Read an exact decimal: a string like ``"-12.50"`` or a JSON integer, never a float.

        ``digits`` is the most digits allowed in all; ``places`` the most after the point.
        """
        here = key_path(path, key)
        value = self._get(obj, key, path, required)
        if value is INVALID:
            return INVALID if required else default
        return self.decimal_value(
            value, here, places=places, digits=digits, nullable=nullable, amount=amount
        )

    def decimal_value(
        self,
        value: Any,
        path: str,
        *,
        places: int,
        digits: int,
        nullable: bool = False,
        amount: bool = False,
    ) -> Any:
        if value is None and nullable:
            return None
        if isinstance(value, float):
            exact = Decimal(str(value))
            example = json.dumps(f"{exact:f}") if exact.is_finite() else '"0.00"'
            self.add(path, errors.FLOAT_NOT_EXACT.format(value=show(value), example=example))
            return INVALID
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            message = errors.NOT_AN_AMOUNT if amount else errors.NOT_A_NUMBER
            self.add(path, message.format(value=show(value)))
            return INVALID
        if isinstance(value, str):
            if not DECIMAL_RE.fullmatch(value):
                message = errors.NOT_AN_AMOUNT if amount else errors.NOT_A_NUMBER
                self.add(path, message.format(value=show(value)))
                return INVALID
            number = Decimal(value)
        else:
            try:
                number = Decimal(value)
            except InvalidOperation:  # pragma: no cover - ints and Decimals always convert
                number = Decimal("NaN")
            if not number.is_finite():
                self.add(path, errors.NOT_A_NUMBER.format(value=show(value)))
                return INVALID
        quantum = Decimal(1).scaleb(-places)
        if number != number.quantize(quantum, rounding=ROUND_DOWN):
            self.add(path, errors.TOO_MANY_DECIMALS.format(value=show(value), places=places))
            return INVALID
        whole = abs(number).to_integral_value(rounding=ROUND_DOWN)
        if len(str(whole)) > digits - places:
            self.add(path, errors.TOO_MANY_DIGITS.format(value=show(value), digits=digits - places))
            return INVALID
        return number.quantize(quantum)

    def date(self, obj: Mapping[str, Any], key: str, path: str) -> Any:
        """Read an ISO date or null (absent: null)."""
        value = self._get(obj, key, path, False)
        if value is INVALID or value is None:
            return None
        if isinstance(value, str) and DATE_RE.fullmatch(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        self.add(key_path(path, key), errors.NOT_A_DATE.format(value=show(value)))
        return INVALID

    # -- models ---------------------------------------------------------------------------------

    def clean(
        self,
        instance: Model,
        path: str,
        *,
        mark: int,
        exclude: Iterable[str] = (),
        keys: Mapping[str, str] | None = None,
    ) -> None:
        """Run the model's own field validation; record its messages at the fields' paths.

        Fields whose key already has a problem since ``mark`` are not validated again. Constraints
        and uniqueness are checked by the plan-file rules instead, without a query per row.
        ``keys`` maps model field names to their path below ``path`` where the two differ.
        """
        keys = keys or {}
        bad = self.bad_keys(mark, path)
        skipped = set(exclude)
        for field in instance._meta.concrete_fields:
            if keys.get(field.name, field.name).split(".")[0] in bad:
                skipped.add(field.name)
        try:
            instance.full_clean(
                exclude=list(skipped), validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                here = path if field == NON_FIELD_ERRORS else f"{path}.{keys.get(field, field)}"
                for message in messages:
                    self.add(here, message)
