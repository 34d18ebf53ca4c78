from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.backup import BackupError, plans_backup


class Command(BaseCommand):
    help = (
        "Skriver alla förbunds planer som planfiler i KATALOG (<organisationsnummer>/<år>-r<revision>"
        ".json) och en manifest.json med SHA-256 för varje fil. Komplement till databasdumpen: "
        "användare, behörigheter och historik ingår inte."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="ny eller tom katalog")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            files = plans_backup(directory=directory)
        except BackupError as error:
            raise CommandError("\n".join(error.problems)) from error
        self.stdout.write(f"{len(files)} planer sparade i {directory}")
