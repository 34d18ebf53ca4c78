"""Amounts and percentages as Swedish readers expect them: the one place that rounds.

HTML, PDF and XLSX all show figures through these helpers, so a figure is rounded the same way
everywhere: half up (``ROUND_HALF_UP``), never half to even as Babel does and never truncated as
Django's ``number_format`` does.

- ``format_amount(Decimal("-2068098"))`` → ``"−2 068 098"``: a non-breaking space (``"\\xa0"``)
  between thousands and a real minus sign (U+2212);
- ``format_percent(Decimal("20.4333"))`` → ``"20,4 %"``: decimal comma, non-breaking space before %;
- ``parse_amount("3 216 600,50")`` → ``Decimal("3216600.50")``: what a Swedish user types.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\xa0"
MINUS = "\u2212"
UNITS = {"kr": Decimal(1), "tkr": Decimal(1000)}

Number = Decimal | int


def round_amount(value: Number, *, unit: str = "kr") -> Decimal:
    """Return ``value`` (kronor) in ``unit`` rounded half up to whole units: for XLSX cells.

    Raise ValueError for an unknown unit and TypeError for a float.
    """
    return (_decimal(value) / _divisor(unit)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def round_percent(value: Number, places: int = 1) -> Decimal:
    """Return the percentage ``value`` rounded half up to ``places`` decimals."""
    return _decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_amount(
    value: Number | None, *, unit: str = "kr", negative: bool = False, blank: str = ""
) -> str:
    """Return ``value`` in kronor as whole ``unit`` (kr or tkr): ``"3 216 600"``, ``"−2 068 098"``.

    ``negative=True`` shows the value negated, for plans that print costs as −2 068 098.
    ``None`` (an empty cell) gives ``blank``. No unit is appended; see ``format_money_sv``.
    """
    if value is None:
        return blank
    amount = _decimal(value)
    if negative:
        amount = -amount
    return _group(round_amount(amount, unit=unit))


def format_money_sv(
    value: Number | None, *, unit: str = "kr", negative: bool = False, blank: str = ""
) -> str:
    """Return ``format_amount`` followed by the unit: ``"2 983 326 kr"``, ``"347 tkr"``."""
    if value is None:
        return blank
    return f"{format_amount(value, unit=unit, negative=negative)}{NBSP}{unit}"


def format_percent(
    value: Number | None, places: int = 1, *, trim: bool = False, blank: str = ""
) -> str:
    """Return the percentage ``value`` as ``"20,4 %"``, rounded half up to ``places`` decimals.

    ``trim=True`` drops trailing zero decimals, for thresholds and shares: ``Decimal("20.00")``
    gives ``"20 %"`` and ``Decimal("17.525")`` with ``places=3`` gives ``"17,525 %"``.
    """
    if value is None:
        return blank
    rounded = round_percent(value, places)
    sign = MINUS if rounded < 0 else ""
    text = f"{abs(rounded):f}"
    whole, _, decimals = text.partition(".")
    if trim:
        decimals = decimals.rstrip("0")
    digits = _group(Decimal(whole))
    if decimals:
        digits += "," + decimals
    return f"{sign}{digits}{NBSP}%"


def _decimal(value: Number) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"Amounts are Decimal or int, not {type(value).__name__}.")
    return Decimal(value)


def _divisor(unit: str) -> Decimal:
    try:
        return UNITS[unit]
    except KeyError:
        raise ValueError(f"Unknown unit {unit!r}; use one of {', '.join(UNITS)}.") from None


def _group(whole: Decimal) -> str:
    """A whole number with non-breaking spaces between thousands and a real minus sign."""
    if whole == 0:
        return "0"  # also for −0, which a negated or rounded zero can be
    sign = MINUS if whole < 0 else ""
    return sign + f"{abs(whole):,.0f}".replace(",", NBSP)


# ---------------------------------------------------------------------------------------------
# Reading what a user typed.
# ---------------------------------------------------------------------------------------------

EMPTY_AMOUNT = "Ange ett belopp."
INVALID_AMOUNT = "”{text}” är inget belopp. Skriv till exempel 3 216 600 eller −2 068 098,50."
DOT_IN_AMOUNT = (
    "Skriv belopp utan punkt: decimaler efter komma (1,5) och mellanslag mellan tusental "
    "(3 216 600)."
)
BAD_GROUPING = (
    "”{text}”: mellanslagen ska skilja tusental åt, tre siffror i varje grupp, "
    "till exempel 3 216 600."
)
TOO_MANY_DECIMALS = "”{text}” har fler än {places} decimaler."

# Spaces a user (or a copy from Word or a PDF) may put between thousands.
_SPACES = " \xa0\u202f\u2009"
# Minus signs: hyphen-minus, the real minus and the en dash Word turns a typed "-" into.
_MINUSES = "-\u2212\u2013"
_AMOUNT = re.compile(
    rf"^(?P<sign>[+\-\u2212\u2013]?)[{_SPACES}]*(?P<whole>\d[\d{_SPACES}]*)(?:,(?P<decimals>\d+))?$"
)
_GROUPED = re.compile(r"^\d{1,3}( \d{3})*$")
_SUFFIX = re.compile(r"[\s]*(kr|kronor|sek|:-)\.?$", re.IGNORECASE)


def parse_amount(text: str, *, max_places: int = 2) -> Decimal:
    """Return the amount a Swedish user typed, exactly.

    Accepts ``"3 216 600"`` (spaces, non-breaking or narrow spaces between thousands),
    ``"3216600"``, ``"-2 068 098"`` / ``"−2 068 098"`` / ``"–2 068 098"``, ``"1,5"``,
    ``"3 216 600,50"`` and a trailing ``kr``, ``kronor``, ``SEK`` or ``:-``. Spaces must group
    the digits in threes. A dot is refused: ``"1.234"`` is a thousand in some habits and one and a
    bit in others, and guessing wrong is a thousandfold error. Raise ValueError with a Swedish
    message for anything else, including more than ``max_places`` decimals.
    """
    stripped = _SUFFIX.sub("", text.strip()).strip(_SPACES + "\t\n")
    if not stripped:
        raise ValueError(EMPTY_AMOUNT)
    if "." in stripped:
        raise ValueError(DOT_IN_AMOUNT)
    match = _AMOUNT.match(stripped)
    if match is None:
        raise ValueError(INVALID_AMOUNT.format(text=text.strip()))
    whole = re.sub(f"[{_SPACES}]+", " ", match["whole"]).strip()
    if " " in whole and not _GROUPED.match(whole):
        raise ValueError(BAD_GROUPING.format(text=text.strip()))
    decimals = match["decimals"] or ""
    if len(decimals) > max_places:
        raise ValueError(TOO_MANY_DECIMALS.format(text=text.strip(), places=max_places))
    digits = whole.replace(" ", "") + ("." + decimals if decimals else "")
    try:
        amount = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise ValueError(INVALID_AMOUNT.format(text=text.strip())) from None
    if match["sign"] and match["sign"] in _MINUSES and amount:
        return -amount
    return amount
