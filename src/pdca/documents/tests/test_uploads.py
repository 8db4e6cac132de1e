import os

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from pdca.core.uploads import check_upload
from pdca.documents import services
from pdca.documents.models import Revision

from .conftest import DOCX, JPEG, PDF, PNG, XLSX, upload

pytestmark = pytest.mark.django_db


def _stored_files() -> set[str]:
    found = set()
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found |= {os.path.join(root, f) for f in files}
    return found


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", PDF),
        ("a.png", PNG),
        ("a.jpg", JPEG),
        ("a.jpeg", JPEG),
        ("a.docx", DOCX),
        ("a.xlsx", XLSX),
    ],
)
def test_allowed_types_pass_the_content_check(name, data):
    assert check_upload(upload(name, data)).size == len(data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"", "empty"),
        ("a.exe", b"MZ...", "not accepted"),
        ("a.pdf", PNG, "does not match"),
        ("a.docx", XLSX, "does not match"),
        ("a.xlsx", b"PK\x03\x04garbage", "does not match"),
        ("a.png", PDF, "does not match"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(name, data, message):
    with pytest.raises(ValidationError, match=message):
        check_upload(upload(name, data))


def test_too_large_upload_is_refused(settings):
    settings.PDCA_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="larger than the limit of 1 MB"):
        check_upload(upload("big.pdf", PDF + b"0" * (1024 * 1024)))


def test_refused_upload_leaves_no_file_in_storage(world, draft_doc):
    before = _stored_files()
    rev = draft_doc.latest_revision
    with pytest.raises(ValidationError):
        services.revision_update(
            actor=world.owner,
            revision=rev,
            version=rev.version,
            text="x",
            change_reason="y",
            upload=upload("fake.pdf", PNG),
        )
    assert _stored_files() == before


def test_failed_save_after_storing_deletes_the_file(world, draft_doc):
    before = _stored_files()
    rev = draft_doc.latest_revision
    # A stale version fails after the check passed: the stored file must be removed again.
    with pytest.raises(ValidationError):
        services.revision_update(
            actor=world.owner,
            revision=rev,
            version=rev.version + 5,
            text="x",
            change_reason="y",
            upload=upload("ok.pdf", PDF),
        )
    assert _stored_files() == before


def test_content_hash_covers_text_and_file(world, draft_doc):
    rev = draft_doc.latest_revision
    rev = services.revision_update(
        actor=world.owner, revision=rev, version=rev.version, text="t", change_reason="r"
    )
    text_only = rev.content_hash
    rev = services.revision_update(
        actor=world.owner,
        revision=rev,
        version=rev.version,
        text="t",
        change_reason="r",
        upload=upload("a.pdf", PDF),
    )
    assert rev.content_hash != text_only
    assert rev.content_hash == services.content_hash("t", PDF)
    assert Revision.objects.get(pk=rev.pk).file_name == "a.pdf"
