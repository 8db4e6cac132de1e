"""Example records for the shared test world, and the ids every records URL is opened with."""

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.records import services
from pdca.records.models import Record, RecordType

PDF_BYTES = b"%PDF-1.4\n%records\n"


def make_record_type(world: World, name: str, **values: Any) -> RecordType:
    """A record type kept 36 months in the quality office; `values` override any field."""
    fields: dict[str, Any] = {
        "owner": world.owner,
        "location": "Quality office, cabinet 2 and pdca",
        "retention_months": 36,
        "disposal_method": "shred",
        "confidentiality": "internal",
        **values,
    }
    return services.record_type_save(actor=world.mr, organization=world.org, name=name, **fields)


def _records_world(world: World) -> None:
    rtype = make_record_type(world, "Calibration records")
    record = services.record_create(
        actor=world.owner,
        organization=world.org,
        record_type=rtype,
        title="Micrometer M-12 calibration",
        reference="CAL-2021-012",
        date=datetime.date.today() - datetime.timedelta(days=5 * 365),
        uploads=[SimpleUploadedFile("cert.pdf", PDF_BYTES)],
    )
    world.extra["record_type"] = rtype
    world.extra["record"] = record
    world.extra["attachment"] = record.attachments.get()


def _records_urls(world: World) -> dict[str, dict[str, Any]]:
    record: Record = world.extra["record"]
    return {
        "records:detail": {"pk": record.pk},
        "records:attach": {"pk": record.pk},
        "records:correct": {"pk": record.pk},
        "records:trigger": {"pk": record.pk},
        "records:hold": {"pk": record.pk},
        "records:dispose": {"pk": record.pk},
        "records:attachment": {"pk": world.extra["attachment"].pk},
        "records:type_edit": {"pk": world.extra["record_type"].pk},
        "api-records-detail": {"pk": record.pk},
        "api-records-dispose": {"pk": record.pk},
        "api-records-hold": {"pk": record.pk},
        "api-records-retention-start": {"pk": record.pk},
        "api-records-type": {"pk": world.extra["record_type"].pk},
    }


register_world_builder(_records_world)
register_url_examples(_records_urls)
