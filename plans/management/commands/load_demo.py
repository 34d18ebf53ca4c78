"""Load the three demo plans and the demo users; safe to run again.

The plans are the real ones of ``shared/seeds`` as plan files in ``plans/demo``. Each run replaces
the demo plans' drafts with the files' content and resets the demo users' password to ``demo``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from plans.models import Association, Membership, Plan, PlanStatus, Role
from plans.planfile import PlanFileError, plan_import

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
PLAN_FILES = (
    "varna-2021.json",
    "vasterdalarna-2024.json",
    "botkyrka-huddinge-salem-2018.json",
)
DEMO_PASSWORD = "demo"  # noqa: S105 - printed on screen; demo data only
ROLE_USERS = (
    ("kansli@demo.se", Role.KANSLI),
    ("styrelse@demo.se", Role.STYRELSE),
    ("revisor@demo.se", Role.REVISOR),
)
ADMIN_USER = "admin@demo.se"


def demo_plan_data() -> list[dict[str, Any]]:
    """Return the parsed demo plan files, in load order."""
    return [json.loads((DEMO_DIR / name).read_text(encoding="utf-8")) for name in PLAN_FILES]


def _existing_plan(data: dict[str, Any]) -> Plan | None:
    plan = data["plan"]
    return Plan.objects.filter(
        association__org_number=data["association"]["org_number"],
        year=plan["year"],
        revision=plan.get("revision", 1),
    ).first()


def _demo_user(*, username: str, superuser: bool = False, staff: bool = False) -> AbstractUser:
    """Return the demo user ``username``, created if missing, with the demo password."""
    user_model = cast("type[AbstractUser]", get_user_model())
    user, _created = user_model.objects.get_or_create(username=username)
    user.email = username
    user.is_active = True
    user.is_staff = superuser or staff
    user.is_superuser = superuser
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


class Command(BaseCommand):
    help = (
        "Läser in de tre exempelplanerna (VärNa 2021, Västerdalarna 2024, Botkyrka Huddinge "
        "Salem 2018) och skapar demoanvändare med lösenordet ”demo”. Kan köras om: utkasten "
        "ersätts med filernas innehåll."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        associations: list[Association] = []
        for name, data in zip(PLAN_FILES, demo_plan_data(), strict=True):
            existing = _existing_plan(data)
            if existing is not None and existing.status != PlanStatus.DRAFT:
                # A demo plan someone has proposed or approved is theirs now: leave it.
                self.stdout.write(
                    f"{existing} har status ”{existing.get_status_display()}” och lämnas orörd."
                )
                associations.append(existing.association)
                continue
            try:
                plan = plan_import(data=data, replace=True)
            except PlanFileError as error:
                raise CommandError(f"{name} kunde inte läsas in:\n{error}") from error
            self.stdout.write(f"Inläst: {plan}")
            associations.append(plan.association)

        for username, role in ROLE_USERS:
            user = _demo_user(username=username, staff=role == Role.KANSLI)
            for association in associations:
                Membership.objects.update_or_create(
                    user=user, association=association, defaults={"role": role}
                )
        _demo_user(username=ADMIN_USER, superuser=True)

        self.stdout.write("")
        self.stdout.write(f"Demoanvändare (lösenord ”{DEMO_PASSWORD}”):")
        for username, role in ROLE_USERS:
            self.stdout.write(f"  {username:<18} {Role(role).label}, i alla tre förbunden")
        self.stdout.write(f"  {ADMIN_USER:<18} webbplatsadministratör")
        self.stdout.write(self.style.SUCCESS("Demodata klar."))
