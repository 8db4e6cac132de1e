"""Backup and restore in process: the file check, files-only archives (the PostgreSQL path), and
the refusals. The whole SQLite round trip under writes is in tests/test_backup_restore.py."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.test import override_settings

from pdca.core.backup import file_problems

pytestmark = pytest.mark.django_db


def _replace(name: str, content: bytes) -> None:
    default_storage.delete(name)
    assert default_storage.save(name, ContentFile(content)) == name


def _revision_with_file(world):
    from pdca.documents.models import Revision

    return Revision.objects.filter(organization=world.org).exclude(file="").first()


def test_file_check_finds_nothing_wrong_with_the_example_world(world):
    assert world.extra["record"].attachments.exclude(file="").exists()
    assert _revision_with_file(world) is not None
    assert file_problems() == []


def test_file_check_reports_a_changed_attachment_and_a_changed_revision_file(world):
    attachment = world.extra["record"].attachments.get()
    with default_storage.open(attachment.file.name, "rb") as fh:
        same_size = bytes(b ^ 1 for b in fh.read())
    _replace(attachment.file.name, same_size)
    revision = _revision_with_file(world)
    _replace(revision.file.name, b"%PDF-1.4\n% another file\n")

    problems = file_problems()
    assert sorted(problems) == [
        f"Attachment {attachment.pk}: the file {attachment.file.name} does not match the hash "
        "in the database.",
        f"Revision {revision.pk}: the file {revision.file.name} has 24 bytes, the database "
        f"says {revision.file_size}.",
    ]


def test_file_check_reports_a_missing_file(world):
    attachment = world.extra["record"].attachments.get()
    default_storage.delete(attachment.file.name)
    assert file_problems() == [
        f"Attachment {attachment.pk}: the file {attachment.file.name} is missing."
    ]


def test_backup_on_postgresql_refuses_and_gives_the_pg_dump_recipe(monkeypatch, tmp_path):
    monkeypatch.setattr(connections["default"], "vendor", "postgresql")
    with pytest.raises(CommandError) as error:
        call_command("backup", "--output", str(tmp_path / "b.tar.gz"))
    assert "SQLite databases only" in str(error.value)
    assert "pg_dump --format=custom" in str(error.value)
    assert "pdca backup --files-only" in str(error.value)
    assert not (tmp_path / "b.tar.gz").exists()


def test_backup_refuses_to_write_over_an_existing_file(tmp_path):
    existing = tmp_path / "b.tar.gz"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--files-only", "--output", str(existing))
    assert existing.read_bytes() == b"keep me"


def test_files_only_backup_restores_every_file_into_an_empty_file_store(world, tmp_path):
    archive = tmp_path / "files.tar.gz"
    call_command("backup", "--files-only", "--output", str(archive), stdout=io.StringIO())
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds every record: the owner's only
    assert not (tmp_path / "files.tar.gz.partial").exists()
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["database"] is None and "database.sqlite3" not in members
    assert ["core", "0001_foundation"] in manifest["migrations"]
    assert {n: hashlib.sha256(d).hexdigest() for n, d in members.items()} == manifest["members"]
    attachment = world.extra["record"].attachments.get()
    assert f"files/{attachment.file.name}" in members

    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        out = io.StringIO()
        call_command("restore", str(archive), stdout=out, stderr=io.StringIO())
        assert "The audit trail is intact" in out.getvalue()
        assert "Every stored file the database refers to is there." in out.getvalue()
        assert default_storage.exists(attachment.file.name)

        # The file store is no longer empty: a second restore is refused.
        with pytest.raises(CommandError, match="The file store is not empty"):
            call_command("restore", str(archive), stdout=io.StringIO())


def test_restore_of_a_missing_file_or_a_file_that_is_no_archive_says_so(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"))
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is not an archive")
    with pytest.raises(CommandError, match="is not a readable pdca backup"):
        call_command("restore", str(junk))


def _archive(path, members: dict[str, bytes], manifest: dict) -> None:
    raw = json.dumps(manifest).encode()
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*members.items(), ("manifest.json", raw)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_restore_refuses_an_archive_from_a_newer_pdca_before_writing(tmp_path):
    database = b"SQLite format 3\x00"
    archive = tmp_path / "future.tar.gz"
    _archive(
        archive,
        {"database.sqlite3": database},
        {
            "format": 1,
            "pdca_version": "9.0",
            "migrations": [["core", "0001_foundation"], ["core", "9999_from_the_future"]],
            "members": {"database.sqlite3": hashlib.sha256(database).hexdigest()},
        },
    )
    with pytest.raises(CommandError, match=r"newer pdca \(9.0\).*core.9999_from_the_future"):
        call_command("restore", str(archive))


def test_restore_refuses_an_entry_outside_the_archive_folders(tmp_path):
    evil = b"owned"
    archive = tmp_path / "evil.tar.gz"
    _archive(
        archive,
        {"files/../../evil.txt": evil},
        {"format": 1, "members": {"files/../../evil.txt": hashlib.sha256(evil).hexdigest()}},
    )
    with pytest.raises(CommandError, match="unexpected entry"):
        call_command("restore", str(archive))
