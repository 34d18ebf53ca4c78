"""Backups as plan files: every plan of every association, with a manifest of SHA-256 sums.

This is the portable, readable complement to the database dump (docs/deploy.md): it holds the plans
and what they describe, not users, roles, tokens or history. Layout of a backup directory::

    manifest.json
    222000-1234/2021-r1.json
    222000-1234/2021-r2.json
    …

``manifest.json`` is written last, so a directory with a manifest is a complete backup.
The backup directory is readable by its owner only (plans are not public until approved).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from plans.models import Plan
from plans.planfile import PlanFileError, plan_export_bytes, plan_file_parse, plan_import

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "finsam-backup"
MANIFEST_VERSION = 1

TARGET_NOT_EMPTY = "{path} finns redan och är inte tom; välj en ny katalog för säkerhetskopian"
NO_MANIFEST = "{path} saknar manifest.json; är det en säkerhetskopia?"
BAD_MANIFEST = "manifest.json går inte att läsa: {detail}"
FILE_MISSING = "{name} saknas i säkerhetskopian"
CHECKSUM_MISMATCH = (
    "{name} stämmer inte med sin SHA-256 i manifestet (filen är ändrad eller skadad)"
)
UNSAFE_PATH = "{name} pekar ut ur säkerhetskopians katalog"
PLAN_REFUSED = "{name} kunde inte läsas in, inget har lästs in: {problem}"


class BackupError(Exception):
    """A backup cannot be written or read. ``problems`` lists every reason, in Swedish."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class BackupFile:
    path: str  # relative to the backup directory, with "/"
    sha256: str
    size: int


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plan_file_name(*, plan: Plan) -> str:
    return f"{plan.association.org_number}/{plan.year}-r{plan.revision}.json"


def plans_backup(*, directory: Path) -> list[BackupFile]:
    """Write every plan as a plan file under ``directory``, then ``manifest.json``.

    ``directory`` must not exist or be empty. The files are written beside it first and moved into
    place at the end, so an interrupted backup never looks like a complete one. Plans are read in
    one snapshot (on PostgreSQL a repeatable-read transaction), so the files agree with each other.
    Raise BackupError if ``directory`` holds anything.
    """
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError([TARGET_NOT_EMPTY.format(path=directory)])
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        files = _write_plan_files(staging)
        manifest = {
            "format": MANIFEST_FORMAT,
            "version": MANIFEST_VERSION,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "files": [
                {"path": item.path, "sha256": item.sha256, "size": item.size} for item in files
            ],
        }
        (staging / MANIFEST_NAME).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        if directory.exists():
            directory.rmdir()
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return files


def _write_plan_files(staging: Path) -> list[BackupFile]:
    files: list[BackupFile] = []
    # SET TRANSACTION must be the transaction's first statement: only when this block opens it.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        plans = Plan.objects.select_related("association").order_by(
            "association__org_number", "year", "revision"
        )
        for plan in plans:
            name = plan_file_name(plan=plan)
            data = plan_export_bytes(plan=plan)
            target = staging / name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data)
            files.append(BackupFile(path=name, sha256=sha256_of(data), size=len(data)))
    return files


def backup_verify(*, directory: Path) -> list[dict[str, Any]]:
    """Return the manifest's file entries after checking every file against its SHA-256.

    Raise BackupError listing every missing, changed or unsafe file.
    """
    directory = Path(directory)
    manifest_path = directory / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError([NO_MANIFEST.format(path=directory)])
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format") != MANIFEST_FORMAT or manifest.get("version") != MANIFEST_VERSION:
            raise ValueError(f"okänt format {manifest.get('format')!r} {manifest.get('version')!r}")
        entries = list(manifest["files"])
        for entry in entries:
            if not isinstance(entry.get("path"), str) or not isinstance(entry.get("sha256"), str):
                raise ValueError("en post saknar path eller sha256")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError([BAD_MANIFEST.format(detail=error)]) from error

    problems: list[str] = []
    root = directory.resolve()
    for entry in entries:
        name = entry["path"]
        path = (directory / name).resolve()
        if not path.is_relative_to(root):
            problems.append(UNSAFE_PATH.format(name=name))
        elif not path.is_file():
            problems.append(FILE_MISSING.format(name=name))
        elif sha256_of(path.read_bytes()) != entry["sha256"]:
            problems.append(CHECKSUM_MISMATCH.format(name=name))
    if problems:
        raise BackupError(problems)
    return entries


@transaction.atomic
def plans_restore(*, directory: Path, replace: bool = False) -> list[Plan]:
    """Import every plan file of the backup in ``directory``, in the manifest's order.

    All files are verified before anything is written, and the import is one transaction: either
    every plan is restored or none is. ``replace`` is passed on to ``plan_import`` (an existing
    plan of the same association, year and revision is replaced instead of refused).
    Raise BackupError for a damaged backup or a refused plan file (naming the file).
    """
    directory = Path(directory)
    entries = backup_verify(directory=directory)
    plans = []
    for entry in entries:
        name = entry["path"]
        try:
            data = plan_file_parse(raw=(directory / name).read_bytes())
            plans.append(plan_import(data=data, replace=replace))
        except PlanFileError as error:
            raise BackupError(
                [PLAN_REFUSED.format(name=name, problem=problem) for problem in error.problems]
            ) from error
    return plans
