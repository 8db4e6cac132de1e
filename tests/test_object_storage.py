"""Uploaded files in an S3-compatible object store, as production configures it from the
environment: the same size, type and content checks, and nothing left in the bucket after a
refusal. The store is moto in server mode on a free localhost port (a real HTTP S3 API)."""

import uuid

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pdca.config.settings.objectstore import s3_storage_from_env
from pdca.records import services
from pdca.records.models import Record
from tests.servers import moto_s3

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%object store\n"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_s3() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A fresh bucket, and pdca's default storage pointed at it the way production does it."""
    name = f"pdca-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=name)
    monkeypatch.setenv("PDCA_S3_BUCKET", name)
    monkeypatch.setenv("PDCA_S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("PDCA_S3_REGION", "us-east-1")
    monkeypatch.setenv("PDCA_S3_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("PDCA_S3_SECRET_ACCESS_KEY", "testing")
    store = s3_storage_from_env()
    assert store is not None and store["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": store}

    def keys() -> list[str]:
        listing = client.list_objects_v2(Bucket=name)
        return sorted(o["Key"] for o in listing.get("Contents", []))

    return keys


def test_no_bucket_keeps_the_file_system(monkeypatch):
    monkeypatch.delenv("PDCA_S3_BUCKET", raising=False)
    assert s3_storage_from_env() is None


def test_an_attached_file_goes_to_the_bucket_and_downloads_from_it(world, login, bucket):
    record = world.extra["record"]
    client = login(world.owner)
    r = client.post(
        reverse("records:attach", kwargs={"org": "acme", "pk": record.pk}),
        {"file": SimpleUploadedFile("reading.pdf", PDF)},
    )
    assert r.status_code == 302
    (key,) = bucket()
    assert key.startswith(f"records/{world.org.pk}/") and key.endswith(".pdf")
    attachment = record.attachments.get(file_name="reading.pdf")
    r = client.get(reverse("records:attachment", kwargs={"org": "acme", "pk": attachment.pk}))
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "not accepted"),
        ("fake.pdf", b"<html>not a pdf</html>", "does not match its extension"),
        ("empty.pdf", b"", "The submitted file is empty"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), "larger than the limit"),
    ],
)
def test_a_refused_upload_leaves_nothing_in_the_bucket(
    world, login, bucket, settings, name, content, message
):
    settings.PDCA_MAX_UPLOAD_MB = 1
    record = world.extra["record"]
    client = login(world.owner)
    r = client.post(
        reverse("records:attach", kwargs={"org": "acme", "pk": record.pk}),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in r.content.decode()
    assert bucket() == []
    assert not record.attachments.filter(file_name=name).exists()


def test_a_write_that_fails_after_storing_removes_its_object(world, bucket, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.trail, "record", fail)
    with pytest.raises(RuntimeError):
        services.record_create(
            actor=world.owner,
            organization=world.org,
            record_type=world.extra["record_type"],
            title="Gauge G-7 calibration",
            date=world.extra["record"].date,
            uploads=[SimpleUploadedFile("g7.pdf", PDF)],
        )
    assert bucket() == []
    assert not Record.objects.filter(title="Gauge G-7 calibration").exists()
