"""Backups as plan files (``backup_plans`` / ``restore_plans``) and the restore drill."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.backup import CHECKSUM_MISMATCH, FILE_MISSING, TARGET_NOT_EMPTY
from plans.models import Association, Plan
from plans.planfile import plan_export_bytes, plan_import

DEMO = Path(__file__).resolve().parent.parent / "plans" / "demo"


def demo(name: str) -> dict:
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


def load_plans() -> list[Plan]:
    """The three real plans; VärNa 2021 approved and revised once, so a backup has both."""
    varna = demo("varna-2021.json")
    varna["plan"]["status"] = "approved"
    varna["plan"]["decided_on"] = "2020-12-10"
    revision = copy.deepcopy(demo("varna-2021.json"))
    revision["plan"]["revision"] = 2
    revision["plan"]["dnr"] = "2021-012"
    return [
        plan_import(data=varna),
        plan_import(data=revision),
        plan_import(data=demo("vasterdalarna-2024.json")),
        plan_import(data=demo("botkyrka-huddinge-salem-2018.json")),
    ]


def exported() -> dict[str, bytes]:
    """Every plan's plan file, keyed by its place in a backup."""
    return {
        f"{plan.association.org_number}/{plan.year}-r{plan.revision}.json": plan_export_bytes(
            plan=plan
        )
        for plan in Plan.objects.select_related("association")
    }


# Keys that hold a database id or a time of writing: the only things a restore may change.
VOLATILE_KEYS = frozenset(
    {"id", "association", "revision_of", "column", "created_at", "updated_at"}
)


def without_ids(value):
    if isinstance(value, dict):
        return {
            key: without_ids(item)
            for key, item in value.items()
            if key not in VOLATILE_KEYS and not key.endswith("_id")
        }
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value


def api_plans(client) -> dict[tuple[str, int, int], dict]:
    """GET /api/v1/plans/<id>/ of every plan, as a site administrator, without ids and times."""
    admin = get_user_model().objects.create_superuser("drill@example.se", password="x" * 12)
    client.force_login(admin)
    result = {}
    for plan in Plan.objects.select_related("association"):
        response = client.get(f"/api/v1/plans/{plan.pk}/")
        assert response.status_code == 200
        result[(plan.association.org_number, plan.year, plan.revision)] = without_ids(
            response.json()
        )
    client.logout()
    admin.delete()
    return result


def backup(directory: Path) -> dict:
    call_command("backup_plans", str(directory))
    return json.loads((directory / "manifest.json").read_text(encoding="utf-8"))


def restore(directory: Path, *args: str) -> None:
    call_command("restore_plans", str(directory), *args)


@pytest.mark.django_db
def test_backup_writes_every_plan_as_its_plan_file_with_a_sha256_manifest(tmp_path):
    load_plans()
    manifest = backup(tmp_path / "backup")
    files = exported()
    assert len(files) == 4
    assert [entry["path"] for entry in manifest["files"]] == sorted(files)
    for entry in manifest["files"]:
        data = (tmp_path / "backup" / entry["path"]).read_bytes()
        assert data == files[entry["path"]]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
    assert manifest["format"] == "finsam-backup"
    assert manifest["version"] == 1


@pytest.mark.django_db
def test_backup_places_revisions_under_the_organisation_number(tmp_path):
    [varna, revision, *_] = load_plans()
    backup(tmp_path / "backup")
    folder = tmp_path / "backup" / varna.association.org_number
    assert sorted(p.name for p in folder.iterdir()) == ["2021-r1.json", "2021-r2.json"]
    assert revision.revision == 2


@pytest.mark.django_db
def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    load_plans()
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old.json").write_text("{}")
    with pytest.raises(CommandError) as error:
        backup(tmp_path / "backup")
    assert str(error.value) == TARGET_NOT_EMPTY.format(path=tmp_path / "backup")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup"]  # no half-written staging left


@pytest.mark.django_db
def test_backup_fills_an_empty_directory_and_leaves_it_private(tmp_path):
    load_plans()
    (tmp_path / "backup").mkdir()
    backup(tmp_path / "backup")
    assert (tmp_path / "backup" / "manifest.json").is_file()
    assert (tmp_path / "backup").stat().st_mode & 0o077 == 0


@pytest.mark.django_db(transaction=True)
def test_restore_drill_gives_back_the_same_plans_in_an_empty_database(tmp_path, client):
    load_plans()
    before = exported()
    api_before = api_plans(client)
    assert len(api_before) == 4
    assert all(plan["summary"]["columns"] for plan in api_before.values())
    backup(tmp_path / "backup")

    call_command("flush", interactive=False, verbosity=0)
    assert not Plan.objects.exists()
    assert not Association.objects.exists()

    restore(tmp_path / "backup")
    assert exported() == before
    api_after = api_plans(client)
    assert sorted(api_after) == sorted(api_before)
    for key, plan in api_before.items():
        assert api_after[key] == plan, key
    approved = Plan.objects.get(year=2021, revision=1)
    assert approved.status == "approved"
    assert str(approved.decided_on) == "2020-12-10"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_changed_file_and_imports_nothing(tmp_path):
    load_plans()
    manifest = backup(tmp_path / "backup")
    changed = tmp_path / "backup" / manifest["files"][-1]["path"]
    changed.write_bytes(changed.read_bytes().replace(b'"dnr": "', b'"dnr": "X', 1))
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError) as error:
        restore(tmp_path / "backup")
    assert str(error.value) == CHECKSUM_MISMATCH.format(name=manifest["files"][-1]["path"])
    assert not Plan.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_missing_file(tmp_path):
    load_plans()
    manifest = backup(tmp_path / "backup")
    (tmp_path / "backup" / manifest["files"][0]["path"]).unlink()
    with pytest.raises(CommandError) as error:
        restore(tmp_path / "backup", "--verify-only")
    assert str(error.value) == FILE_MISSING.format(name=manifest["files"][0]["path"])


@pytest.mark.django_db(transaction=True)
def test_restore_is_all_or_nothing_when_a_later_plan_file_is_refused(tmp_path):
    load_plans()
    manifest = backup(tmp_path / "backup")
    # A file the checksums accept but the import refuses: its share no longer names a member.
    last = manifest["files"][-1]
    path = tmp_path / "backup" / last["path"]
    data = json.loads(path.read_text(encoding="utf-8"))
    data["plan"]["shares"][0]["member"] = "Ingen sådan medlem"
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode())
    last["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (tmp_path / "backup" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError) as error:
        restore(tmp_path / "backup")
    assert last["path"] in str(error.value)
    assert "Ingen sådan medlem" in str(error.value)
    assert not Plan.objects.exists()  # the earlier files were rolled back with it


@pytest.mark.django_db
def test_restore_over_existing_plans_needs_replace(tmp_path):
    load_plans()
    Plan.objects.filter(status="approved").update(status="draft", decided_on=None)
    backup(tmp_path / "backup")
    Plan.objects.filter(year=2024).update(dnr="ändrat efter säkerhetskopian")
    with pytest.raises(CommandError) as error:
        restore(tmp_path / "backup")
    assert "förbundet har redan en plan för" in str(error.value)
    assert Plan.objects.get(year=2024).dnr == "ändrat efter säkerhetskopian"


@pytest.mark.django_db
def test_restore_with_replace_brings_back_the_drafts_as_they_were(tmp_path):
    load_plans()
    Plan.objects.filter(status="approved").update(status="draft", decided_on=None)
    before = exported()
    backup(tmp_path / "backup")
    Plan.objects.filter(year=2024).update(dnr="ändrat efter säkerhetskopian")

    restore(tmp_path / "backup", "--replace")
    assert exported() == before


@pytest.mark.django_db
def test_restore_with_replace_never_replaces_an_approved_plan(tmp_path):
    load_plans()
    backup(tmp_path / "backup")
    with pytest.raises(CommandError) as error:
        restore(tmp_path / "backup", "--replace")
    assert "En fastställd plan kan inte ersättas" in str(error.value)
