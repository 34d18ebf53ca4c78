"""Write one plan as a plan file (docs/plan-file.md) to standard output or a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.models import Plan
from plans.planfile import plan_export_bytes


class Command(BaseCommand):
    help = (
        "Skriver en plan som planfil (JSON, docs/plan-file.md). Ange planens id, eller förbundets "
        "organisationsnummer och år (senaste revisionen om --revision saknas)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", nargs="?", type=int, help="planens id")
        parser.add_argument("--association", metavar="ORGNR", help="förbundets organisationsnummer")
        parser.add_argument("--year", type=int, help="planens år")
        parser.add_argument("--revision", type=int, help="planens revision (standard: senaste)")
        parser.add_argument(
            "-o", "--output", type=Path, help="fil att skriva till (standard: standard ut)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self._plan(options)
        content = plan_export_bytes(plan=plan)
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Kunde inte skriva {output}: {error.strerror}") from error
        self.stderr.write(f"Skrev {plan} till {output}.")

    def _plan(self, options: dict[str, Any]) -> Plan:
        plan_id, org_number, year = options["plan_id"], options["association"], options["year"]
        if plan_id is not None:
            if org_number or year:
                raise CommandError("Ange antingen planens id eller --association och --year.")
            plan = Plan.objects.filter(pk=plan_id).first()
            if plan is None:
                raise CommandError(f"Det finns ingen plan med id {plan_id}.")
            return plan
        if not org_number or year is None:
            raise CommandError("Ange planens id, eller både --association och --year.")
        plans = Plan.objects.filter(association__org_number=org_number, year=year)
        if options["revision"] is not None:
            plans = plans.filter(revision=options["revision"])
        plan = plans.order_by("-revision").first()
        if plan is None:
            raise CommandError(f"Förbundet {org_number} har ingen sådan plan för {year}.")
        return plan
