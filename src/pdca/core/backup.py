"""Backing up and restoring an installation: the database and the uploaded files in one archive.

On SQLite the database is copied through SQLite's online backup API, never as a file: a copy of
the file taken during writes lost committed entries that were still in the write-ahead log, and
nothing could tell. The backup API copies every page in one step under a read transaction, so
the copy is the database as it stood at one instant, whatever other connections write meanwhile.
On PostgreSQL, pg_dump does the same job; `backup_create(files_only=True)` then saves the files.

The archive is a gzip'd tar holding `database.sqlite3` (unless files only), `files/<name>` for
every file in the default storage, and `manifest.json` with the SHA-256 of every member, pdca's
version and the migrations applied. `restore()` checks every hash before it writes anything,
restores into an empty installation only (unless told otherwise), then verifies the audit trail
and that every stored file the database refers to is there with its hash.

Files are read and written through Django's storage API, so that any storage backend works.
"""

import datetime
import gzip
import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

import pdca

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = "database.sqlite3"
FILES_PREFIX = "files/"
CHUNK = 1024 * 1024
# Tables that `migrate` fills by itself: rows there do not make an installation non-empty.
BOOKKEEPING_MODELS = {"contenttypes.contenttype", "auth.permission"}

POSTGRESQL_RECIPE = gettext_lazy(
    "On PostgreSQL, back up the database with pg_dump and the uploaded files with "
    "`pdca backup --files-only`:\n"
    '  pg_dump --format=custom --file=pdca.dump "$DATABASE_URL"\n'
    "  pdca backup --files-only --output pdca-files.tar.gz\n"
    "Restore into an empty database and an empty file store:\n"
    '  pg_restore --no-owner --dbname="$DATABASE_URL" pdca.dump\n'
    "  pdca migrate\n"
    "  pdca restore pdca-files.tar.gz"
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class StoredFile:
    """A file the database refers to, and what it must hash to.

    `sha256` is the hex digest of `prefix` followed by the file's bytes (a revision's content
    hash covers its text too); None when the database keeps no hash for it."""

    label: str
    name: str
    size: int | None = None
    sha256: str | None = None
    prefix: bytes = b""


@dataclass
class BackupResult:
    path: Path
    database: bool
    files: int
    manifest: dict[str, Any]
    vanished: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    database: bool
    files: int
    migrated: bool = False
    trail_message: str = ""
    trail_intact: bool = True
    file_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.trail_intact and not self.file_problems


# Backup ---------------------------------------------------------------------------------------


def _sha256_of(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def storage_names(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in `storage`, through the storage API (any backend)."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from storage_names(storage, f"{path}/{directory}" if path else directory)


def _snapshot_sqlite(target: Path) -> list[tuple[str, str]]:
    """Copy the database to `target` through SQLite's online backup API, in one step."""
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # pages=-1 copies everything in one step, under one read transaction: a consistent
        # snapshot even while other connections keep writing to the write-ahead log.
        connection.connection.backup(destination, pages=-1)
        rows = destination.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    finally:
        destination.close()
    return [(app, name) for app, name in rows]


def _add_member(archive: tarfile.TarFile, name: str, fh: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(datetime.datetime.now(tz=datetime.UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, fh)


def _add_files(archive: tarfile.TarFile, work: str, members: dict[str, str]) -> list[str]:
    """Add every file in the default storage; return the names that vanished meanwhile."""
    vanished = []
    for name in storage_names(default_storage):
        try:
            source = default_storage.open(name, "rb")
        except FileNotFoundError:
            vanished.append(name)  # deleted between the listing and now (a disposal)
            continue
        # Spooled so that the bytes hashed are the bytes archived, whatever the backend.
        with source, tempfile.SpooledTemporaryFile(max_size=8 * CHUNK, dir=work) as spool:
            digest = hashlib.sha256()
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                spool.write(chunk)
            size = spool.tell()
            spool.seek(0)
            members[FILES_PREFIX + name] = digest.hexdigest()
            _add_member(archive, FILES_PREFIX + name, spool, size)  # type: ignore[arg-type]
    return vanished


def backup_create(*, destination: Path, files_only: bool = False) -> BackupResult:
    """Write the database (SQLite) and every uploaded file into one archive at `destination`.

    The database is copied first, then the files: a file that a copied row refers to was
    stored before its row was committed, so it is in the archive. Refused on PostgreSQL
    unless `files_only` (pg_dump copies that database). The archive holds everything, password
    hashes included: it is written readable by its owner only."""
    if not files_only and connection.vendor != "sqlite":
        raise BackupError(
            _("pdca backup copies SQLite databases only.") + "\n" + str(POSTGRESQL_RECIPE)
        )
    if destination.exists():
        raise BackupError(_("%(path)s exists already: name a new file.") % {"path": destination})
    members: dict[str, str] = {}
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="pdca-backup-") as work:
        if files_only:
            migrations = sorted(MigrationRecorder(connection).applied_migrations())
        else:
            snapshot = Path(work) / DATABASE_MEMBER
            migrations = _snapshot_sqlite(snapshot)
        try:
            with (
                open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out,
                tarfile.open(fileobj=out, mode="w:gz") as archive,
            ):
                if not files_only:
                    with snapshot.open("rb") as fh:
                        members[DATABASE_MEMBER] = _sha256_of(fh)
                        fh.seek(0)
                        _add_member(archive, DATABASE_MEMBER, fh, snapshot.stat().st_size)
                vanished = _add_files(archive, work, members)
                manifest = {
                    "format": FORMAT,
                    "pdca_version": pdca.__version__,
                    "created_at": datetime.datetime.now(tz=datetime.UTC).isoformat(),
                    "database": None if files_only else connection.vendor,
                    "migrations": [[app, name] for app, name in migrations],
                    "members": members,
                }
                raw = json.dumps(manifest, indent=1, sort_keys=True).encode()
                _add_member(archive, MANIFEST, io.BytesIO(raw), len(raw))
            partial.rename(destination)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(
        path=destination,
        database=not files_only,
        files=sum(1 for m in members if m.startswith(FILES_PREFIX)),
        manifest=manifest,
        vanished=vanished,
    )


# Checks after a restore -----------------------------------------------------------------------


def _generic_stored_files(models: Iterable[Any]) -> Iterator[StoredFile]:
    for model in models:
        for f in model._meta.get_fields():
            if isinstance(f, FileField):
                for pk, name in model._default_manager.exclude(**{f.name: ""}).values_list(
                    "pk", f.name
                ):
                    if name:
                        yield StoredFile(label=f"{model._meta.label} {pk}", name=name)


def referenced_files() -> Iterator[StoredFile]:
    """Every stored file the database refers to.

    An app with a `stored_files` module says, through its `stored_files()` function, which
    files its rows refer to and their hashes; for the other apps every FileField is listed,
    checked for presence only."""
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "stored_files"):
            yield from import_module(f"{config.name}.stored_files").stored_files()
        else:
            yield from _generic_stored_files(config.get_models())


def file_problems(storage: Storage | None = None) -> list[str]:
    """What is wrong with the stored files the database refers to: missing, or another hash."""
    storage = storage or default_storage
    problems = []
    with scopes_disabled():
        for item in referenced_files():
            if not storage.exists(item.name):
                problems.append(
                    _("%(label)s: the file %(name)s is missing.")
                    % {"label": item.label, "name": item.name}
                )
                continue
            if item.sha256 is None and item.size is None:
                continue
            digest = hashlib.sha256(item.prefix)
            size = 0
            with storage.open(item.name, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
            if item.size is not None and size != item.size:
                problems.append(
                    _("%(label)s: the file %(name)s has %(size)s bytes, the database says %(n)s.")
                    % {"label": item.label, "name": item.name, "size": size, "n": item.size}
                )
            elif item.sha256 is not None and digest.hexdigest() != item.sha256:
                problems.append(
                    _("%(label)s: the file %(name)s does not match the hash in the database.")
                    % {"label": item.label, "name": item.name}
                )
    return problems


# Restore --------------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


@contextmanager
def _open_archive(path: Path) -> Iterator[tarfile.TarFile]:
    """The archive, read with a clear error if it is not a readable gzip'd tar."""
    try:
        with tarfile.open(path, "r:*") as archive:
            yield archive
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(
            _("%(path)s is not a readable pdca backup: %(error)s") % {"path": path, "error": exc}
        ) from exc


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        fh = archive.extractfile(member)
        if fh is None:
            raise KeyError(MANIFEST)
        manifest = json.loads(fh.read())
    except (KeyError, ValueError) as exc:
        raise BackupError(_("This archive has no readable manifest: not a pdca backup.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This archive is not a pdca backup of a format this pdca reads."))
    if not isinstance(manifest.get("members"), dict):
        raise BackupError(_("The manifest lists no members: not a pdca backup."))
    return manifest


def _check_members(archive: tarfile.TarFile, manifest: dict[str, Any], work: Path) -> list[str]:
    """Hash every member against the manifest; extract the database into `work`. Returns the
    storage names of the files. Raises BackupError at the first member that does not match."""
    expected: dict[str, str] = manifest["members"]
    seen: set[str] = set()
    files = []
    for member in archive:
        if member.name == MANIFEST:
            continue
        if not member.isfile() or not _safe_member_name(member.name):
            raise BackupError(_("The archive holds an unexpected entry: %s") % member.name)
        if member.name not in expected:
            raise BackupError(_("%s is in the archive but not in its manifest.") % member.name)
        if member.name in seen:
            raise BackupError(_("%s is in the archive twice.") % member.name)
        seen.add(member.name)
        fh = archive.extractfile(member)
        assert fh is not None  # a regular file
        digest = hashlib.sha256()
        sink = (work / DATABASE_MEMBER).open("wb") if member.name == DATABASE_MEMBER else None
        try:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                if sink:
                    sink.write(chunk)
        finally:
            if sink:
                sink.close()
        if digest.hexdigest() != expected[member.name]:
            raise BackupError(
                _("%s does not match the hash in the manifest: the archive was altered or damaged.")
                % member.name
            )
        if member.name.startswith(FILES_PREFIX):
            files.append(member.name[len(FILES_PREFIX) :])
        elif member.name != DATABASE_MEMBER:
            raise BackupError(_("The archive holds an unexpected entry: %s") % member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(_("The manifest lists %s, which the archive lacks.") % ", ".join(missing))
    return files


def database_is_empty() -> bool:
    """True when no table of an installed model holds a row (apart from what migrate adds)."""
    tables = set(connection.introspection.table_names())
    with scopes_disabled():
        for model in apps.get_models():
            if model._meta.label_lower in BOOKKEEPING_MODELS:
                continue
            if model._meta.db_table in tables and model._default_manager.exists():
                return False
    return True


def _check_migrations(manifest: dict[str, Any]) -> bool:
    """Refuse an archive from a newer pdca; True when this pdca has migrations to apply."""
    applied = {tuple(pair) for pair in manifest.get("migrations", [])}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(applied - known)
    if unknown:
        raise BackupError(
            _(
                "The backup was made by a newer pdca (%(version)s): migrations %(names)s are "
                "unknown here. Install that version, then restore."
            )
            % {
                "version": manifest.get("pdca_version", "?"),
                "names": ", ".join(f"{a}.{n}" for a, n in unknown[:5]),
            }
        )
    return bool(known - applied)


def _restore_sqlite(snapshot: Path) -> None:
    """Copy the archived database into this installation's database through the backup API:
    page by page over whatever is there, so no row is ever updated or deleted."""
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(snapshot)
    try:
        source.backup(connection.connection, pages=-1)
    finally:
        source.close()
    connection.close()


def _restore_files(
    archive: tarfile.TarFile, storage: Storage, names: set[str], overwrite: bool
) -> None:
    for member in archive:
        if not member.name.startswith(FILES_PREFIX):
            continue
        name = member.name[len(FILES_PREFIX) :]
        if name not in names:
            continue
        if storage.exists(name):
            if not overwrite:
                raise BackupError(_("%s exists in the file store already.") % name)
            storage.delete(name)
        fh = archive.extractfile(member)
        assert fh is not None
        saved = storage.save(name, File(fh, name=PurePosixPath(name).name))
        if saved != name:
            raise BackupError(
                _("The file store saved %(name)s as %(saved)s.") % {"name": name, "saved": saved}
            )


def restore(*, archive_path: Path, allow_non_empty: bool = False) -> RestoreResult:
    """Restore a `backup_create` archive into this installation, then check it.

    Every member is checked against the manifest's hashes before anything is written. The
    database and the file store must be empty unless `allow_non_empty` (the archive's database
    then replaces the one there, and its files those with the same name). Afterwards the audit
    trail is verified and every stored file the database refers to is checked; the result says
    what was found, and `ok` is False on any problem."""
    if not archive_path.is_file():
        raise BackupError(_("There is no file %s.") % archive_path)
    with (
        _open_archive(archive_path) as archive,
        tempfile.TemporaryDirectory(prefix="pdca-restore-") as work,
    ):
        manifest = _read_manifest(archive)
        files = _check_members(archive, manifest, Path(work))
        has_database = DATABASE_MEMBER in manifest["members"]
        needs_migrate = _check_migrations(manifest) if has_database else False
        if has_database and connection.vendor != "sqlite":
            raise BackupError(
                _("This archive holds a SQLite database; this installation uses %s.")
                % connection.vendor
                + "\n"
                + str(POSTGRESQL_RECIPE)
            )
        if not allow_non_empty:
            if has_database and not database_is_empty():
                raise BackupError(
                    _(
                        "The database is not empty: restore into a new installation, or pass "
                        "--replace-existing to overwrite everything in it."
                    )
                )
            if next(storage_names(default_storage), None) is not None:
                raise BackupError(
                    _(
                        "The file store is not empty: restore into a new installation, or pass "
                        "--replace-existing to overwrite files with the same name."
                    )
                )
        if has_database:
            _restore_sqlite(Path(work) / DATABASE_MEMBER)
        # A second pass over the archive: the first one checked every hash before any write.
        with _open_archive(archive_path) as again:
            _restore_files(again, default_storage, set(files), overwrite=allow_non_empty)
    result = RestoreResult(database=has_database, files=len(files))
    if needs_migrate:
        call_command("migrate", interactive=False, verbosity=0)
        result.migrated = True
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify-trail", stdout=out, stderr=err)
    except CommandError as exc:
        result.trail_intact = False
        result.trail_message = (err.getvalue() + str(exc)).strip()
    else:
        result.trail_message = out.getvalue().strip()
    result.file_problems = file_problems()
    return result
