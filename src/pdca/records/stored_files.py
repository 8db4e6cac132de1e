"""The files the records register keeps, for the file check after a restore."""

from collections.abc import Iterator

from django_scopes import scopes_disabled

from pdca.core.backup import StoredFile
from pdca.records.models import Attachment


def stored_files() -> Iterator[StoredFile]:
    """Every attachment still holding its file, with the size and SHA-256 taken at upload."""
    with scopes_disabled():  # the check after a restore covers every organization
        rows = Attachment.objects.exclude(file="").values_list("pk", "file", "file_size", "sha256")
    for pk, name, size, sha256 in rows.iterator():
        yield StoredFile(label=f"Attachment {pk}", name=name, size=size, sha256=sha256)
