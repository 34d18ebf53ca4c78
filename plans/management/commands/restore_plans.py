from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.backup import BackupError, backup_verify, plans_restore


class Command(BaseCommand):
    help = (
        "Läser in en säkerhetskopia från backup_plans: kontrollerar först varje fil mot manifestets "
        "SHA-256 och läser sedan in alla planer i en enda transaktion (alla eller ingen)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="katalog skriven av backup_plans")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="ersätt en befintlig plan med samma förbund, år och revision",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="kontrollera bara kontrollsummorna, läs inte in något",
        )

    def handle(
        self, *args: Any, directory: Path, replace: bool, verify_only: bool, **options: Any
    ) -> None:
        try:
            if verify_only:
                entries = backup_verify(directory=directory)
                self.stdout.write(f"{len(entries)} planfiler stämmer med manifestet")
                return
            plans = plans_restore(directory=directory, replace=replace)
        except BackupError as error:
            raise CommandError("\n".join(error.problems)) from error
        self.stdout.write(f"{len(plans)} planer inlästa från {directory}")
