"""What a refused plan file reports: every problem, each with the JSON path where it sits.

The messages are module constants (format strings) so tests and callers can refer to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Structure and types.
MISSING = "fältet saknas"
UNKNOWN_FIELD = "okänt fält"
WRONG_TYPE = "ska vara {expected}, inte {actual}"
BLANK = "får inte vara tom"
DUPLICATE_KEY = "nyckeln {key} förekommer mer än en gång i samma objekt"
NOT_JSON = "filen är inte giltig JSON: {detail} (rad {line}, kolumn {column})"
NOT_UTF8 = "filen är inte kodad i UTF-8"
UNSUPPORTED_FORMAT = 'formatet {value} stöds inte; en planfil har "format": "finsam-plan"'
UNSUPPORTED_VERSION = "version {value} stöds inte; den här versionen läser version 1"

# Values.
NOT_AN_AMOUNT = "{value} är inte ett belopp"
NOT_A_NUMBER = "{value} är inte ett tal"
FLOAT_NOT_EXACT = "{value} är ett decimaltal i JSON och inte exakt; skriv det som en sträng, till exempel {example}"
TOO_MANY_DECIMALS = "{value} har fler än {places} decimaler"
TOO_MANY_DIGITS = "{value} har fler än {digits} siffror före decimaltecknet"
OUT_OF_RANGE = "{value} ligger utanför {low}–{high}"
NOT_A_DATE = "{value} är inte ett datum (ÅÅÅÅ-MM-DD)"
NOT_A_CHOICE = "{value} är inte ett giltigt värde; välj bland {choices}"

# References and uniqueness.
UNKNOWN_MEMBER = "{name} finns inte bland förbundets medlemmar ($.association.members)"
UNKNOWN_PROJECT = "{name} finns inte bland planens insatser ($.plan.projects)"
UNKNOWN_COLUMN = "kolumnen {label} finns inte i $.plan.budget.columns"
DUPLICATE_NAME = "{name} finns redan i {first}"
DUPLICATE_SHARE = "medlemmen {name} har redan en andel i {first}"
DUPLICATE_SEAT = "medlemmen {name} har redan en {role} i {first}"
DUPLICATE_CHAIR = "styrelsen har redan en ordförande i {first}"
DUPLICATE_PERIOD = "perioden {period} finns redan i {first}"
SHARES_NOT_100 = "andelarna summerar till {total} %, inte 100 %"

# Budget lines.
PARENT_MISSING = "huvudraden {name} finns inte före denna rad i samma grupp"
PARENT_IS_SUB_LINE = "huvudraden {name} är själv en underrad; underrader kan bara ligga en nivå ner"
PARENT_HAS_AMOUNTS = "raden har underrader och kan inte ha egna belopp"

# Rules between fields.
OFFICER_NOT_ORDINARY = "bara en ordinarie ledamot kan vara ordförande eller vice ordförande"
ENDS_BEFORE_START = "slutar före den börjar ({start})"
APPROVED_WITHOUT_DATE = "en fastställd plan måste ha ett beslutsdatum"
TARGET_NEEDS_TEXT = "ett mål av slaget text behöver en text"
TARGET_NEEDS_VALUE = "ett mål av slaget {kind} behöver ett värde"
OUTCOME_NEEDS_VALUE = "ett utfall behöver ett värde eller en text"

# Against the database.
ASSOCIATION_NAME_DIFFERS = (
    "förbundet med organisationsnummer {org_number} heter {existing} här, inte {name}"
)
MEMBER_KIND_DIFFERS = "medlemmen {name} är av slaget {existing} här, inte {kind}"
PLAN_EXISTS = (
    "förbundet har redan en plan för {year} (revision {revision}); välj att ersätta den "
    "eller ange en annan revision"
)
APPROVED_NOT_REPLACEABLE = "En fastställd plan kan inte ersättas"
DATABASE_REFUSED = "planen kunde inte sparas eftersom databasen nekade den: {detail}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file: where (a JSON path such as ``$.plan.year``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class PlanFileError(Exception):
    """A plan file was refused. ``problems`` lists everything wrong with it, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
