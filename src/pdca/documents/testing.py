"""Example documents for the shared test world, and the ids every documents URL is opened with."""

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pdca.core.testing import PASSWORD, World, register_url_examples, register_world_builder
from pdca.documents import services
from pdca.documents.models import Document, Meaning, Revision

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_effective_document(
    world: World,
    *,
    title: str = "Control of documents",
    text: str = "# Purpose\nKeep documents controlled.\n",
) -> Document:
    """A procedure taken through review and approval to effective, distributed to employees."""
    doc = services.document_create(
        actor=world.owner,
        organization=world.org,
        doc_type="procedure",
        title=title,
        owner=world.owner,
        department=world.department,
        text=text,
        reviewers=[world.auditor],
        approvers=[world.mr],
    )
    services.distribution_set(actor=world.mr, document=doc, roles=["employee"])
    rev = doc.latest_revision
    assert rev is not None
    services.revision_submit(actor=world.owner, revision=rev)
    services.revision_sign(
        actor=world.auditor, revision=rev, password=PASSWORD, meaning=Meaning.REVIEWED
    )
    services.revision_sign(
        actor=world.mr, revision=rev, password=PASSWORD, meaning=Meaning.APPROVED
    )
    services.revision_release(
        actor=world.mr, revision=rev, password=PASSWORD, effective_from=datetime.date.today()
    )
    doc.refresh_from_db()
    return doc


def _documents_world(world: World) -> None:
    doc = make_effective_document(world)
    draft = services.revision_start(actor=world.owner, document=doc, change_reason="Add records")
    services.revision_update(
        actor=world.owner,
        revision=draft,
        version=draft.version,
        text=draft.text + "\n## Records\nKeep them.\n",
        change_reason="Add records",
        upload=SimpleUploadedFile("flow.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    world.extra["document"] = doc
    world.extra["effective_revision"] = doc.current_revision
    world.extra["draft_revision"] = Revision.objects.get(pk=draft.pk)
    world.extra["ack"] = doc.current_revision.acknowledgements.get(user=world.employee)  # type: ignore[union-attr]
    from pdca.documents.external import external_register

    world.extra["external_document"] = external_register(
        actor=world.mr,
        organization=world.org,
        title="Drawing standard DS-400",
        number="XDS-400",  # listed after the world's own documents
        owner=world.owner,
        issuer="Boreham Hydraulics",
        external_reference="DS-400",
        edition="2024",
        obtained_from="Customer portal",
        next_edition_check=datetime.date.today() + datetime.timedelta(days=90),
        text="Kept on the customer portal.",
    )


def _documents_urls(world: World) -> dict[str, dict[str, Any]]:
    doc = world.extra["document"]
    eff = world.extra["effective_revision"]
    draft = world.extra["draft_revision"]
    return {
        "documents:detail": {"pk": doc.pk},
        "documents:edit": {"pk": doc.pk},
        "documents:distribution": {"pk": doc.pk},
        "documents:revise": {"pk": doc.pk},
        "documents:external_edition": {"pk": world.extra["external_document"].pk},
        "documents:external_check": {"pk": world.extra["external_document"].pk},
        "documents:review": {"pk": doc.pk},
        "documents:obsolete": {"pk": doc.pk},
        "documents:acknowledge": {"pk": world.extra["ack"].pk},
        "documents:revision": {"pk": eff.pk},
        "documents:revision_edit": {"pk": draft.pk},
        "documents:revision_submit": {"pk": draft.pk},
        "documents:revision_sign": {"pk": draft.pk},
        "documents:revision_release": {"pk": draft.pk},
        "documents:revision_diff": {"pk": draft.pk, "other": eff.pk},
        "documents:revision_file": {"pk": draft.pk},
        "documents:revision_pdf": {"pk": eff.pk},
        "api-documents-list": {},
        "api-documents-detail": {"pk": doc.pk},
        "api-documents-revisions": {"pk": doc.pk},
        "api-documents-revision": {"pk": eff.pk},
        "api-documents-revision-sign": {"pk": draft.pk},
        "api-documents-revision-release": {"pk": draft.pk},
        "api-documents-acknowledge": {"pk": world.extra["ack"].pk},
        "api-documents-external": {"pk": world.extra["external_document"].pk},
        "api-documents-external-edition": {"pk": world.extra["external_document"].pk},
        "api-documents-external-check": {"pk": world.extra["external_document"].pk},
    }


register_world_builder(_documents_world)
register_url_examples(_documents_urls)
