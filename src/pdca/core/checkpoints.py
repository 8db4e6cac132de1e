"""Signed checkpoints of every chain head, kept outside the database.

A chain proves that nothing inside it changed, but not that nothing was cut off its end: an
attacker who deletes the newest entries and moves the chain head back (or deletes a chain with
its head) leaves a chain that verifies. `write_checkpoint()` (`pdca trail-checkpoint`, run on a
schedule) signs the position and hash of every chain head with the trail key and appends it to
a place the database cannot reach: an append-only file by default, or any Django storage
backend named "trail_checkpoints" in `STORAGES` (an object store with write-once retention in
production). `pdca verify-trail` compares the chains with the last checkpoint, and with any
receipt (one organization's head from a checkpoint) that a management representative kept.
"""

import datetime
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone

from pdca.core.models import Organization, TrailChain
from pdca.core.trail import Break, check_chain
from pdca.core.trail_keys import UnknownTrailKey, canonical, keyring

CHECKPOINT_FORMAT = "pdca-trail-checkpoint/1"
RECEIPT_FORMAT = "pdca-trail-receipt/1"
STORAGE_ALIAS = "trail_checkpoints"
STORAGE_FOLDER = "trail-checkpoints"


class CheckpointError(Exception):
    """A checkpoint or receipt that cannot be trusted: unreadable, or its signature fails."""


@dataclass(frozen=True)
class Checkpoint:
    """Chain heads (chain key -> (position, hash)) as signed at one moment."""

    at: datetime.datetime
    key_id: str
    heads: dict[int, tuple[int, str]]
    # Receipts only: the one organization whose chain head they carry.
    organization: dict[str, Any] | None = None
    mac: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        kind = "receipt" if self.organization is not None else "checkpoint"
        return f"the {kind} of {self.at.astimezone(datetime.UTC):%Y-%m-%d %H:%M:%S} UTC"

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "format": RECEIPT_FORMAT if self.organization is not None else CHECKPOINT_FORMAT,
            "at": self.at.isoformat(timespec="microseconds"),
            "key_id": self.key_id,
            "chains": [[key, seq, hash_] for key, (seq, hash_) in sorted(self.heads.items())],
        }
        if self.organization is not None:
            body["organization"] = self.organization
        return body

    def signed(self) -> "Checkpoint":
        """This checkpoint signed with the key in use."""
        unsigned = replace(self, key_id=keyring().current_id)
        return replace(unsigned, mac=keyring().seal(canonical(unsigned.body())))

    def to_json(self) -> str:
        """One line of JSON, signature included."""
        return json.dumps({**self.body(), "mac": self.mac}, sort_keys=True, separators=(",", ":"))


def parse(text: str | bytes, source: str) -> Checkpoint:
    """A checkpoint or receipt read back, its signature checked; CheckpointError otherwise."""
    try:
        data = json.loads(text)
        mac = data.pop("mac")
        if data["format"] not in (CHECKPOINT_FORMAT, RECEIPT_FORMAT):
            raise ValueError(data["format"])
        kid = str(data["key_id"])
        checkpoint = Checkpoint(
            at=datetime.datetime.fromisoformat(data["at"]),
            key_id=kid,
            heads={int(key): (int(seq), str(hash_)) for key, seq, hash_ in data["chains"]},
            organization=data.get("organization"),
            mac=str(mac),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CheckpointError(f"{source} is not a pdca checkpoint or receipt") from error
    try:
        genuine = keyring().matches(canonical(data), kid, checkpoint.mac)
    except UnknownTrailKey:
        raise CheckpointError(
            f"{source} was signed with a key this installation does not hold (key id {kid})"
        ) from None
    if not genuine:
        raise CheckpointError(f"{source}: the signature does not match (altered or forged)")
    return checkpoint


class CheckpointStore(Protocol):
    where: str

    def append(self, text: str) -> None: ...

    def latest(self) -> tuple[bytes, str] | None:
        """The last checkpoint written and where it was read, or None when there is none."""
        ...


class FileStore:
    """Checkpoints as lines appended to one file (mark it append-only: `chattr +a`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)

    def append(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = (text + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            while data:
                data = data[os.write(fd, data) :]
            os.fsync(fd)
        finally:
            os.close(fd)

    def latest(self) -> tuple[bytes, str] | None:
        # Read back from the end: the file grows by one line per checkpoint, for years.
        try:
            file = self.path.open("rb")
        except FileNotFoundError:
            return None
        with file:
            position = file.seek(0, os.SEEK_END)
            tail = b""
            while position > 0:
                step = min(64 * 1024, position)
                position -= step
                file.seek(position)
                tail = file.read(step) + tail
                line = tail.rstrip(b"\n")
                if b"\n" in line:
                    return line.rsplit(b"\n", 1)[1], f"the last line of {self.path}"
            line = tail.rstrip(b"\n")
            return (line, f"the last line of {self.path}") if line else None


class StorageStore:
    """Checkpoints as one object each, named by time, through a Django storage backend."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.where = f'storage "{STORAGE_ALIAS}" ({type(storage).__name__}), {STORAGE_FOLDER}/'

    def append(self, text: str) -> None:
        name = f"{STORAGE_FOLDER}/{timezone.now():%Y%m%dT%H%M%S%fZ}.json"
        self.storage.save(name, ContentFile(text.encode()))

    def latest(self) -> tuple[bytes, str] | None:
        try:
            _folders, files = self.storage.listdir(STORAGE_FOLDER)
        except FileNotFoundError:
            return None
        names = sorted(name for name in files if name.endswith(".json"))
        if not names:
            return None
        name = f"{STORAGE_FOLDER}/{names[-1]}"
        with self.storage.open(name, "rb") as file:
            return file.read(), name


def store() -> CheckpointStore:
    if STORAGE_ALIAS in settings.STORAGES:
        return StorageStore(storages[STORAGE_ALIAS])
    return FileStore(Path(settings.TRAIL_CHECKPOINT_PATH))


def latest() -> Checkpoint | None:
    """The last checkpoint written, its signature checked (CheckpointError if it fails)."""
    found = store().latest()
    return parse(*found) if found is not None else None


@dataclass(frozen=True)
class CheckpointRun:
    checkpoint: Checkpoint
    written: bool
    breaks: list[Break]


def write_checkpoint() -> CheckpointRun:
    """Sign every chain head and append the checkpoint; return it and any break found.

    Each chain is first recomputed from the previous checkpoint to its head (only the entries
    appended since), so that a checkpoint never signs a chain that was cut or altered. A
    broken chain keeps its previous checkpointed head, as evidence of what it was. Nothing is
    written when no chain moved since the last checkpoint.
    """
    previous = latest()
    before = previous.heads if previous is not None else {}
    keys = set(TrailChain.objects.values_list("key", flat=True)) | set(before)
    heads: dict[int, tuple[int, str]] = {}
    breaks = []
    for key in sorted(keys):
        result = check_chain(key, since=before.get(key))
        if result.broken is not None:
            breaks.append(result.broken)
            if key in before:
                heads[key] = before[key]
        elif result.head is not None:
            heads[key] = result.head
    if previous is not None and heads == before:
        return CheckpointRun(previous, written=False, breaks=breaks)
    checkpoint = Checkpoint(at=timezone.now(), key_id="", heads=heads).signed()
    store().append(checkpoint.to_json())
    return CheckpointRun(checkpoint, written=True, breaks=breaks)


def receipt_for(organization: Organization, checkpoint: Checkpoint) -> Checkpoint | None:
    """The organization's chain head from `checkpoint`, signed on its own: a receipt that its
    management can keep elsewhere and have checked by `pdca verify-trail --receipt`."""
    head = checkpoint.heads.get(organization.pk)
    if head is None:
        return None
    about = {"id": organization.pk, "slug": organization.slug, "name": organization.name}
    return Checkpoint(
        at=checkpoint.at, key_id="", heads={organization.pk: head}, organization=about
    ).signed()
