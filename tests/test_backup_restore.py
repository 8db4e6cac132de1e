"""`pdca backup` and `pdca restore` as an operator runs them, on SQLite file databases.

The commands run in subprocesses under the dev settings, each installation in its own folder
(`PDCA_VAR_DIR`, `DATABASE_URL`), because the test settings' in-memory database has no
write-ahead log to lose. One installation is backed up while a thread keeps writing; the other
tests reuse its archive.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

# Writes records with one attachment each through the service, in a thread, and keeps the ones
# whose transaction committed. The backup starts once some are in, and the thread keeps writing
# until several more have committed after the backup ended. Automatic checkpoints are off, as
# under a steady load of writes: every committed write stays in the write-ahead log, where a
# copy of the database file would not see it.
WRITE_DURING_BACKUP = """
import datetime, hashlib, json, os, threading
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from pdca.core import services
from pdca.core.models import User
from pdca.core.roles import Role
from django_scopes import scopes_disabled
from pdca.records import services as records

unscoped = scopes_disabled()  # for this thread; the writer thread enters its own
unscoped.__enter__()

def no_checkpoints():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint=0")

no_checkpoints()
org = services.organization_create(actor=None, name="Acme Precision Ltd", slug="acme")
mr = User.objects.create_user(email="mr@acme.example", password="a long backup password")
services.membership_add(actor=None, organization=org, user=mr, roles=[Role.MANAGEMENT_REP])
rtype = records.record_type_save(
    actor=mr, organization=org, name="Calibration records", owner=mr, location="Office",
    retention_months=36, disposal_method="shred", confidentiality="internal",
)
committed, lock = [], threading.Lock()
started, stop = threading.Event(), threading.Event()
after_backup = []

def write():
    unscoped_here = scopes_disabled()
    unscoped_here.__enter__()
    no_checkpoints()
    n = 0
    while not stop.is_set():
        n += 1
        content = b"%PDF-1.4\\n%" + str(n).encode() * 50 + b"\\n"
        record = records.record_create(
            actor=mr, organization=org, record_type=rtype, title=f"Certificate {n}",
            date=datetime.date.today(),
            uploads=[SimpleUploadedFile(f"cert-{n}.pdf", content)],
        )
        attachment = record.attachments.get()
        with lock:
            committed.append({"record": record.pk, "title": record.title,
                              "file": attachment.file.name,
                              "sha256": hashlib.sha256(content).hexdigest()})
            if len(committed) >= 5:
                started.set()
            if after_backup and len(committed) >= after_backup[0] + 5:
                stop.set()
    connection.close()

writer = threading.Thread(target=write)
writer.start()
started.wait()
with lock:
    before = list(committed)
call_command("backup", "--output", os.environ["BACKUP_TEST_ARGUMENT"])
with lock:
    after_backup.append(len(committed))
writer.join()
print(json.dumps({"before": before, "total": len(committed)}))
"""

# Prints which of the given writes the restored installation lacks.
FIND_WRITES = """
import hashlib, json, os
from django.core.files.storage import default_storage
from django_scopes import scopes_disabled
from pdca.core.models import TrailEntry
from pdca.records.models import Record
missing = []
with scopes_disabled():
    for write in json.load(open(os.environ["BACKUP_TEST_ARGUMENT"])):
        record = Record.objects.filter(pk=write["record"], title=write["title"]).first()
        if record is None:
            missing.append(f"record {write['record']}")
            continue
        if not TrailEntry.objects.filter(action="records.record.created",
                                         object_id=str(record.pk)).exists():
            missing.append(f"trail entry of record {record.pk}")
        if not default_storage.exists(write["file"]):
            missing.append(write["file"])
            continue
        with default_storage.open(write["file"], "rb") as fh:
            if hashlib.sha256(fh.read()).hexdigest() != write["sha256"]:
                missing.append(f"content of {write['file']}")
print(json.dumps(missing))
"""


def _env(folder: Path, argument: str = "") -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PDCA_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pdca.config.settings.dev",
        PDCA_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'pdca.sqlite3'}",
        PDCA_LOG_LEVEL="WARNING",
        # `pdca shell -c` takes no arguments: the scripts above read theirs from here.
        BACKUP_TEST_ARGUMENT=argument,
    )
    return env


def _pdca(folder: Path, *args: str, argument: str = "") -> subprocess.CompletedProcess:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [str(BIN / "pdca"), *args],
        env=_env(folder, argument),
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, f"{result.args} failed:\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """An installation backed up while a thread kept writing: its folder, the archive, and
    the writes committed before the backup started."""
    source = tmp_path_factory.mktemp("source")
    _ok(_pdca(source, "migrate", "--noinput", "-v0"))
    archive = source / "backup.tar.gz"
    out = _ok(_pdca(source, "shell", "-c", WRITE_DURING_BACKUP, argument=str(archive)))
    report = json.loads(out.strip().splitlines()[-1])
    assert len(report["before"]) >= 5 and report["total"] >= len(report["before"]) + 5
    return source, archive, report["before"]


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]


def _write_archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _media_files(folder: Path) -> list[Path]:
    return [p for p in (folder / "media").rglob("*") if p.is_file()]


def test_backup_during_writes_restores_every_committed_write_and_file(backed_up, tmp_path):
    _source, archive, before = backed_up
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["database"] == "sqlite" and manifest["pdca_version"]
    assert ["core", "0001_foundation"] in manifest["migrations"]
    for name, data in members.items():
        if name != "manifest.json":
            assert manifest["members"][name] == hashlib.sha256(data).hexdigest()
    assert {f"files/{w['file']}" for w in before} <= set(members)

    target = tmp_path / "restored"
    out = _ok(_pdca(target, "restore", str(archive)))
    assert "The audit trail is intact" in out
    assert "Every stored file the database refers to is there." in out

    (tmp_path / "writes.json").write_text(json.dumps(before))
    found = _ok(_pdca(target, "shell", "-c", FIND_WRITES, argument=str(tmp_path / "writes.json")))
    assert json.loads(found.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("member", ["database.sqlite3", "a file"])
def test_tampered_archive_is_refused_and_nothing_restored(backed_up, tmp_path, member):
    _source, archive, _before = backed_up
    members = _members(archive)
    if member == "a file":
        member = next(name for name in members if name.startswith("files/"))
    data = bytearray(members[member])
    data[len(data) // 2] ^= 0x01
    members[member] = bytes(data)
    tampered = _write_archive(tmp_path / "tampered.tar.gz", members)

    target = tmp_path / "restored"
    result = _pdca(target, "restore", str(tampered))
    assert result.returncode != 0
    assert f"{member} does not match the hash in the manifest" in result.stderr
    assert "Nothing was restored" in result.stderr
    assert _media_files(target) == []
    db = target / "pdca.sqlite3"
    assert not db.exists() or db.stat().st_size == 0


def test_restore_into_a_non_empty_database_is_refused(backed_up):
    source, archive, _before = backed_up
    result = _pdca(source, "restore", str(archive))
    assert result.returncode != 0
    assert "The database is not empty" in result.stderr
    assert "--replace-existing" in result.stderr


def test_missing_file_is_reported_after_restore(backed_up, tmp_path):
    _source, archive, before = backed_up
    members = _members(archive)
    gone = f"files/{before[0]['file']}"
    del members[gone]
    manifest = json.loads(members["manifest.json"])
    del manifest["members"][gone]
    members["manifest.json"] = json.dumps(manifest).encode()
    incomplete = _write_archive(tmp_path / "incomplete.tar.gz", members)

    result = _pdca(tmp_path / "restored", "restore", str(incomplete))
    assert result.returncode != 0
    assert "The audit trail is intact" in result.stdout
    assert f"the file {before[0]['file']} is missing" in result.stderr
    assert "failed its checks" in result.stderr


def test_member_missing_from_the_archive_is_refused(backed_up, tmp_path):
    _source, archive, before = backed_up
    members = _members(archive)
    del members[f"files/{before[0]['file']}"]
    incomplete = _write_archive(tmp_path / "incomplete.tar.gz", members)

    result = _pdca(tmp_path / "restored", "restore", str(incomplete))
    assert result.returncode != 0
    assert "which the archive lacks" in result.stderr
