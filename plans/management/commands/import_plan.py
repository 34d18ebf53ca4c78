"""Read a plan file (docs/plan-file.md) into the database: all of it, or nothing."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.planfile import PlanFileError, plan_file_parse, plan_import


class Command(BaseCommand):
    help = (
        "Läser in en planfil (JSON, docs/plan-file.md) och skriver ut den nya planens id. Om filen "
        "har fel skrivs vart och ett ut (sökväg: fel) och ingenting läses in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="planfilen, eller - för standard in")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="ersätt en befintlig plan med samma förbund, år och revision (inte en fastställd)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            if name == "-":
                raw = sys.stdin.buffer.read()
            else:
                with open(name, "rb") as file:
                    raw = file.read()
        except OSError as error:
            raise CommandError(f"Kunde inte läsa {name}: {error.strerror}") from error
        try:
            plan = plan_import(data=plan_file_parse(raw=raw), replace=options["replace"])
        except PlanFileError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(f"{name}: {count} fel; ingenting lästes in.") from error
        self.stdout.write(str(plan.pk))
