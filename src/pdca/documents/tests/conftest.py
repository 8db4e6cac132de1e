import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pdca.documents import services

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def ooxml(main: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/x" ContentType="{main}"/></Types>',
        )
    return buf.getvalue()


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
XLSX = ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def draft_doc(world):
    """A procedure with a draft revision, reviewer = auditor, approver = mr, author = owner."""
    return services.document_create(
        actor=world.owner,
        organization=world.org,
        doc_type="procedure",
        title="Internal audit",
        owner=world.owner,
        text="# Internal audit\nPlan audits yearly.\n",
        reviewers=[world.auditor],
        approvers=[world.mr],
    )
