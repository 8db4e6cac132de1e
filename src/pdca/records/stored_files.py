"""The files the records register keeps, for the file check after a restore."""

from collections.abc import Iterator

from pdca.core.backup import StoredFile
from pdca.records.models import Attachment


def stored_files() -> Iterator[StoredFile]:
    """Every attachment still holding its file, with the size and SHA-256 taken at upload."""
    rows = Attachment._base_manager.exclude(file="").values_list(
        "pk", "file", "file_size", "sha256"
    )
    for pk, name, size, sha256 in rows.iterator():
        yield StoredFile(label=f"Attachment {pk}", name=name, size=size, sha256=sha256)
