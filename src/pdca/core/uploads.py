"""Checking an uploaded file before it reaches storage: size, extension and real content.

Every app that keeps files (documents, records) uses these: `check_upload()` reads the file
once and returns what it is; `store_checked()` writes it to Django's storage only after the
check passed, and the caller deletes it again if its transaction fails (`discard_on_failure`).
The forms' file inputs accept the same types (`pdca.core.forms.ACCEPT`).
"""

import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

ALLOWED = {
    "pdf": "PDF",
    "docx": "Word document",
    "xlsx": "Excel workbook",
    "png": "PNG image",
    "jpg": "JPEG image",
    "jpeg": "JPEG image",
}
UPLOAD_REFUSED = "upload"
"""The code of every refusal below: a form shows it next to its file input (core.views.forms)."""
OOXML_MAIN = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "PDCA_MAX_UPLOAD_MB", 20)) * 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    kind: str  # pdf, docx, xlsx, png, jpeg
    size: int
    sha256: str
    content: bytes


def _content_matches(kind: str, data: bytes) -> bool:
    if kind == "pdf":
        return data.startswith(b"%PDF-")
    if kind == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if kind in OOXML_MAIN:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                types = archive.read("[Content_Types].xml")
        except (zipfile.BadZipFile, KeyError, OSError):
            return False
        return OOXML_MAIN[kind] in types
    return False


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """The upload's content and type, or a ValidationError saying what is wrong with it."""
    name = get_valid_filename(PurePath(upload.name or "upload").name)[:200]
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ALLOWED:
        allowed = ", ".join(sorted({e.upper() for e in ALLOWED if e != "jpeg"}))
        raise ValidationError(
            _("Files of this type are not accepted. Allowed: %(allowed)s.") % {"allowed": allowed},
            code=UPLOAD_REFUSED,
        )
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is larger than the limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            code=UPLOAD_REFUSED,
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError(_("The file is empty."), code=UPLOAD_REFUSED)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than the limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            code=UPLOAD_REFUSED,
        )
    kind = "jpeg" if ext in ("jpg", "jpeg") else ext
    if not _content_matches(kind, data):
        raise ValidationError(
            _("The file's content is not a valid %(kind)s: it does not match its extension.")
            % {"kind": ALLOWED[ext]},
            code=UPLOAD_REFUSED,
        )
    return CheckedUpload(
        name=name, kind=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(), content=data
    )


def store_checked(checked: CheckedUpload, folder: str) -> str:
    """Write a checked upload to the default storage; returns the stored name."""
    return default_storage.save(f"{folder}/{checked.name}", ContentFile(checked.content))


@contextmanager
def discard_on_failure(stored: list[str]) -> Iterator[None]:
    """Delete the files named in `stored` if the block raises, so no orphan stays in storage."""
    try:
        yield
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
