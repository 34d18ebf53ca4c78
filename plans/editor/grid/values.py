"""Values of the grid: typed amounts, keys, digests and the Swedish messages of its fields."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import Any

from finsam.formatting import MINUS, parse_amount

NAME_REQUIRED = "Ange en benämning."
NAME_TOO_LONG = "Benämningen får vara högst {max} tecken."
LABEL_REQUIRED = "Ange en rubrik för kolumnen."
LABEL_TOO_LONG = "Rubriken får vara högst {max} tecken."
LABEL_TAKEN = "Rubriken ”{label}” finns redan; kolumnerna behöver olika rubriker."
YEAR_INVALID = "Ange ett år mellan 2000 och 2200."
KIND_INVALID = "Välj ett slag i listan."
GROUP_NAME_REQUIRED = "Ange en rubrik för gruppen."
AMOUNT_TOO_LARGE = "Beloppet är för stort: högst 13 siffror före decimalkommat."
PARENT_INVALID = "En underrad ligger under en huvudrad i samma grupp."
UNKNOWN_CHOICE = "Välj i listan."

LINE_NAME_MAX = 300
LABEL_MAX = 100
GROUP_NAME_MAX = 200
MAX_WHOLE_DIGITS = 13
NEW_PREFIX = "n"
KEY_PATTERN = re.compile(r"^(\d{1,12}|n\d{1,6})$")


def is_new(key: str) -> bool:
    return key.startswith(NEW_PREFIX)


def decimal_text(value: Decimal) -> str:
    """A canonical text of ``value`` for digests: ``Decimal("3216600.00")`` → ``"3216600"``."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def amount_for_input(value: Decimal | None) -> str:
    """An amount as the grid shows it in its input: ``3 216 600``, ``−2 068 098``, ``1 234,50``."""
    if value is None:
        return ""
    sign = MINUS if value < 0 else ""
    whole, _, decimals = f"{abs(value):f}".partition(".")
    decimals = decimals.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", " ")
    if decimals:
        decimals = decimals.ljust(2, "0")
        return f"{sign}{grouped},{decimals}"
    return f"{sign}{grouped}"


def parse_cell(text: str) -> tuple[Decimal | None, str]:
    """Return (amount, error) for a typed cell: an empty cell is (None, "")."""
    if not text.strip():
        return None, ""
    try:
        value = parse_amount(text)
    except ValueError as error:
        return None, str(error)
    whole_digits = len(str(abs(int(value))))
    if whole_digits > MAX_WHOLE_DIGITS:
        return None, AMOUNT_TOO_LARGE
    return value, ""


def digest(content: Any) -> str:
    raw = json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
