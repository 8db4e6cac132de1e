"""The stage 1 documentation pack: made on a worker, kept with its audit, the revision current
that day in its manifest, downloaded by those who keep it and the body's auditor."""

import csv
import hashlib
import io
import zipfile

import pytest
from django.test import TestCase
from django.urls import reverse

from pdca.certification import pack as packs
from pdca.certification.models import DocumentationPack, ExternalAudit
from pdca.core.models import Job, TrailEntry
from pdca.core.testing import export_via_job
from pdca.standards import services as standards_services
from pdca.standards.models import RequiredInformation

pytestmark = pytest.mark.django_db


def url(world, name, **kw):
    return reverse(f"certification:{name}", kwargs={"org": world.org.slug, **kw})


def link_mandatory_document(world):
    """The world's effective procedure as the 27001 document to maintain on 7.5."""
    doc = world.extra["document"]
    required = (
        RequiredInformation.objects.filter(
            clause__edition=world.extra["iso27001"].edition,
            kind=RequiredInformation.Kind.MAINTAIN,
        )
        .select_related("clause")
        .first()
    )
    standards_services.evidence_link(
        actor=world.mr,
        organization=world.org,
        clause=required.clause,
        obj=doc,
        required=required,
    )
    return doc


def open_zip(content):
    return zipfile.ZipFile(io.BytesIO(content))


def test_the_pack_is_made_on_a_worker_kept_with_the_audit_and_downloaded(world, login):
    doc = link_mandatory_document(world)
    audit = world.extra["external_audit"]
    client = login(world.mr)
    response = export_via_job(client, url(world, "pack_start", pk=audit.pk))
    assert response.status_code == 200
    assert ".zip" in response["Content-Disposition"]
    archive = open_zip(response.content)
    names = archive.namelist()
    assert "01-scope.pdf" in names and "manifest.csv" in names
    assert "05-stage1-checklist.pdf" in names and "05-readiness.xlsx" in names
    assert "04-statement-of-applicability-iso27001.xlsx" in names
    assert "06-internal-audits/programme.pdf" in names
    rev = doc.current_revision
    document_file = f"03-mandatory-documents/{doc.number.lower()}-rev{rev.label.lower()}.pdf"
    assert document_file in names
    assert archive.read(document_file).startswith(b"%PDF")
    # kept with the audit, with the revision current that day (not the draft after it)
    pack = DocumentationPack.objects.filter(audit=audit).latest("pk")
    assert pack.made_by == world.mr and pack.sha256 == hashlib.sha256(response.content).hexdigest()
    entry = pack.revision_of(doc.number)
    assert entry["revision_id"] == rev.pk and entry["revision"] == rev.label
    assert doc.revisions.exclude(pk=rev.pk).exists()  # the draft after it is not in the pack
    assert entry["sha256"] == hashlib.sha256(archive.read(document_file)).hexdigest()
    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert [row[0] for row in manifest[1:]] == [e["path"] for e in pack.manifest]
    job = Job.objects.filter(requested_by=world.mr).latest("pk")
    assert job.progress_done == job.progress_total == len(pack.manifest)
    assert TrailEntry.objects.filter(action="certification.pack.created").exists()
    # the audit page lists it; the pack's page names each file's revision and hash
    page = client.get(url(world, "audit", pk=audit.pk)).content.decode()
    assert f'data-pack="{pack.pk}"' in page
    assert url(world, "pack_download", pk=pack.pk) in page
    contents = client.get(url(world, "pack", pk=pack.pk)).content.decode()
    assert document_file in contents and pack.sha256 in contents


def test_the_kept_pack_is_downloaded_as_made_and_each_download_is_in_the_trail(world, login):
    pack = world.extra["cert_pack"]
    client = login(world.external)
    response = client.get(url(world, "pack_download", pk=pack.pk))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == pack.sha256
    entry = TrailEntry.objects.filter(action="certification.pack.downloaded").latest("pk")
    assert entry.actor == world.external and entry.changes["sha256"] == pack.sha256


@pytest.mark.parametrize("role", ["employee", "owner", "auditor"])
def test_the_pack_is_for_its_keepers_and_the_bodys_auditor_only(world, login, role):
    pack = world.extra["cert_pack"]
    client = login(getattr(world, role))
    assert client.get(url(world, "pack_download", pk=pack.pk)).status_code == 403
    assert client.post(url(world, "pack_start", pk=pack.audit_id)).status_code == 403
    page = client.get(url(world, "audit", pk=pack.audit_id)).content.decode()
    assert url(world, "pack_download", pk=pack.pk) not in page
    assert "Make the documentation pack" not in page


def test_another_organizations_pack_is_not_found(world, login):
    pack = world.extra["cert_pack"]
    client = login(world.outsider)
    other = {"org": world.other_org.slug, "pk": pack.pk}
    assert client.get(reverse("certification:pack_download", kwargs=other)).status_code == 404
    assert client.get(reverse("certification:pack", kwargs=other)).status_code == 404
    audit = {"org": world.other_org.slug, "pk": pack.audit_id}
    assert client.post(reverse("certification:pack_start", kwargs=audit)).status_code == 404


def test_a_cancelled_audit_gets_no_pack(world, login):
    audit = world.extra["surveillance"]
    from pdca.certification import services

    services.audit_cancel(actor=world.mr, audit=audit, reason="Moved to next year")
    client = login(world.mr)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url(world, "pack_start", pk=audit.pk))
    assert response.status_code == 302 and "/audits/" in response["Location"]
    assert not Job.objects.filter(kind=packs.PACK_KIND, requested_by=world.mr).exists()
    with pytest.raises(Exception, match="cancelled"):
        packs.pack_create(actor=world.mr, audit=ExternalAudit.objects.get(pk=audit.pk))


def test_the_pack_holds_the_mandatory_documents_of_the_audits_standards_only(world):
    from pdca.core.models import Membership

    doc = link_mandatory_document(world)
    membership = Membership.objects.get(organization=world.org, user=world.mr)
    editions = [world.extra["iso27001"].edition_id]
    assert doc in packs.mandatory_documents(membership, editions)
    # evidence of another standard is not this audit's
    assert doc not in packs.mandatory_documents(membership, [world.extra["iso9001"].edition_id])


def test_the_audit_page_query_count_does_not_grow_with_packs(
    world, login, django_assert_max_num_queries
):
    audit = world.extra["external_audit"]
    client = login(world.mr)
    client.get(url(world, "audit", pk=audit.pk))
    with django_assert_max_num_queries(200) as ctx:
        client.get(url(world, "audit", pk=audit.pk))
    before = len(ctx.captured_queries)
    for _ in range(3):
        packs.pack_create(actor=world.mr, audit=audit)
    with django_assert_max_num_queries(before):
        client.get(url(world, "audit", pk=audit.pk))


API = "/api/v1/o/acme/certification"


def api_call(client, user, method, path):
    from pdca.core import services as core_services

    _token, raw = core_services.api_token_create(actor=user, name="script")
    return getattr(client, method)(
        API + path, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def test_the_api_lists_an_audits_packs_and_queues_a_new_one(world, client):
    audit = world.extra["external_audit"]
    pack = world.extra["cert_pack"]
    listed = api_call(client, world.employee, "get", f"/audits/{audit.pk}/packs/").json()
    assert [p["id"] for p in listed] == [pack.pk]
    assert listed[0]["sha256"] == pack.sha256 and listed[0]["manifest"]
    assert listed[0]["download"].endswith(f"/packs/{pack.pk}/download/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api_call(client, world.mr, "post", f"/audits/{audit.pk}/packs/")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job"])
    assert job.kind == packs.PACK_KIND and job.status == Job.Status.DONE
    assert DocumentationPack.objects.filter(audit=audit).count() == 2


def test_the_api_refuses_a_pack_to_a_reader_a_cancelled_audit_and_another_organization(
    world, client
):
    from pdca.certification import services

    audit = world.extra["external_audit"]
    assert api_call(client, world.employee, "post", f"/audits/{audit.pk}/packs/").status_code == 403
    cancelled = services.audit_cancel(
        actor=world.mr, audit=world.extra["surveillance"], reason="Moved"
    )
    response = api_call(client, world.mr, "post", f"/audits/{cancelled.pk}/packs/")
    assert response.status_code == 400 and "cancelled" in response.content.decode()
    assert api_call(client, world.mr, "get", "/audits/999999/packs/").status_code == 404
    assert not Job.objects.filter(kind=packs.PACK_KIND).exists()
