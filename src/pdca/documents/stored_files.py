"""The files of document revisions, for the file check after a restore."""

from collections.abc import Iterator

from django_scopes import scopes_disabled

from pdca.core.backup import StoredFile
from pdca.documents.models import Revision


def stored_files() -> Iterator[StoredFile]:
    """Every revision's file. Its content hash covers the revision's text, a zero byte, then
    the file (`documents.services.content_hash`), so the text is the hash's prefix."""
    with scopes_disabled():  # the check after a restore covers every organization
        rows = Revision.objects.exclude(file="").values_list(
            "pk", "file", "file_size", "content_hash", "text"
        )
    for pk, name, size, digest, text in rows.iterator():
        yield StoredFile(
            label=f"Revision {pk}",
            name=name,
            size=size or None,
            sha256=digest or None,
            prefix=text.encode() + b"\x00",
        )
