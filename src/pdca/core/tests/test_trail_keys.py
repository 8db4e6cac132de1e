"""The trail key: HMAC seals, rotation, the data migration that sealed older entries, and a
production that refuses to start without a key of its own."""

import importlib
import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pdca.config.settings.env import env_secrets
from pdca.core import append_only, trail
from pdca.core.models import TrailEntry
from pdca.core.trail_keys import key_id, keyring

OLD_KEY = "retired-" + "a" * 40
NEW_KEY = "current-" + "b" * 40


def _verify() -> str:
    err = io.StringIO()
    try:
        call_command("verify-trail", stdout=io.StringIO(), stderr=err)
    except CommandError:
        return err.getvalue() or "broken"
    return ""


def _record(org) -> TrailEntry:
    return trail.record(action="core.organization.updated", actor=None, organization=org)


def test_a_key_id_names_a_key_without_giving_it_away():
    assert key_id(OLD_KEY) != key_id(NEW_KEY)
    assert len(key_id(OLD_KEY)) == 16 and OLD_KEY not in key_id(OLD_KEY)


@pytest.mark.django_db
def test_entries_sealed_under_a_retired_key_still_verify_after_rotation(world, settings):
    # The world was sealed with the test key: it is retired first, then OLD_KEY is.
    settings.TRAIL_KEYS = [OLD_KEY, settings.DEV_TRAIL_KEY]
    before = _record(world.org)
    call_command("trail-checkpoint", stdout=io.StringIO())
    settings.TRAIL_KEYS = [NEW_KEY, OLD_KEY, settings.DEV_TRAIL_KEY]
    after = _record(world.org)
    assert (before.key_id, after.key_id) == (key_id(OLD_KEY), key_id(NEW_KEY))
    assert after.prev_hash == before.hash
    assert _verify() == ""  # the checkpoint signed with the old key is still read
    call_command("trail-checkpoint", stdout=io.StringIO())
    assert _verify() == ""


@pytest.mark.django_db
def test_an_entry_sealed_with_a_key_no_longer_held_is_named(world, settings):
    settings.TRAIL_KEYS = [OLD_KEY, settings.DEV_TRAIL_KEY]
    entry = _record(world.org)
    settings.TRAIL_KEYS = [NEW_KEY, settings.DEV_TRAIL_KEY]
    report = _verify()
    assert f"entry #{entry.seq} (id {entry.pk}): sealed with a key this installation" in report
    assert key_id(OLD_KEY) in report


def test_keys_come_from_a_key_file_or_the_environment(monkeypatch, tmp_path):
    names = {"file_variable": "PDCA_TRAIL_KEY_FILE", "old_variable": "PDCA_TRAIL_OLD_KEYS"}
    for name in ("PDCA_TRAIL_KEY", *names.values()):
        monkeypatch.delenv(name, raising=False)
    assert env_secrets("PDCA_TRAIL_KEY", **names) == []
    monkeypatch.setenv("PDCA_TRAIL_OLD_KEYS", OLD_KEY)
    assert env_secrets("PDCA_TRAIL_KEY", **names) == []  # retired keys alone seal nothing
    monkeypatch.setenv("PDCA_TRAIL_KEY", NEW_KEY)
    assert env_secrets("PDCA_TRAIL_KEY", **names) == [NEW_KEY, OLD_KEY]
    key_file = tmp_path / "trail.keys"
    key_file.write_text(f"# in use\n{NEW_KEY}\n\n# retired 2026-12\n{OLD_KEY}\n")
    monkeypatch.setenv("PDCA_TRAIL_KEY_FILE", str(key_file))
    monkeypatch.setenv("PDCA_TRAIL_KEY", "ignored-when-there-is-a-file")
    assert env_secrets("PDCA_TRAIL_KEY", **names) == [NEW_KEY, OLD_KEY]


def _production_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PDCA_", "DJANGO_"))}
    clean.update(PDCA_SECRET_KEY="s" * 50, **env)
    return subprocess.run(
        [sys.executable, "-c", "import pdca.config.settings.production"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"PDCA_TRAIL_KEY": "too-short"},
        {"PDCA_TRAIL_KEY": "dev-only-trail-key-anyone-can-recompute-with-this"},
    ],
    ids=["no key", "short key", "the dev key"],
)
def test_production_refuses_to_start_without_a_key_of_its_own(env):
    result = _production_settings(**env)
    assert result.returncode != 0 and "PDCA_TRAIL_KEY" in result.stderr


def test_production_starts_with_a_key_file(tmp_path):
    key_file = tmp_path / "trail.key"
    key_file.write_text("k" * 48 + "\n")
    assert _production_settings(PDCA_TRAIL_KEY_FILE=str(key_file)).returncode == 0


# The data migration that sealed the entries written before keys.


def _migration():
    return importlib.import_module("pdca.core.migrations.0003_trail_sealed_with_a_key")


def _historical_apps():
    # The models as that migration sees them: plain managers, no append-only guard.
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(("core", "0003_trail_sealed_with_a_key")).apps


@pytest.mark.django_db
def test_the_migration_seals_a_chain_written_before_keys(world):
    append_only.remove(connection)  # as before migration 0003
    apps = _historical_apps()
    _migration().back_to_plain_sha256(apps, None)
    assert set(TrailEntry.objects.values_list("key_id", flat=True)) == {""}
    assert "content was altered" in _verify()
    _migration().seal_with_the_key(apps, None)
    assert set(TrailEntry.objects.values_list("key_id", flat=True)) == {keyring().current_id}
    assert _verify() == ""


@pytest.mark.django_db
def test_the_migration_leaves_a_chain_broken_before_it_broken_at_the_same_entry(world):
    append_only.remove(connection)
    apps = _historical_apps()
    _migration().back_to_plain_sha256(apps, None)
    entries = list(TrailEntry.objects.filter(chain=world.org.pk).order_by("seq"))
    victim = entries[1]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_trailentry SET reason = 'forged' WHERE id = %s", [victim.pk])
    _migration().seal_with_the_key(apps, None)
    assert f"chain {world.org.pk}: entry #{victim.seq} (id {victim.pk})" in _verify()
    assert _verify().count(f"chain {world.other_org.pk}") == 0  # the other chain was sealed
